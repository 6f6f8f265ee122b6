import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { Agency } from 'src/directory/directory.model.js';
import { RestrictionKind } from 'src/vocabulary/restriction-kind.js';

@ObjectType({ description: 'A restriction on what may be shared about a child (C3, C10).' })
export class ChildRestriction {
  @Field(() => ID, { description: "Tandem's id for the restriction." })
  id: string;

  @Field(() => ID, { description: 'The child.' })
  childId: string;

  @Field(() => RestrictionKind, { description: 'What kind of restriction.' })
  kind: RestrictionKind;

  @Field(() => String, { nullable: true, description: 'The user (token subject) a contact restriction is against.' })
  restrictedSubject: string | null;

  @Field(() => Agency, { nullable: true, description: 'The agency a contact restriction is against.' })
  restrictedAgency: Agency | null;

  @Field({ description: 'What the restriction is, in words.' })
  details: string;

  @Field({ description: 'When it started.' })
  startedAt: Date;

  @Field(() => Date, { nullable: true, description: 'When it ended; null while in force.' })
  endedAt: Date | null;

  @Field({ description: 'Who recorded it.' })
  recordedBy: string;
}

@InputType({ description: 'A new restriction on a child.' })
export class RecordRestrictionInput {
  @Field(() => ID, { description: 'The child.' })
  childId: string;

  @Field(() => RestrictionKind, { description: 'What kind of restriction.' })
  kind: RestrictionKind;

  @Field(() => String, { nullable: true, description: 'For a contact restriction: the user it is against.' })
  restrictedSubject?: string | null;

  @Field(() => String, { nullable: true, description: 'For a contact restriction: the code of the agency it is against.' })
  restrictedAgencyCode?: string | null;

  @Field({ description: 'What the restriction is (e.g. the order, the investigation reference).' })
  details: string;
}

@InputType({ description: 'Ends a restriction.' })
export class EndRestrictionInput {
  @Field(() => ID, { description: 'The restriction.' })
  id: string;
}
