import { Field, ID, ObjectType } from '@nestjs/graphql';
import { AgencyKind } from 'src/vocabulary/children.enums.js';

@ObjectType({ description: 'A local authority (council) whose services use Tandem.' })
export class LocalAuthority {
  @Field(() => ID, { description: "Tandem's id for the authority." })
  id: string;

  @Field({ description: 'A short stable code, e.g. "derby".' })
  code: string;

  @Field({ description: "The authority's name." })
  name: string;
}

@ObjectType({ description: 'A service of a local authority (YOS, CSC, leaving care) or a secure establishment.' })
export class Agency {
  @Field(() => ID, { description: "Tandem's id for the agency." })
  id: string;

  @Field({ description: 'A short stable code, e.g. "derby-yos"; tokens name the caller\'s agency by it.' })
  code: string;

  @Field({ description: "The agency's name." })
  name: string;

  @Field(() => AgencyKind, { description: 'What kind of organisation it is.' })
  kind: AgencyKind;

  @Field(() => LocalAuthority, { nullable: true, description: 'The authority it belongs to; null for the secure estate.' })
  localAuthority: LocalAuthority | null;
}

@ObjectType({ description: 'A case-management system connected to Tandem on behalf of one agency.' })
export class CaseSystem {
  @Field({ description: 'A short stable code, e.g. "derby-csc-case".' })
  code: string;

  @Field({ description: "The system's name." })
  name: string;

  @Field(() => Agency, { description: 'The agency that uses it.' })
  agency: Agency;
}
