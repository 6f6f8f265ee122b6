import { Int, registerEnumType } from '@nestjs/graphql';
import { Sensitive, SensitiveGroup } from 'src/vocabulary/sensitivity/sensitive-field.decorator.js';
import { SensitivityClass as S } from 'src/vocabulary/sensitivity/sensitivity-class.js';
import { LocalDateScalar } from 'src/common/scalars/local-date.scalar.js';
import { RiskLevel, ScoredSection } from 'src/records/content/common.content.js';
import { ContentType } from 'src/records/content/content-type.decorator.js';

export enum LookedAfterHistory {
  CURRENT = 'CURRENT',
  PREVIOUS = 'PREVIOUS',
  NEVER = 'NEVER',
  UNKNOWN = 'UNKNOWN',
}

registerEnumType(LookedAfterHistory, {
  name: 'LookedAfterHistory',
  description: 'Whether the child is or has been looked after.',
  valuesMap: {
    CURRENT: { description: 'Looked after now.' },
    PREVIOUS: { description: 'Looked after in the past.' },
    NEVER: { description: 'Never looked after.' },
    UNKNOWN: { description: 'Not known to the assessor.' },
  },
});

/** The twelve scored core sections (004 Table 4.3), each labelled by what it is about. */
@ContentType('AssetPlusSections', 'The twelve scored core sections of AssetPlus.')
export class AssetPlusSections {
  @Sensitive(S.CARE_PLANNING, () => ScoredSection, { description: 'Living arrangements.' })
  livingArrangements: ScoredSection | null;

  @Sensitive(S.FAMILY_CONTACT, () => ScoredSection, { description: 'Family and personal relationships.' })
  familyAndPersonalRelationships: ScoredSection | null;

  @Sensitive(S.EDUCATION, () => ScoredSection, { description: 'Education, training and employment.' })
  educationTrainingEmployment: ScoredSection | null;

  @Sensitive(S.RISK, () => ScoredSection, { description: 'Neighbourhood.' })
  neighbourhood: ScoredSection | null;

  @Sensitive(S.RISK, () => ScoredSection, { description: 'Lifestyle.' })
  lifestyle: ScoredSection | null;

  @Sensitive(S.HEALTH, () => ScoredSection, { description: 'Substance use.' })
  substanceUse: ScoredSection | null;

  @Sensitive(S.HEALTH, () => ScoredSection, { description: 'Physical health.' })
  physicalHealth: ScoredSection | null;

  @Sensitive(S.HEALTH, () => ScoredSection, { description: 'Emotional and mental health.' })
  emotionalAndMentalHealth: ScoredSection | null;

  @Sensitive(S.CARE_PLANNING, () => ScoredSection, { description: 'Perception of self and others.' })
  perceptionOfSelfAndOthers: ScoredSection | null;

  @Sensitive(S.RISK, () => ScoredSection, { description: 'Thinking and behaviour.' })
  thinkingAndBehaviour: ScoredSection | null;

  @Sensitive(S.OFFENDING_CRIMINAL, () => ScoredSection, { description: 'Attitudes to offending.' })
  attitudesToOffending: ScoredSection | null;

  @Sensitive(S.OFFENDING_CRIMINAL, () => ScoredSection, { description: 'Motivation to change.' })
  motivationToChange: ScoredSection | null;
}

/** The care-history / looked-after status section (004 fn 2, Table 2.2). */
@ContentType('AssetPlusCareHistory', 'The care-history section of AssetPlus; null means not recorded.')
export class AssetPlusCareHistory {
  @Sensitive(S.LEGAL_STATUS, () => LookedAfterHistory, { description: 'Looked after now, before, or never.' })
  lookedAfter: LookedAfterHistory | null;

  @Sensitive(S.LEGAL_STATUS, () => Boolean, { description: 'Accommodated under s20.' })
  section20: boolean | null;

  @Sensitive(S.LEGAL_STATUS, () => Boolean, { description: 'Subject to a care order (s31).' })
  careOrder: boolean | null;

  @Sensitive(S.LEGAL_STATUS, () => Boolean, { description: 'Remanded to local-authority accommodation (s23(1) CYPA 1969).' })
  remandedToLocalAuthority: boolean | null;

  @Sensitive(S.LEGAL_STATUS, () => Boolean, { description: 'An eligible child (leaving care).' })
  eligibleChild: boolean | null;

  @Sensitive(S.LEGAL_STATUS, () => Boolean, { description: 'A relevant child (leaving care).' })
  relevantChild: boolean | null;

  @Sensitive(S.WELFARE_CP, () => Boolean, { description: 'On the child protection register / subject of a CP plan.' })
  childProtectionPlan: boolean | null;

  @Sensitive(S.WELFARE_CP, () => Boolean, { description: 'Other contact with social services.' })
  otherSocialServicesContact: boolean | null;
}

/** The fields whose absence makes the care-history section incomplete (004 Rec 1). */
export const CARE_HISTORY_FIELDS: readonly (keyof AssetPlusCareHistory)[] = [
  'lookedAfter',
  'section20',
  'careOrder',
  'remandedToLocalAuthority',
  'eligibleChild',
  'relevantChild',
  'childProtectionPlan',
  'otherSocialServicesContact',
];

@ContentType('AssetPlusCriminalHistory', 'Criminal history recorded in AssetPlus.')
export class AssetPlusCriminalHistory {
  @Sensitive(S.OFFENDING_CRIMINAL, () => Int, { description: 'Age at first offence.', min: 0, max: 25 })
  ageAtFirstOffence: number | null;

  @Sensitive(S.OFFENDING_CRIMINAL, () => Int, { description: 'Age at first conviction.', min: 0, max: 25 })
  ageAtFirstConviction: number | null;

  @Sensitive(S.OFFENDING_CRIMINAL, () => Int, { description: 'Number of convictions.', min: 0, max: 1000 })
  convictions: number | null;

  @Sensitive(S.OFFENDING_CRIMINAL, () => Int, { description: 'Number of custodial sentences.', min: 0, max: 1000 })
  custodialSentences: number | null;

  @Sensitive(S.OFFENDING_CRIMINAL, () => [String], { description: 'Previous disposals.', maxLength: 500 })
  previousDisposals: string[] | null;
}

@ContentType('AssetPlusContent', 'AssetPlus: the YOS assessment of offending, risks and needs.')
export class AssetPlusContent {
  @Sensitive(S.CASE_ADMINISTRATION, () => LocalDateScalar, { description: 'When the assessment was completed.' })
  assessmentDate: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => LocalDateScalar, {
    description: 'Start of the order or out-of-court disposal (AssetPlus is due within 28 days).',
  })
  orderStartDate: string | null;

  @Sensitive(S.RISK, () => RiskLevel, { description: 'Likelihood of re-offending.' })
  riskOfReoffending: RiskLevel | null;

  @Sensitive(S.RISK, () => RiskLevel, { description: 'Risk of serious harm to others.' })
  riskOfSeriousHarm: RiskLevel | null;

  @Sensitive(S.RISK, () => RiskLevel, { description: 'Safety and wellbeing (risk of being harmed).' })
  safetyAndWellbeing: RiskLevel | null;

  @SensitiveGroup(() => AssetPlusSections, { description: 'The twelve scored core sections.' })
  sections: AssetPlusSections | null;

  @SensitiveGroup(() => AssetPlusCareHistory, { description: 'Care history and looked-after status.' })
  careHistory: AssetPlusCareHistory | null;

  @Sensitive(S.OFFENDING_CRIMINAL, () => AssetPlusCriminalHistory, { description: 'Criminal history.' })
  criminalHistory: AssetPlusCriminalHistory | null;

  @Sensitive(S.OFFENDING_CRIMINAL, () => String, {
    description: 'Analysis and plan across the areas of life linked to offending.',
    maxLength: 20000,
  })
  analysis: string | null;

  @Sensitive(S.THIRD_PARTY, () => String, {
    description: 'Information supplied by a third party (needs their permission for family proceedings, C2).',
    maxLength: 20000,
  })
  thirdPartyInformation: string | null;

  @Sensitive(S.THIRD_PARTY, () => String, { description: 'Who supplied the third-party information.', maxLength: 500 })
  thirdPartySource: string | null;
}
