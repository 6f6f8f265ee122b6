import { TandemError, ErrorCode } from 'src/common/errors/tandem-error.js';
import type { RecordKind } from 'src/vocabulary/record-kind.js';

/** One item a FINAL version must hold: any of `fields` filled (or, with `mustBeTrue`, set to true). */
interface Requirement {
  /** Dotted paths into the content; the first is the one named when the item is missing. */
  readonly fields: readonly string[];
  /** What the protocol asks for, as the caller is told. */
  readonly item: string;
  readonly mustBeTrue?: boolean;
}

const need = (item: string, ...fields: string[]): Requirement => ({ item, fields });

/**
 * What each kind must hold to be made FINAL, from the protocols. A kind not listed needs only some
 * content. Items a protocol makes conditional on facts Tandem cannot check from the record (an
 * independent visitor appointed, an eligible child, s8/s34 orders made, a child not looked after
 * before the remand) are left to the author; the establishment's signature comes after FINAL,
 * through signDetentionPlacementPlan.
 */
const REQUIREMENTS: Readonly<Partial<Record<RecordKind, readonly Requirement[]>>> = {
  DETENTION_PLACEMENT_PLAN: [
    need('the name of the youth detention accommodation', 'establishmentName'),
    need('its address', 'establishmentAddress'),
    need("how it will help meet the child's needs", 'howNeedsWillBeMet'),
    need('day-to-day care and safeguarding', 'dayToDayCareAndSafeguarding'),
    need(
      'contact with parents and connected persons, or why it is not practicable',
      'contactArrangements',
      'contactNotPracticableReasons',
    ),
    need('health (physical, emotional, mental) and dental arrangements', 'healthArrangements'),
    need('who gives or withholds consent to examination or treatment', 'healthConsentArrangements'),
    need('education and training', 'educationAndTraining'),
    need("the social worker's visits and their frequency", 'socialWorkerVisits'),
    need('advice and support between visits', 'supportBetweenVisits'),
    need("the child's personal history", 'personalHistory'),
    need('religious persuasion', 'religiousPersuasion'),
    need('cultural and linguistic background', 'culturalAndLinguisticBackground'),
    need('racial origin', 'racialOrigin'),
    need('the name of the independent reviewing officer', 'independentReviewingOfficer.name'),
    need('the name of the social worker', 'socialWorker.name'),
    {
      item: "confirmation that the child's wishes and feelings were sought and considered",
      fields: ['wishesAndFeelingsConsidered'],
      mustBeTrue: true,
    },
  ],
  CUSTODY_VISIT_ASSESSMENT: [
    need('the date of the visit', 'visitDate'),
    need('whether the child was seen in private', 'seenInPrivate', 'childRefusedPrivateVisit'),
    need("analysis: whether the child's welfare is adequately safeguarded", 'analysis.welfareSafeguarded'),
    need('analysis: whether further visits are needed', 'analysis.furtherVisitsNeeded'),
    need('analysis: who keeps in touch, and help needed with contact', 'analysis.keepingInTouch'),
    need('analysis: whether the child should become looked after again on release', 'analysis.lookedAfterOnRelease'),
    need('analysis: other services needed', 'analysis.otherServicesNeeded'),
  ],
  CUSTODY_INFORMATION_PACK: [
    need('1. previous care status', 'previousCareStatus'),
    need('2. people with parental responsibility', 'parentalResponsibility'),
    need("3. the authority's representative and the accountable team manager", 'representativeAndTeamManager'),
    need("4. information needed immediately for the child's safety", 'immediateSafetyInformation'),
    need('5. family, carers and contact arrangements', 'familyAndContact'),
    need('6. needs, especially health and education', 'healthAndEducationNeeds'),
    need('7. when the social worker will visit', 'socialWorkerVisitDate'),
  ],
  CARE_PLAN: [need('the plan for the child', 'summary')],
  RELEASE_PLAN: [need('the expected release date', 'releaseDate'), need('the living option on release', 'livingOption')],
  PATHWAY_PLAN: [need('the assessment of needs', 'needsAssessment'), need('accommodation', 'accommodation')],
  PLANNING_MEETING_RECORD: [
    need('when the meeting was held', 'meetingDate'),
    need('the agreed role of each team', 'agreedRoles'),
    need('how and how often the workers communicate', 'communicationArrangements'),
  ],
  RELEASE_CHECKLIST: [
    need('1. who is collecting them', 'whoIsCollecting'),
    need('2. where they will live', 'whereTheyWillLive'),
    need('3. the reporting arrangements', 'reportingArrangements'),
    need('4. sources of support, including out of hours', 'sourcesOfSupport'),
    need('5. education or employment', 'educationOrEmployment'),
    need('6. continuing health needs', 'healthNeeds'),
    need('7. financial support and clothing', 'financialSupportAndClothing'),
    need('8. when they will next see their worker', 'nextWorkerVisit'),
    need('9. the roles and responsibilities of the practitioners', 'practitionerRoles'),
    need('when the young person was told', 'childToldOn'),
  ],
  LOOKED_AFTER_REVIEW: [
    need('when the review was held', 'reviewDate'),
    need('who chaired it', 'chairedBy'),
    need('what it decided', 'decisions'),
  ],
  SETTLING_IN_REPORT: [
    need('how the child has settled', 'howChildHasSettled'),
    need('the agreed visiting arrangements', 'agreedVisitingArrangements'),
  ],
};

/** Where each kind's rule comes from, for the message. */
const SOURCE: Readonly<Partial<Record<RecordKind, string>>> = {
  DETENTION_PLACEMENT_PLAN: 'every Appendix 2 item (001 §6.11, App.2)',
  CUSTODY_VISIT_ASSESSMENT: 'the visit and its analysis and recommendations (001 §7.10)',
  CUSTODY_INFORMATION_PACK: 'the seven items of 001 §7.6',
  PLANNING_MEETING_RECORD: 'what the meeting agreed (003 §2.4)',
  RELEASE_PLAN: 'the release date and living option (003 §8.2)',
  SETTLING_IN_REPORT: 'both items of 001 §7.7',
  LOOKED_AFTER_REVIEW: 'when it was held, its chair and its decisions (003 §7.4)',
  RELEASE_CHECKLIST: 'all nine items and the day the young person was told (001 §9.4, 003 §8.4)',
};

function valueAt(content: Readonly<Record<string, unknown>>, path: string): unknown {
  let current: unknown = content;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function filled(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return value.trim().length > 0;
  if (Array.isArray(value)) return value.some(filled);
  if (typeof value === 'object') return Object.values(value).some(filled);
  return true;
}

/** The items a FINAL version of this kind would lack, each as `field: what the protocol asks for`. */
export function missingForFinal(kind: RecordKind, content: Readonly<Record<string, unknown>>): string[] {
  const requirements = REQUIREMENTS[kind];
  if (!requirements) return filled(content) ? [] : ['content: an empty record cannot be final'];
  return requirements
    .filter(({ fields, mustBeTrue }) =>
      mustBeTrue
        ? !fields.some((field) => valueAt(content, field) === true)
        : !fields.some((field) => filled(valueAt(content, field))),
    )
    .map(({ fields, item }) => `${fields.join(' or ')}: ${item}`);
}

/** BAD_USER_INPUT naming each missing item (also listed in `extensions.missing`) unless the content may be FINAL. */
export function requireFinalContent(kind: RecordKind, content: Readonly<Record<string, unknown>>, field: string): void {
  const missing = missingForFinal(kind, content);
  if (missing.length === 0) return;
  const needs = SOURCE[kind] ?? 'what its kind requires';
  throw new TandemError(
    ErrorCode.BAD_USER_INPUT,
    `A FINAL ${kind} needs ${needs}; missing: ${missing.join('; ')}. Save it as a DRAFT until it is complete.`,
    { field, missing },
  );
}
