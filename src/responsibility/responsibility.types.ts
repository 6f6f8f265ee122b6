import type { CourtOutcome, LegalStatusBasis, YroRequirement } from 'src/vocabulary/children.enums.js';

/** The rule a derived answer came from: its id in DOMAIN.md's tables and the source that says so. */
export interface RuleRef {
  /** E.g. "T7", "L2", "CL-ELIGIBLE", or a per-authority rule id. */
  readonly rule: string;
  readonly citation: string;
  /** The policy file and version the rule was read from, e.g. "derby-responsibility@v1". */
  readonly policy: string;
}

/** One legal-status episode as the rules read it (either dimension). Dates are ISO local dates. */
export interface StatusEpisode {
  readonly basis: LegalStatusBasis;
  readonly dimension: 'CARE' | 'JUSTICE';
  readonly startDate: string;
  /** Null while current. */
  readonly endDate: string | null;
  /** The court outcome that opened the episode (justice episodes recorded from a court outcome). */
  readonly outcome: CourtOutcome | null;
  readonly requirements: readonly YroRequirement[];
}

/** A period a children's social care agency was involved (open) with the child. */
export interface InvolvementPeriod {
  readonly startDate: string;
  readonly endDate: string | null;
}

/** How a child is looked after, when they are. */
export enum LookedAfterRoute {
  CARE_ORDER = 'CARE_ORDER',
  INTERIM_CARE_ORDER = 'INTERIM_CARE_ORDER',
  ACCOMMODATED_S20 = 'ACCOMMODATED_S20',
  REMAND = 'REMAND',
  BAIL_TO_RESIDE = 'BAIL_TO_RESIDE',
  INTENSIVE_FOSTERING = 'INTENSIVE_FOSTERING',
}

/** One step of the looked-after state machine: the status from `date`, and the rule that set it. */
export interface LookedAfterStep extends RuleRef {
  readonly date: string;
  readonly lookedAfter: boolean;
  readonly route: LookedAfterRoute | null;
  /** T8/T9: treated as a child in need; the Visits to Former Looked After Children in Detention Regulations apply. */
  readonly formerlyLookedAfterInDetention: boolean;
  /** The date the current looked-after value (true or false) began; differs from `date` when a rule kept it ("stays"). */
  readonly since: string;
  /** What triggered the step, e.g. "CUSTODIAL_SENTENCE" or "S31_CARE_ORDER". */
  readonly trigger: string;
}

export interface LookedAfterDerivation {
  /** The current step (the last), or null when no rule has ever applied (never looked after). */
  readonly current: LookedAfterStep | null;
  /** Every step, oldest first. */
  readonly history: readonly LookedAfterStep[];
  /** The periods looked after, for the care-leaver tests. */
  readonly periods: readonly { readonly startDate: string; readonly endDate: string | null; readonly route: LookedAfterRoute }[];
}

export enum CareLeaverCategory {
  NONE = 'NONE',
  ELIGIBLE = 'ELIGIBLE',
  RELEVANT = 'RELEVANT',
  FORMER_RELEVANT = 'FORMER_RELEVANT',
  QUALIFYING = 'QUALIFYING',
}

export interface CareLeaverDecision extends RuleRef {
  readonly category: CareLeaverCategory;
  readonly asOf: string;
  readonly age: number;
  /** Days looked after since the 14th birthday (13 weeks = 91 days). */
  readonly daysLookedAfterSince14: number;
  readonly lookedAfterAfter16: boolean;
}

/** Prior involvement of children's social care, an input of the lead rules (DOMAIN §4.1 derived inputs). */
export enum CscInvolvement {
  NONE_OR_CLOSED = 'NONE_OR_CLOSED',
  OPEN_EARLY_HELP = 'OPEN_EARLY_HELP',
  OPEN_CIN = 'OPEN_CIN',
  OPEN_CP = 'OPEN_CP',
  LAC = 'LAC',
}

export enum LeadService {
  YOUTH_JUSTICE = 'YOUTH_JUSTICE',
  CHILDRENS_SOCIAL_CARE = 'CHILDRENS_SOCIAL_CARE',
  LEAVING_CARE = 'LEAVING_CARE',
  NONE = 'NONE',
}

/** What the lead rules read; returned with the answer so that the decision can be checked. */
export interface LeadInputs {
  readonly lookedAfter: boolean;
  readonly route: LookedAfterRoute | null;
  readonly formerlyLookedAfterInDetention: boolean;
  /**
   * When not looked after: the route of the looked-after period that ended last (Table 4.1-A's
   * "status before the court decision", e.g. ACCOMMODATED_S20 after T8, for L6); null otherwise.
   */
  readonly formerRoute?: LookedAfterRoute | null;
  readonly careBasis: LegalStatusBasis | null;
  readonly justiceBasis: LegalStatusBasis | null;
  /** CSC's involvement immediately before the current looked-after period began (or now, when not looked after). */
  readonly cscBefore: CscInvolvement;
  readonly childProtection: boolean;
  readonly careLeaver: CareLeaverCategory;
  readonly youthJusticeInvolved: boolean;
}

export interface LeadDecision extends RuleRef {
  readonly lead: LeadService;
  /** E.g. "CSC_SOCIAL_WORKER" under L2: a social worker must also be allocated. */
  readonly alsoRequired: readonly string[];
  readonly inputs: LeadInputs;
}
