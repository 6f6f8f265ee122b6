import { Extensions, Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { costHint } from 'src/common/cost/cost-hint.js';

/** The most entries one subject access report shows (the export has them all). */
export const SAR_LIMIT = 2000;

@ObjectType({ description: 'One disclosure of a child’s data, as a subject access report shows it (UK GDPR Art 15(1)(c)).' })
export class SubjectAccessEntry {
  @Field({ description: 'When.' })
  recordedAt: Date;

  @Field(() => String, { nullable: true, description: 'The recipient agency; null where naming it is exempt (see exemption).' })
  recipientAgency: string | null;

  @Field(() => String, { nullable: true, description: 'The recipient’s role(s); null where exempt.' })
  recipientRole: string | null;

  @Field(() => String, { nullable: true, description: 'The purpose of use.' })
  purpose: string | null;

  @Field({ description: 'What was disclosed: CHILD, PLACEMENT, a record kind…' })
  what: string;

  @Field(() => [String], { description: 'The fields disclosed (names, never content).' })
  fields: string[];

  @Field(() => [String], { description: 'The lawful bases relied on.' })
  lawfulBases: string[];

  @Field(() => String, { nullable: true, description: 'An exemption applied to this entry, and why.' })
  exemption: string | null;

  @Field({ description: 'The fields include information supplied by a third party: review before release.' })
  thirdPartyReview: boolean;
}

@ObjectType({ description: 'Who received what about a child, when and why: for answering a subject access request.' })
export class SubjectAccessReport {
  @Field(() => ID, { description: 'The child.' })
  childId: string;

  @Field({ description: 'When the report was made.' })
  generatedAt: Date;

  @Field(() => Int, { description: 'How many disclosures the log holds for the child.' })
  total: number;

  @Field({ description: 'More entries exist than the report shows (use the export for all).' })
  truncated: boolean;

  @Field(() => [SubjectAccessEntry], { description: 'The disclosures, newest first.' })
  @Extensions(costHint({ listSize: SAR_LIMIT }))
  entries: SubjectAccessEntry[];
}
