import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { DisclosurePermissionKind } from 'src/vocabulary/disclosure-permission-kind.js';
import { RecordVersionStatus } from 'src/vocabulary/record-status.js';
import { Aim3AssessmentContent, CustodyInformationPackContent } from 'src/records/content/custody.content.js';
import { AssetPlusContent } from 'src/records/content/asset-plus.content.js';
import {
  CustodyVisitAssessmentContent,
  EarlyHelpAssessmentContent,
  OnsetContent,
  SingleAssessmentContent,
} from 'src/records/content/assessments.content.js';
import {
  CarePlanContent,
  DetentionPlacementPlanContent,
  InterventionPlanContent,
  PathwayPlanContent,
  PlacementPlanContent,
  PlanningMeetingRecordContent,
  PreReleaseChecklist,
  ReleasePlanContent,
} from 'src/records/content/plans.content.js';
import { LookedAfterReviewContent } from 'src/records/content/review.content.js';

/** Exactly one field is set: its name says the record kind (GraphQL has no input unions). */
@InputType({ description: "The content of a record: set exactly one field, the one for the record's kind." })
export class RecordContentInput {
  @Field(() => AssetPlusContent, { nullable: true, description: 'AssetPlus (YOS).' })
  assetPlus?: AssetPlusContent | null;

  @Field(() => OnsetContent, { nullable: true, description: 'Onset (YOS).' })
  onset?: OnsetContent | null;

  @Field(() => SingleAssessmentContent, { nullable: true, description: 'Single Assessment (CSC).' })
  singleAssessment?: SingleAssessmentContent | null;

  @Field(() => EarlyHelpAssessmentContent, { nullable: true, description: 'Early Help Assessment (CSC).' })
  earlyHelpAssessment?: EarlyHelpAssessmentContent | null;

  @Field(() => CustodyVisitAssessmentContent, { nullable: true, description: 'Custody-visit assessment (CSC).' })
  custodyVisitAssessment?: CustodyVisitAssessmentContent | null;

  @Field(() => CarePlanContent, { nullable: true, description: 'Care plan (CSC).' })
  carePlan?: CarePlanContent | null;

  @Field(() => PlacementPlanContent, { nullable: true, description: 'Placement plan (CSC).' })
  placementPlan?: PlacementPlanContent | null;

  @Field(() => DetentionPlacementPlanContent, { nullable: true, description: 'Detention placement plan (CSC).' })
  detentionPlacementPlan?: DetentionPlacementPlanContent | null;

  @Field(() => PathwayPlanContent, { nullable: true, description: 'Pathway plan (leaving care).' })
  pathwayPlan?: PathwayPlanContent | null;

  @Field(() => InterventionPlanContent, { nullable: true, description: 'Intervention plan (YOS).' })
  interventionPlan?: InterventionPlanContent | null;

  @Field(() => ReleasePlanContent, { nullable: true, description: 'Release / resettlement plan (YOS).' })
  releasePlan?: ReleasePlanContent | null;

  @Field(() => PlanningMeetingRecordContent, { nullable: true, description: 'Planning-meeting record (either service).' })
  planningMeetingRecord?: PlanningMeetingRecordContent | null;

  @Field(() => CustodyInformationPackContent, { nullable: true, description: 'Custody information pack (CSC).' })
  custodyInformationPack?: CustodyInformationPackContent | null;

  @Field(() => Aim3AssessmentContent, { nullable: true, description: 'AIM3 assessment (YOS).' })
  aim3Assessment?: Aim3AssessmentContent | null;

  @Field(() => PreReleaseChecklist, {
    nullable: true,
    description: 'Release checklist: the nine things the young person is told before release (YJS, CSC or leaving care).',
  })
  releaseChecklist?: PreReleaseChecklist | null;

  @Field(() => LookedAfterReviewContent, { nullable: true, description: 'Statutory looked-after review (CSC).' })
  lookedAfterReview?: LookedAfterReviewContent | null;
}

@InputType({ description: "A new record about a child, owned by the caller's agency." })
export class CreateRecordInput {
  @Field(() => ID, { description: 'The child the record is about.' })
  childId: string;

  @Field(() => RecordContentInput, { description: 'The content; its field names the kind.' })
  content: RecordContentInput;

  @Field(() => RecordVersionStatus, {
    nullable: true,
    description:
      'FINAL (the default, as before drafts existed) shares the version and must hold what the kind requires; DRAFT keeps it to your agency until finaliseRecord.',
  })
  status?: RecordVersionStatus | null;
}

@InputType({ description: "A new version of a record the caller's agency owns." })
export class UpdateRecordInput {
  @Field(() => ID, { description: 'The record.' })
  recordId: string;

  @Field(() => Int, { description: 'The latest version the caller read; a stale one is refused with CONFLICT.' })
  expectedVersion: number;

  @Field(() => RecordContentInput, { description: "The whole new content (not a patch), of the record's kind." })
  content: RecordContentInput;

  @Field(() => RecordVersionStatus, {
    nullable: true,
    description: 'FINAL (the default) or DRAFT, as for createRecord; a new FINAL version supersedes the previous one.',
  })
  status?: RecordVersionStatus | null;
}

@InputType({ description: 'Records a court order, consent or third-party permission on a record your agency owns.' })
export class RecordDisclosurePermissionInput {
  @Field(() => ID, { description: 'The record.' })
  recordId: string;

  @Field(() => DisclosurePermissionKind, { description: 'What kind of permission.' })
  kind: DisclosurePermissionKind;

  @Field({ description: 'Its reference (order number, consent form, letter).' })
  reference: string;
}

@InputType({ description: 'The allocated social worker signs a YOS intervention plan as parent/carer (001 §5.8).' })
export class SignAsParentCarerInput {
  @Field(() => ID, { description: 'The intervention plan.' })
  recordId: string;

  @Field(() => Int, { description: 'The version you read and sign.' })
  expectedVersion: number;
}

@InputType({ description: "Acknowledges (and optionally comments on) a version of another agency's record." })
export class AcknowledgeRecordInput {
  @Field(() => ID, { description: 'The record.' })
  recordId: string;

  @Field(() => Int, { description: 'The version you read.' })
  version: number;

  @Field(() => String, { nullable: true, description: 'A comment for the owning agency (at most 4,000 characters).' })
  comment?: string | null;
}
