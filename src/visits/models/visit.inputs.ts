import { Field, ID, InputType } from '@nestjs/graphql';
import { LocalDateScalar } from 'src/common/scalars/local-date.scalar.js';
import { VisitKind } from 'src/visits/models/visit-kind.js';

@InputType({ description: 'Someone who made the visit.' })
export class VisitorInput {
  @Field({ description: "The visitor's name." })
  name: string;

  @Field({
    description:
      'The role they visited in: an allocation role (SOCIAL_WORKER, VISITING_REPRESENTATIVE, PERSONAL_ADVISER, YOS_CASE_MANAGER, …) or a title.',
  })
  role: string;

  @Field(() => String, { nullable: true, description: 'Code of their agency, e.g. "derby-yos"; yours when absent.' })
  agencyCode?: string | null;
}

@InputType({
  description:
    'A visit to the child. Statutory and former-looked-after visits are recorded by CSC, personal adviser visits by leaving care (or a CSC personal adviser), joint visits by CSC naming the YOS worker who came, YOS supervision visits by the YOS. C17: a YOS worker is never the visiting representative, nor leads the first visit after the child entered custody.',
})
export class RecordVisitInput {
  @Field(() => ID, { description: 'The child visited.' })
  childId: string;

  @Field(() => VisitKind, { description: 'What the visit was.' })
  kind: VisitKind;

  @Field(() => LocalDateScalar, { description: 'The day of the visit: not in the future, not before the child was born.' })
  visitDate: string;

  @Field(() => VisitorInput, {
    nullable: true,
    description: 'Who led the visit, when not you (say, the visiting representative whose visit you record).',
  })
  leadVisitor?: VisitorInput | null;

  @Field(() => [VisitorInput], {
    nullable: true,
    description: 'Who came with the lead visitor (a joint visit names the YOS worker).',
  })
  otherVisitors?: VisitorInput[] | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'Whether the child was seen alone (001 §7.8); required for statutory and former-looked-after visits, null where it does not apply.',
  })
  seenAlone?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'The child refused to be seen alone (then seenAlone is false).' })
  refusedToBeSeenAlone?: boolean | null;

  @Field(() => String, { nullable: true, description: 'The establishment or address where the child was seen.' })
  location?: string | null;

  @Field(() => String, { nullable: true, description: 'A short note of the visit (at most 4000 characters).' })
  notes?: string | null;
}
