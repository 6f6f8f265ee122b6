import { Int, registerEnumType } from '@nestjs/graphql';
import { Sensitive, SensitiveGroup } from 'src/vocabulary/sensitivity/sensitive-field.decorator.js';
import { SensitivityClass as S } from 'src/vocabulary/sensitivity/sensitivity-class.js';
import { LocalDateScalar } from 'src/common/scalars/local-date.scalar.js';
import { ContentType } from 'src/records/content/content-type.decorator.js';

const TEXT = 20000;

export enum EducationalSituation {
  MAINSTREAM = 'MAINSTREAM',
  SPECIAL_SCHOOL = 'SPECIAL_SCHOOL',
  PUPIL_REFERRAL_UNIT = 'PUPIL_REFERRAL_UNIT',
  OTHER_UNIT = 'OTHER_UNIT',
  NOT_IN_EDUCATION = 'NOT_IN_EDUCATION',
}

export enum AssessmentOutcome {
  NO_FURTHER_ACTION = 'NO_FURTHER_ACTION',
  EARLY_HELP = 'EARLY_HELP',
  CHILD_IN_NEED = 'CHILD_IN_NEED',
  CHILD_PROTECTION = 'CHILD_PROTECTION',
  LOOKED_AFTER = 'LOOKED_AFTER',
}

registerEnumType(EducationalSituation, {
  name: 'EducationalSituation',
  description: 'Where the child is educated (Onset, 004 Annex D).',
  valuesMap: {
    MAINSTREAM: { description: 'Mainstream school.' },
    SPECIAL_SCHOOL: { description: 'Special school.' },
    PUPIL_REFERRAL_UNIT: { description: 'Pupil referral unit.' },
    OTHER_UNIT: { description: 'Another unit.' },
    NOT_IN_EDUCATION: { description: 'Not in education.' },
  },
});

registerEnumType(AssessmentOutcome, {
  name: 'AssessmentOutcome',
  description: 'What a social care assessment concluded.',
  valuesMap: {
    NO_FURTHER_ACTION: { description: 'No further action.' },
    EARLY_HELP: { description: 'Early help.' },
    CHILD_IN_NEED: { description: 'Child in need (s17).' },
    CHILD_PROTECTION: { description: 'Child protection (s47).' },
    LOOKED_AFTER: { description: 'To become looked after.' },
  },
});

@ContentType('OnsetScores', 'The nine scored Onset sections, 0–4.')
export class OnsetScores {
  @Sensitive(S.RISK, () => Int, { description: 'Neighbourhood.', min: 0, max: 4 })
  neighbourhood: number | null;

  @Sensitive(S.RISK, () => Int, { description: 'Lifestyle.', min: 0, max: 4 })
  lifestyle: number | null;

  @Sensitive(S.HEALTH, () => Int, { description: 'Substance misuse.', min: 0, max: 4 })
  substanceMisuse: number | null;

  @Sensitive(S.HEALTH, () => Int, { description: 'Physical health.', min: 0, max: 4 })
  physicalHealth: number | null;

  @Sensitive(S.HEALTH, () => Int, { description: 'Emotional and mental health.', min: 0, max: 4 })
  emotionalAndMentalHealth: number | null;

  @Sensitive(S.CARE_PLANNING, () => Int, { description: 'Perception of self and others.', min: 0, max: 4 })
  perceptionOfSelfAndOthers: number | null;

  @Sensitive(S.RISK, () => Int, { description: 'Thinking and behaviour.', min: 0, max: 4 })
  thinkingAndBehaviour: number | null;

  @Sensitive(S.OFFENDING_CRIMINAL, () => Int, { description: 'Attitudes to offending.', min: 0, max: 4 })
  attitudesToOffending: number | null;

  @Sensitive(S.OFFENDING_CRIMINAL, () => Int, { description: 'Motivation to change.', min: 0, max: 4 })
  motivationToChange: number | null;
}

@ContentType('OnsetContent', 'Onset: the YOS prevention assessment of a child at risk of offending (004 Annex D).')
export class OnsetContent {
  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'Referral number.', maxLength: 100 })
  referralNumber: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => LocalDateScalar, { description: 'When the assessment was completed.' })
  assessmentDate: string | null;

  @Sensitive(S.IDENTITY_BASIC, () => String, { description: 'Gender.', maxLength: 100 })
  gender: string | null;

  @Sensitive(S.ETHNICITY_RELIGION, () => String, { description: 'Ethnicity.', maxLength: 200 })
  ethnicity: string | null;

  @Sensitive(S.OFFENDING_CRIMINAL, () => Int, { description: 'Age at first police contact.', min: 0, max: 25 })
  ageAtFirstPoliceContact: number | null;

  @Sensitive(S.WELFARE_CP, () => Boolean, { description: "Whether the child is known to children's services." })
  knownToChildrensServices: boolean | null;

  @Sensitive(S.THIRD_PARTY, () => Boolean, { description: "Whether siblings are known to children's services." })
  siblingsKnownToChildrensServices: boolean | null;

  @Sensitive(S.LEGAL_STATUS, () => String, {
    description: "Type of children's services contact (accommodated, care order, CP register; current or previous).",
    maxLength: 200,
  })
  childrensServicesContactType: string | null;

  @Sensitive(S.EDUCATION, () => EducationalSituation, { description: 'Educational situation.' })
  educationalSituation: EducationalSituation | null;

  @Sensitive(S.CARE_PLANNING, () => Boolean, { description: 'Whether current accommodation is suitable.' })
  accommodationSuitable: boolean | null;

  @SensitiveGroup(() => OnsetScores, { description: 'The scored sections.' })
  scores: OnsetScores | null;
}

@ContentType('SingleAssessmentContent', 'Single Assessment / child-in-need assessment by CSC.')
export class SingleAssessmentContent {
  @Sensitive(S.CASE_ADMINISTRATION, () => LocalDateScalar, { description: 'When the assessment started.' })
  startDate: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => LocalDateScalar, { description: 'When it was completed (10 working days).' })
  completedDate: string | null;

  @Sensitive(S.WELFARE_CP, () => String, { description: 'Why the child was assessed.', maxLength: TEXT })
  reasonForAssessment: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => Boolean, { description: 'Whether AssetPlus informed it (000 L72).' })
  informedByAssetPlus: boolean | null;

  @Sensitive(S.CARE_PLANNING, () => String, { description: 'Needs during a remand.', maxLength: TEXT })
  needsDuringRemand: string | null;

  @Sensitive(S.CARE_PLANNING, () => String, { description: 'Needs after the hearing, including future needs.', maxLength: TEXT })
  needsAfterHearing: string | null;

  @Sensitive(S.CARE_PLANNING, () => String, {
    description: 'Help needed on release, and suitable accommodation on return.',
    maxLength: TEXT,
  })
  releaseSupportNeeds: string | null;

  @Sensitive(S.HEALTH, () => String, { description: 'Health needs.', maxLength: TEXT })
  healthNeeds: string | null;

  @Sensitive(S.EDUCATION, () => String, { description: 'Education needs.', maxLength: TEXT })
  educationNeeds: string | null;

  @Sensitive(S.FAMILY_CONTACT, () => String, { description: 'Family and environment.', maxLength: TEXT })
  familyAndEnvironment: string | null;

  @Sensitive(S.CARE_PLANNING, () => String, { description: "The child's wishes and feelings.", maxLength: TEXT })
  wishesAndFeelings: string | null;

  @Sensitive(S.WELFARE_CP, () => String, { description: 'Analysis.', maxLength: TEXT })
  analysis: string | null;

  @Sensitive(S.WELFARE_CP, () => AssessmentOutcome, { description: 'Outcome.' })
  outcome: AssessmentOutcome | null;
}

@ContentType('EarlyHelpAssessmentContent', 'Early Help Assessment (CAF) by CSC early help.')
export class EarlyHelpAssessmentContent {
  @Sensitive(S.CASE_ADMINISTRATION, () => LocalDateScalar, { description: 'When the assessment was completed.' })
  assessmentDate: string | null;

  @Sensitive(S.WELFARE_CP, () => String, { description: 'Presenting needs.', maxLength: TEXT })
  presentingNeeds: string | null;

  @Sensitive(S.FAMILY_CONTACT, () => Boolean, { description: 'Whether it shows unmet parenting need (001 §11.2).' })
  unmetParentingNeed: boolean | null;

  @Sensitive(S.CARE_PLANNING, () => String, { description: 'Strengths.', maxLength: TEXT })
  strengths: string | null;

  @Sensitive(S.CARE_PLANNING, () => [String], { description: 'Agreed actions.', maxLength: 2000 })
  agreedActions: string[] | null;

  @Sensitive(S.PLACEMENT_LOCATION, () => Boolean, {
    description: 'Whether a 16–17-year-old is at risk of homelessness (003 §12).',
  })
  homelessnessRisk: boolean | null;
}

@ContentType('CustodyVisitAnalysis', 'The analysis the custody-visit assessment must reach (001 §7.10).')
export class CustodyVisitAnalysis {
  @Sensitive(S.WELFARE_CP, () => Boolean, { description: "Whether the child's welfare is adequately safeguarded." })
  welfareSafeguarded: boolean | null;

  @Sensitive(S.CARE_PLANNING, () => Boolean, { description: 'Whether further visits are needed.' })
  furtherVisitsNeeded: boolean | null;

  @Sensitive(S.FAMILY_CONTACT, () => String, { description: 'Who keeps in touch; help needed with contact.', maxLength: TEXT })
  keepingInTouch: string | null;

  @Sensitive(S.LEGAL_STATUS, () => Boolean, { description: 'Whether the child should become looked after again on release.' })
  lookedAfterOnRelease: boolean | null;

  @Sensitive(S.CARE_PLANNING, () => String, {
    description: 'Other services needed, from this or another authority.',
    maxLength: TEXT,
  })
  otherServicesNeeded: string | null;
}

@ContentType('CustodyVisitAssessmentContent', 'Initial custody-visit assessment by the social worker (001 §7.8–7.10).')
export class CustodyVisitAssessmentContent {
  @Sensitive(S.CASE_ADMINISTRATION, () => LocalDateScalar, { description: 'Date of the visit (within 10 working days).' })
  visitDate: string | null;

  @Sensitive(S.CARE_PLANNING, () => Boolean, { description: 'Whether the child was seen in private.' })
  seenInPrivate: boolean | null;

  @Sensitive(S.CARE_PLANNING, () => Boolean, { description: 'Whether the child refused to be seen in private.' })
  childRefusedPrivateVisit: boolean | null;

  @Sensitive(S.HEALTH, () => String, { description: 'Risk of self-harm.', maxLength: TEXT })
  riskOfSelfHarm: string | null;

  @Sensitive(S.HEALTH, () => String, { description: 'Emotional state.', maxLength: TEXT })
  emotionalState: string | null;

  @Sensitive(S.CARE_PLANNING, () => String, { description: 'Practical needs (money, clothes, books).', maxLength: TEXT })
  practicalNeeds: string | null;

  @Sensitive(S.EDUCATION, () => String, {
    description: 'Whether education staff know and can meet educational needs.',
    maxLength: TEXT,
  })
  educationNeedsMet: string | null;

  @Sensitive(S.HEALTH, () => String, {
    description: 'Whether the health unit and wing know and can meet health needs.',
    maxLength: TEXT,
  })
  healthNeedsMet: string | null;

  @Sensitive(S.ETHNICITY_RELIGION, () => String, {
    description: 'Whether religious and cultural needs are met.',
    maxLength: TEXT,
  })
  religiousAndCulturalNeedsMet: string | null;

  @Sensitive(S.CARE_PLANNING, () => String, { description: "The child's worries and access to advocacy.", maxLength: TEXT })
  worriesAndAdvocacy: string | null;

  @Sensitive(S.FAMILY_CONTACT, () => String, {
    description: 'Whether parents can exercise parental responsibility.',
    maxLength: TEXT,
  })
  parentalResponsibility: string | null;

  @Sensitive(S.FAMILY_CONTACT, () => String, {
    description: 'Change in parental capacity to resume care, and support needed.',
    maxLength: TEXT,
  })
  parentalCapacity: string | null;

  @Sensitive(S.CARE_PLANNING, () => String, {
    description: 'Alternative arrangements if neither home nor looked after.',
    maxLength: TEXT,
  })
  alternativeArrangements: string | null;

  @Sensitive(S.FAMILY_CONTACT, () => String, {
    description: 'Wishes of parents and others with parental responsibility.',
    maxLength: TEXT,
  })
  parentsWishes: string | null;

  @SensitiveGroup(() => CustodyVisitAnalysis, { description: 'Analysis and recommendations.' })
  analysis: CustodyVisitAnalysis | null;
}
