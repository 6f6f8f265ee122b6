import { type RecordKind } from 'src/vocabulary/record-kind.js';
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
import { SettlingInReportContent } from 'src/records/content/settling-in.content.js';
import { LookedAfterReviewContent } from 'src/records/content/review.content.js';

interface RecordContentDefinition {
  /** The GraphQL object type of a record of this kind. */
  readonly typeName: string;
  /** The field of RecordContentInput that carries content of this kind. */
  readonly inputField: string;
  readonly content: new () => object;
}

/** The one place that ties each record kind to its GraphQL type and content class. */
export const RECORD_CONTENTS: Readonly<Record<RecordKind, RecordContentDefinition>> = {
  ASSET_PLUS: { typeName: 'AssetPlus', inputField: 'assetPlus', content: AssetPlusContent },
  ONSET: { typeName: 'OnsetAssessment', inputField: 'onset', content: OnsetContent },
  SINGLE_ASSESSMENT: { typeName: 'SingleAssessment', inputField: 'singleAssessment', content: SingleAssessmentContent },
  EARLY_HELP_ASSESSMENT: {
    typeName: 'EarlyHelpAssessment',
    inputField: 'earlyHelpAssessment',
    content: EarlyHelpAssessmentContent,
  },
  CUSTODY_VISIT_ASSESSMENT: {
    typeName: 'CustodyVisitAssessment',
    inputField: 'custodyVisitAssessment',
    content: CustodyVisitAssessmentContent,
  },
  CARE_PLAN: { typeName: 'CarePlan', inputField: 'carePlan', content: CarePlanContent },
  PLACEMENT_PLAN: { typeName: 'PlacementPlan', inputField: 'placementPlan', content: PlacementPlanContent },
  DETENTION_PLACEMENT_PLAN: {
    typeName: 'DetentionPlacementPlan',
    inputField: 'detentionPlacementPlan',
    content: DetentionPlacementPlanContent,
  },
  PATHWAY_PLAN: { typeName: 'PathwayPlan', inputField: 'pathwayPlan', content: PathwayPlanContent },
  INTERVENTION_PLAN: { typeName: 'InterventionPlan', inputField: 'interventionPlan', content: InterventionPlanContent },
  RELEASE_PLAN: { typeName: 'ReleasePlan', inputField: 'releasePlan', content: ReleasePlanContent },
  PLANNING_MEETING_RECORD: {
    typeName: 'PlanningMeetingRecord',
    inputField: 'planningMeetingRecord',
    content: PlanningMeetingRecordContent,
  },
  CUSTODY_INFORMATION_PACK: {
    typeName: 'CustodyInformationPack',
    inputField: 'custodyInformationPack',
    content: CustodyInformationPackContent,
  },
  AIM3_ASSESSMENT: { typeName: 'Aim3Assessment', inputField: 'aim3Assessment', content: Aim3AssessmentContent },
  SETTLING_IN_REPORT: { typeName: 'SettlingInReport', inputField: 'settlingInReport', content: SettlingInReportContent },
  // The release plan's checklist, kept by whoever the protocol names as its own record (001 §9.4, 003 §8.4).
  RELEASE_CHECKLIST: { typeName: 'ReleaseChecklist', inputField: 'releaseChecklist', content: PreReleaseChecklist },
  LOOKED_AFTER_REVIEW: { typeName: 'LookedAfterReview', inputField: 'lookedAfterReview', content: LookedAfterReviewContent },
};
