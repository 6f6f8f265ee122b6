import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { SettlingInReportContent } from 'src/records/content/settling-in.content.js';

@InputType({ description: 'Makes the latest version of a record your agency owns FINAL (a DRAFT until now).' })
export class FinaliseRecordInput {
  @Field(() => ID, { description: 'The record.' })
  recordId: string;

  @Field(() => Int, { description: 'The draft version you read; a stale one is refused with CONFLICT.' })
  expectedVersion: number;
}

@InputType({ description: 'Withdraws a record your agency owns: it stays readable, marked withdrawn, and cannot change again.' })
export class WithdrawRecordInput {
  @Field(() => ID, { description: 'The record.' })
  recordId: string;

  @Field(() => Int, { description: 'The latest version you read; a stale one is refused with CONFLICT.' })
  expectedVersion: number;

  @Field({ description: 'Why it is withdrawn (required, at most 2,000 characters); readers see it.' })
  reason: string;
}

@InputType({ description: "The establishment's governor signs (agrees) a FINAL detention placement plan (001 §6.11)." })
export class SignDetentionPlacementPlanInput {
  @Field(() => ID, { description: 'The detention placement plan.' })
  recordId: string;

  @Field(() => Int, { description: 'The version you read and sign: the latest FINAL version.' })
  expectedVersion: number;
}

@InputType({
  description:
    'The social worker gives the youth detention accommodation holding a looked-after child a copy of the care plan (001 §6.10).',
})
export class SendCarePlanToEstablishmentInput {
  @Field(() => ID, { description: 'The care plan.' })
  recordId: string;

  @Field(() => Int, { description: 'The version to send: the latest FINAL version you read.' })
  expectedVersion: number;
}

@InputType({ description: "The establishment's settling-in reply to the social worker (001 §7.7)." })
export class SendSettlingInReportInput {
  @Field(() => ID, { description: 'The child, held at your establishment.' })
  childId: string;

  @Field(() => ID, {
    nullable: true,
    description: 'To correct a reply you sent: its record id (with expectedVersion); a new reply when absent.',
  })
  recordId?: string | null;

  @Field(() => Int, { nullable: true, description: 'With recordId: the latest version you read.' })
  expectedVersion?: number | null;

  @Field(() => SettlingInReportContent, { description: 'How the child has settled and the agreed visiting arrangements.' })
  content: SettlingInReportContent;
}

@InputType({
  description:
    "The CSC operations manager agrees, or does not agree, the YJS's FINAL release plan (003 §8.2–8.3); not agreeing tells the YJS and the establishment.",
})
export class DecideReleasePlanInput {
  @Field(() => ID, { description: 'The release plan.' })
  recordId: string;

  @Field(() => Int, { description: 'The version you read and decide on: the latest FINAL version.' })
  expectedVersion: number;

  @Field({ description: 'Agreed (true) or not agreed (false).' })
  agreed: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Why it is not agreed (required then, at most 2,000 characters); none when agreed.',
  })
  reason?: string | null;
}
