import { registerEnumType } from '@nestjs/graphql';
import { AgencyKind } from 'src/vocabulary/children.enums.js';

export enum RecordKind {
  ASSET_PLUS = 'ASSET_PLUS',
  ONSET = 'ONSET',
  SINGLE_ASSESSMENT = 'SINGLE_ASSESSMENT',
  EARLY_HELP_ASSESSMENT = 'EARLY_HELP_ASSESSMENT',
  CUSTODY_VISIT_ASSESSMENT = 'CUSTODY_VISIT_ASSESSMENT',
  CARE_PLAN = 'CARE_PLAN',
  PLACEMENT_PLAN = 'PLACEMENT_PLAN',
  DETENTION_PLACEMENT_PLAN = 'DETENTION_PLACEMENT_PLAN',
  PATHWAY_PLAN = 'PATHWAY_PLAN',
  INTERVENTION_PLAN = 'INTERVENTION_PLAN',
  RELEASE_PLAN = 'RELEASE_PLAN',
  PLANNING_MEETING_RECORD = 'PLANNING_MEETING_RECORD',
  CUSTODY_INFORMATION_PACK = 'CUSTODY_INFORMATION_PACK',
  AIM3_ASSESSMENT = 'AIM3_ASSESSMENT',
  SETTLING_IN_REPORT = 'SETTLING_IN_REPORT',
  RELEASE_CHECKLIST = 'RELEASE_CHECKLIST',
  LOOKED_AFTER_REVIEW = 'LOOKED_AFTER_REVIEW',
}

export enum RecordCategory {
  ASSESSMENT = 'ASSESSMENT',
  PLAN = 'PLAN',
  MEETING = 'MEETING',
}

interface RecordKindDefinition {
  readonly category: RecordCategory;
  /** The kinds of agency that may own (author) this kind of record. */
  readonly ownerKinds: readonly AgencyKind[];
  readonly description: string;
  /**
   * Agencies of these kinds see a record of this kind only as the versions its owner sent them
   * (001 §6.10: a copy of the care plan to the establishment), never the record as it grows.
   */
  readonly copiesTo?: readonly AgencyKind[];
}

const YOS = [AgencyKind.YOUTH_JUSTICE];
const CSC = [AgencyKind.CHILDRENS_SOCIAL_CARE];

/** Who owns each kind of shared record, from DOMAIN §2.1–§2.2. */
export const RECORD_KINDS: Readonly<Record<RecordKind, RecordKindDefinition>> = {
  ASSET_PLUS: { category: RecordCategory.ASSESSMENT, ownerKinds: YOS, description: 'AssetPlus assessment (YOS).' },
  ONSET: { category: RecordCategory.ASSESSMENT, ownerKinds: YOS, description: 'Onset prevention assessment (YOS).' },
  SINGLE_ASSESSMENT: {
    category: RecordCategory.ASSESSMENT,
    ownerKinds: CSC,
    description: 'Single Assessment / child-in-need assessment (CSC).',
  },
  EARLY_HELP_ASSESSMENT: {
    category: RecordCategory.ASSESSMENT,
    ownerKinds: CSC,
    description: 'Early Help Assessment (CSC early help).',
  },
  CUSTODY_VISIT_ASSESSMENT: {
    category: RecordCategory.ASSESSMENT,
    ownerKinds: CSC,
    description: 'Initial custody-visit assessment (CSC, 001 §7.9–7.10).',
  },
  CARE_PLAN: {
    category: RecordCategory.PLAN,
    ownerKinds: CSC,
    description: 'Care plan (CSC).',
    copiesTo: [AgencyKind.SECURE_ESTATE],
  },
  PLACEMENT_PLAN: { category: RecordCategory.PLAN, ownerKinds: CSC, description: 'Placement plan (CSC).' },
  DETENTION_PLACEMENT_PLAN: {
    category: RecordCategory.PLAN,
    ownerKinds: CSC,
    description: 'Detention placement plan (CSC, 001 App.2).',
  },
  PATHWAY_PLAN: {
    category: RecordCategory.PLAN,
    ownerKinds: [AgencyKind.LEAVING_CARE, AgencyKind.CHILDRENS_SOCIAL_CARE],
    description: 'Pathway plan (leaving care).',
  },
  INTERVENTION_PLAN: { category: RecordCategory.PLAN, ownerKinds: YOS, description: 'YOS intervention plan.' },
  RELEASE_PLAN: {
    category: RecordCategory.PLAN,
    ownerKinds: YOS,
    description: 'Release / resettlement plan (YJS, 003 §8).',
  },
  PLANNING_MEETING_RECORD: {
    category: RecordCategory.MEETING,
    ownerKinds: [AgencyKind.YOUTH_JUSTICE, AgencyKind.CHILDRENS_SOCIAL_CARE, AgencyKind.LEAVING_CARE],
    description: 'Joint YOS/CSC planning-meeting record (003 §2.4).',
  },
  CUSTODY_INFORMATION_PACK: {
    category: RecordCategory.PLAN,
    ownerKinds: CSC,
    description: 'Information pack for the custodial establishment, exactly the seven items of 001 §7.6.',
  },
  AIM3_ASSESSMENT: {
    category: RecordCategory.ASSESSMENT,
    ownerKinds: YOS,
    description: 'AIM3 assessment of harmful sexual behaviour (YOS, 003 §6).',
  },
  SETTLING_IN_REPORT: {
    category: RecordCategory.ASSESSMENT,
    ownerKinds: [AgencyKind.SECURE_ESTATE],
    description: "The secure establishment's reply to the social worker: how the child has settled, agreed visits (001 §7.7).",
  },
  RELEASE_CHECKLIST: {
    category: RecordCategory.PLAN,
    ownerKinds: [AgencyKind.YOUTH_JUSTICE, AgencyKind.CHILDRENS_SOCIAL_CARE, AgencyKind.LEAVING_CARE],
    description:
      'The nine things the young person is told no later than 14 days before release, and when (001 §9.4 by the PA for a care leaver; 003 §8.4 by the YJS, CSC or FIS worker).',
  },
  LOOKED_AFTER_REVIEW: {
    category: RecordCategory.MEETING,
    ownerKinds: CSC,
    description: 'A statutory looked-after review, chaired by the IRO, of a child in custody (003 §7.4, §7.6).',
  },
};

registerEnumType(RecordKind, {
  name: 'RecordKind',
  description: 'The kind of a shared assessment, plan or meeting record.',
  valuesMap: Object.fromEntries(
    Object.entries(RECORD_KINDS).map(([kind, definition]) => [kind, { description: definition.description }]),
  ),
});

registerEnumType(RecordCategory, {
  name: 'RecordCategory',
  description: 'Whether a record is an assessment, a plan or a meeting record.',
  valuesMap: {
    ASSESSMENT: { description: 'An assessment.' },
    PLAN: { description: 'A plan.' },
    MEETING: { description: 'A record of a joint meeting.' },
  },
});
