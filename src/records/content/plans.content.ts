import { registerEnumType } from '@nestjs/graphql';
import { Sensitive, SensitiveGroup } from 'src/vocabulary/sensitivity/sensitive-field.decorator.js';
import { SensitivityClass as S } from 'src/vocabulary/sensitivity/sensitivity-class.js';
import { LocalDateScalar } from 'src/common/scalars/local-date.scalar.js';
import { ContentType } from 'src/records/content/content-type.decorator.js';
import { ContactDetails, Signature } from 'src/records/content/common.content.js';

const TEXT = 20000;

@ContentType('PlanAction', 'One action of a plan and the person who owns it (002 §3.4).')
export class PlanAction {
  @Sensitive(S.CARE_PLANNING, () => String, { description: 'What is to be done.', maxLength: 2000 })
  action: string | null;

  @Sensitive(S.IDENTITY_BASIC, () => String, { description: 'Who owns the action.', maxLength: 200 })
  owner: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => LocalDateScalar, { description: 'When it is due.' })
  dueBy: string | null;
}

@ContentType('CarePlanContent', 'The care plan of a looked-after child (CSC).')
export class CarePlanContent {
  @Sensitive(S.CARE_PLANNING, () => String, { description: 'The plan for the child, in summary.', maxLength: TEXT })
  summary: string | null;

  @Sensitive(S.CARE_PLANNING, () => Boolean, {
    description: 'Remand-only looked-after child: the permanence plan may be left out (001 §6.8).',
  })
  remandOnly: boolean | null;

  @Sensitive(S.CARE_PLANNING, () => String, { description: 'The permanence / long-term plan.', maxLength: TEXT })
  permanencePlan: string | null;

  @Sensitive(S.CARE_PLANNING, () => String, {
    description: 'What happens if the child stops being looked after on acquittal or sentence (001 §6.12).',
    maxLength: TEXT,
  })
  contingencyOnCeasingToBeLookedAfter: string | null;

  @Sensitive(S.OFFENDING_CRIMINAL, () => String, {
    description: 'YOS information and support written into the plan (001 §5.8).',
    maxLength: TEXT,
  })
  youthJusticeContribution: string | null;

  @Sensitive(S.HEALTH, () => String, { description: 'Health needs and arrangements.', maxLength: TEXT })
  health: string | null;

  @Sensitive(S.EDUCATION, () => String, { description: 'Education and training.', maxLength: TEXT })
  education: string | null;

  @Sensitive(S.FAMILY_CONTACT, () => String, { description: 'Contact with family and connected persons.', maxLength: TEXT })
  contactArrangements: string | null;

  @Sensitive(S.CARE_PLANNING, () => [PlanAction], { description: 'Actions and their owners.' })
  actions: PlanAction[] | null;

  @Sensitive(S.COURT_RESTRICTED, () => String, {
    description: 'Material from care or family proceedings (needs a court order or consent to leave CSC, C1).',
    maxLength: TEXT,
  })
  courtProceedingsInformation: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => LocalDateScalar, { description: 'When the plan is next reviewed.' })
  nextReviewDate: string | null;
}

@ContentType('PlacementPlanContent', "The placement plan for the child's current placement (CSC).")
export class PlacementPlanContent {
  @Sensitive(S.CARE_PLANNING, () => String, { description: "How the placement meets the child's needs.", maxLength: TEXT })
  howPlacementMeetsNeeds: string | null;

  @Sensitive(S.CARE_PLANNING, () => String, { description: 'Day-to-day care arrangements.', maxLength: TEXT })
  dayToDayCare: string | null;

  @Sensitive(S.FAMILY_CONTACT, () => String, { description: 'Contact arrangements.', maxLength: TEXT })
  contactArrangements: string | null;

  @Sensitive(S.EDUCATION, () => String, { description: 'Education arrangements.', maxLength: TEXT })
  education: string | null;

  @Sensitive(S.HEALTH, () => String, { description: 'Health arrangements.', maxLength: TEXT })
  health: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'How often the social worker visits.', maxLength: 500 })
  visitFrequency: string | null;
}

@ContentType('CourtOrderReference', 'An order under s8 or s34 Children Act 1989 that governs contact.')
export class CourtOrderReference {
  @Sensitive(S.COURT_RESTRICTED, () => String, { description: 'The kind of order (s8 or s34).', maxLength: 100 })
  orderType: string | null;

  @Sensitive(S.COURT_RESTRICTED, () => String, { description: 'What the order provides.', maxLength: TEXT })
  details: string | null;
}

@ContentType(
  'DetentionPlacementPlanContent',
  'The detention placement plan for a child remanded to youth detention accommodation (001 App.2).',
)
export class DetentionPlacementPlanContent {
  @Sensitive(S.PLACEMENT_LOCATION, () => String, { description: 'Name of the youth detention accommodation.', maxLength: 200 })
  establishmentName: string | null;

  @Sensitive(S.PLACEMENT_LOCATION, () => String, { description: 'Address of the youth detention accommodation.', maxLength: 500 })
  establishmentAddress: string | null;

  @Sensitive(S.CARE_PLANNING, () => String, {
    description: "How the establishment will help meet the child's needs.",
    maxLength: TEXT,
  })
  howNeedsWillBeMet: string | null;

  @Sensitive(S.CARE_PLANNING, () => String, { description: 'Day-to-day care and safeguarding.', maxLength: TEXT })
  dayToDayCareAndSafeguarding: string | null;

  @Sensitive(S.FAMILY_CONTACT, () => String, {
    description: 'Contact with parents, people with parental responsibility and connected persons.',
    maxLength: TEXT,
  })
  contactArrangements: string | null;

  @Sensitive(S.FAMILY_CONTACT, () => String, {
    description: 'Why contact is not reasonably practicable or not consistent with welfare, where so.',
    maxLength: TEXT,
  })
  contactNotPracticableReasons: string | null;

  @Sensitive(S.COURT_RESTRICTED, () => [CourtOrderReference], { description: 'Orders under s8 / s34 Children Act 1989.' })
  contactOrders: CourtOrderReference[] | null;

  @Sensitive(S.HEALTH, () => String, { description: 'Physical, emotional and mental health, and dental care.', maxLength: TEXT })
  healthArrangements: string | null;

  @Sensitive(S.HEALTH, () => String, {
    description: 'Who gives or withholds consent to examination or treatment.',
    maxLength: TEXT,
  })
  healthConsentArrangements: string | null;

  @Sensitive(S.EDUCATION, () => String, { description: 'Education and training.', maxLength: TEXT })
  educationAndTraining: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'Social worker visits and their frequency.', maxLength: 2000 })
  socialWorkerVisits: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'Advice and support between visits.', maxLength: 2000 })
  supportBetweenVisits: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, {
    description: 'Independent visitor arrangements, if one is appointed.',
    maxLength: 2000,
  })
  independentVisitorArrangements: string | null;

  @Sensitive(S.CARE_PLANNING, () => String, { description: "The child's personal history.", maxLength: TEXT })
  personalHistory: string | null;

  @Sensitive(S.ETHNICITY_RELIGION, () => String, { description: 'Religious persuasion.', maxLength: 200 })
  religiousPersuasion: string | null;

  @Sensitive(S.ETHNICITY_RELIGION, () => String, { description: 'Cultural and linguistic background.', maxLength: 2000 })
  culturalAndLinguisticBackground: string | null;

  @Sensitive(S.ETHNICITY_RELIGION, () => String, { description: 'Racial origin.', maxLength: 200 })
  racialOrigin: string | null;

  @Sensitive(S.IDENTITY_BASIC, () => ContactDetails, { description: 'The independent reviewing officer.' })
  independentReviewingOfficer: ContactDetails | null;

  @Sensitive(S.IDENTITY_BASIC, () => ContactDetails, { description: 'The independent visitor, if any.' })
  independentVisitor: ContactDetails | null;

  @Sensitive(S.IDENTITY_BASIC, () => ContactDetails, { description: 'The social worker.' })
  socialWorker: ContactDetails | null;

  @Sensitive(S.IDENTITY_BASIC, () => ContactDetails, { description: 'The personal adviser, if an eligible child.' })
  personalAdviser: ContactDetails | null;

  @Sensitive(S.CARE_PLANNING, () => Boolean, { description: "The child's wishes and feelings were sought and considered." })
  wishesAndFeelingsConsidered: boolean | null;

  @Sensitive(S.CARE_PLANNING, () => String, {
    description: 'Advice, assistance and support when the remand ends, for a child not looked after before it (Reg 39).',
    maxLength: TEXT,
  })
  supportWhenRemandEnds: string | null;

  @Sensitive(S.IDENTITY_BASIC, () => Signature, { description: 'Signature of the Governor, Director or Registered Manager.' })
  establishmentSignature: Signature | null;
}

@ContentType('PathwayPlanContent', 'The pathway plan of a care leaver (leaving-care service).')
export class PathwayPlanContent {
  @Sensitive(S.CARE_PLANNING, () => String, { description: 'Assessment of needs.', maxLength: TEXT })
  needsAssessment: string | null;

  @Sensitive(S.PLACEMENT_LOCATION, () => String, { description: 'Accommodation, including on release.', maxLength: TEXT })
  accommodation: string | null;

  @Sensitive(S.CARE_PLANNING, () => String, { description: 'Financial support and maintenance.', maxLength: TEXT })
  financialSupport: string | null;

  @Sensitive(S.EDUCATION, () => String, { description: 'Education, training and employment.', maxLength: TEXT })
  educationTrainingEmployment: string | null;

  @Sensitive(S.HEALTH, () => String, { description: 'Health and wellbeing.', maxLength: TEXT })
  health: string | null;

  @Sensitive(S.OFFENDING_CRIMINAL, () => String, { description: 'YOS or Probation information (001 §5.8).', maxLength: TEXT })
  criminalJusticeInformation: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => LocalDateScalar, {
    description: 'Next review; at least a month before release when in custody (001 §9.3).',
  })
  nextReviewDate: string | null;
}

@ContentType('InterventionPlanContent', 'The YOS intervention plan, shared with and acted on by both services (002 §4.3).')
export class InterventionPlanContent {
  @Sensitive(S.RISK, () => [String], { description: 'Key risk areas the plan targets.', maxLength: 500 })
  riskTargets: string[] | null;

  @Sensitive(S.CARE_PLANNING, () => [String], { description: 'Protective factors the plan builds on.', maxLength: 500 })
  protectiveFactors: string[] | null;

  @Sensitive(S.CARE_PLANNING, () => [PlanAction], { description: 'Interventions and who delivers them.' })
  interventions: PlanAction[] | null;

  @Sensitive(S.IDENTITY_BASIC, () => Signature, {
    description: 'Signature as parent/carer: the allocated social worker for a looked-after child (001 §5.8).',
  })
  parentOrCarerSignature: Signature | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => LocalDateScalar, { description: 'When the plan is next reviewed.' })
  nextReviewDate: string | null;
}

export enum ReleaseLivingOption {
  FAMILY_WITH_SECTION_17_SUPPORT = 'FAMILY_WITH_SECTION_17_SUPPORT',
  FAMILY_WITH_YJS_SUPERVISION_ONLY = 'FAMILY_WITH_YJS_SUPERVISION_ONLY',
  BECOMES_LOOKED_AFTER = 'BECOMES_LOOKED_AFTER',
  INDEPENDENT_LIVING = 'INDEPENDENT_LIVING',
}

registerEnumType(ReleaseLivingOption, {
  name: 'ReleaseLivingOption',
  description: 'Where the child will live on release (003 §8.2).',
  valuesMap: {
    FAMILY_WITH_SECTION_17_SUPPORT: { description: 'With parents or family, with s17 support and YJS supervision.' },
    FAMILY_WITH_YJS_SUPERVISION_ONLY: { description: 'With parents or family, with YJS supervision only.' },
    BECOMES_LOOKED_AFTER: { description: 'Becomes looked after on release.' },
    INDEPENDENT_LIVING: { description: 'Independent living.' },
  },
});

@ContentType('PreReleaseChecklist', 'What the child must be told no later than 14 days before release (003 §8.4, 001 §9.4).')
export class PreReleaseChecklist {
  @Sensitive(S.CARE_PLANNING, () => String, { description: '1. Who is collecting them.', maxLength: 2000 })
  whoIsCollecting: string | null;

  @Sensitive(S.PLACEMENT_LOCATION, () => String, { description: '2. Where they will live.', maxLength: 2000 })
  whereTheyWillLive: string | null;

  @Sensitive(S.OFFENDING_CRIMINAL, () => String, { description: '3. Reporting arrangements to the YJS.', maxLength: 2000 })
  reportingArrangements: string | null;

  @Sensitive(S.CARE_PLANNING, () => String, { description: '4. Sources of support, including out of hours.', maxLength: 2000 })
  sourcesOfSupport: string | null;

  @Sensitive(S.EDUCATION, () => String, { description: '5. Education or employment arrangements.', maxLength: 2000 })
  educationOrEmployment: string | null;

  @Sensitive(S.HEALTH, () => String, { description: '6. Arrangements for continuing health needs.', maxLength: 2000 })
  healthNeeds: string | null;

  @Sensitive(S.CARE_PLANNING, () => String, {
    description: '7. How and when they get financial support and clothing.',
    maxLength: 2000,
  })
  financialSupportAndClothing: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, {
    description: '8. When they will see their social worker or PA.',
    maxLength: 2000,
  })
  nextWorkerVisit: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, {
    description: '9. The roles and responsibilities of each practitioner.',
    maxLength: 2000,
  })
  practitionerRoles: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => LocalDateScalar, { description: 'When the child was told.' })
  childToldOn: string | null;
}

@ContentType('ReleasePlanContent', 'The release / resettlement plan (YJS, 003 §8).')
export class ReleasePlanContent {
  @Sensitive(S.CASE_ADMINISTRATION, () => LocalDateScalar, { description: 'Expected release date.' })
  releaseDate: string | null;

  @Sensitive(S.PLACEMENT_LOCATION, () => ReleaseLivingOption, { description: 'The living option on release.' })
  livingOption: ReleaseLivingOption | null;

  @Sensitive(S.EDUCATION, () => String, { description: 'Education, training and employment arrangements.', maxLength: TEXT })
  educationTrainingEmployment: string | null;

  @Sensitive(S.OFFENDING_CRIMINAL, () => String, {
    description: 'Mobility / release on temporary licence for education and accommodation (003 §8.1).',
    maxLength: TEXT,
  })
  temporaryLicenceArrangements: string | null;

  @Sensitive(S.RISK, () => String, { description: 'Risks the child poses (003 §8.4).', maxLength: TEXT })
  risksPosed: string | null;

  @SensitiveGroup(() => PreReleaseChecklist, { description: 'The pre-release checklist.' })
  preReleaseChecklist: PreReleaseChecklist | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => Boolean, {
    description:
      "The YJS's note of whether the CSC operations manager agrees (003 §8.3); the manager's own decision is `decideReleasePlan`, in the plan's signatures.",
  })
  agreedBySocialCare: boolean | null;
}

@ContentType('PlanningMeetingRecordContent', 'The joint YOS/CSC planning-meeting record (003 §2.4, §10.1; 001 §5.9).')
export class PlanningMeetingRecordContent {
  @Sensitive(S.CASE_ADMINISTRATION, () => LocalDateScalar, { description: 'When the meeting was held.' })
  meetingDate: string | null;

  @Sensitive(S.IDENTITY_BASIC, () => [ContactDetails], { description: 'Who attended.' })
  attendees: ContactDetails[] | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'The agreed role of each team.', maxLength: TEXT })
  agreedRoles: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'How and how often the workers communicate.', maxLength: TEXT })
  communicationArrangements: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => Boolean, {
    description: 'The YJS intervention plan, RoSH and SWB were exchanged.',
  })
  youthJusticePlanExchanged: boolean | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => Boolean, { description: 'The CSC plan and welfare concerns were exchanged.' })
  socialCarePlanExchanged: boolean | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, {
    description: 'For households: how information flows and how the work is reviewed.',
    maxLength: TEXT,
  })
  householdArrangements: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => Boolean, { description: 'The personal adviser is included (eligible child).' })
  personalAdviserIncluded: boolean | null;

  @Sensitive(S.CARE_PLANNING, () => [PlanAction], { description: 'Agreed actions and their owners.' })
  actions: PlanAction[] | null;
}
