import { LegalStatusBasis } from 'src/vocabulary/children.enums.js';
import {
  CscInvolvement,
  type CareLeaverDecision,
  type InvolvementPeriod,
  type LeadDecision,
  type LeadInputs,
  type LookedAfterDerivation,
  type StatusEpisode,
} from 'src/responsibility/responsibility.types.js';
import { policyRef, type LeadConditions, type ResponsibilityPolicy } from 'src/responsibility/protocol-policy.schema.js';
import { stepOn } from 'src/responsibility/looked-after.js';
import { addDaysTo } from 'src/responsibility/dates.js';
import { basisOn } from 'src/responsibility/status-episodes.js';

/** What CSC's care basis says about its involvement. */
const INVOLVEMENT_OF_BASIS: Partial<Record<LegalStatusBasis, CscInvolvement>> = {
  S31_CARE_ORDER: CscInvolvement.LAC,
  INTERIM_CARE_ORDER: CscInvolvement.LAC,
  S20_ACCOMMODATED: CscInvolvement.LAC,
  S47_CHILD_PROTECTION: CscInvolvement.OPEN_CP,
  S17_CHILD_IN_NEED: CscInvolvement.OPEN_CIN,
  EARLY_HELP: CscInvolvement.OPEN_EARLY_HELP,
};

/**
 * CSC's involvement on a day: its care basis, else an open CSC involvement with no care basis
 * recorded, read as OPEN_CIN (the child is open to social care, which is what Table 4.1-A asks),
 * else NONE_OR_CLOSED.
 */
function involvementOn(episodes: readonly StatusEpisode[], csc: readonly InvolvementPeriod[], date: string): CscInvolvement {
  const basis = basisOn(episodes, 'CARE', date);
  const fromBasis = basis === null ? undefined : INVOLVEMENT_OF_BASIS[basis];
  if (fromBasis) return fromBasis;
  const open = csc.some((period) => period.startDate <= date && (period.endDate === null || period.endDate > date));
  return open ? CscInvolvement.OPEN_CIN : CscInvolvement.NONE_OR_CLOSED;
}

/**
 * The inputs of the lead rules on `asOf`. `cscBefore` is CSC's involvement on the day before the
 * current looked-after period began (so a case CSC opens because of the remand does not count as
 * "already open", L2 vs L3); when not looked after it is CSC's involvement now, and a child
 * formerly looked after in detention counts as OPEN_CIN (treated as a child in need, 000 L106).
 */
export function leadInputs(args: {
  derivation: LookedAfterDerivation;
  episodes: readonly StatusEpisode[];
  cscInvolvement: readonly InvolvementPeriod[];
  careLeaver: CareLeaverDecision;
  youthJusticeInvolved: boolean;
  asOf: string;
}): LeadInputs {
  const { derivation, episodes, cscInvolvement, asOf } = args;
  const step = stepOn(derivation, asOf);
  const lookedAfter = step?.lookedAfter ?? false;
  const formerly = step?.formerlyLookedAfterInDetention ?? false;
  const careBasis = basisOn(episodes, 'CARE', asOf);
  let cscBefore: CscInvolvement;
  if (lookedAfter && step) cscBefore = involvementOn(episodes, cscInvolvement, addDaysTo(step.since, -1));
  else if (formerly) cscBefore = CscInvolvement.OPEN_CIN;
  else cscBefore = involvementOn(episodes, cscInvolvement, asOf);
  const ended = derivation.periods.filter((period) => period.endDate !== null && period.endDate <= asOf).at(-1);
  return {
    lookedAfter,
    route: lookedAfter ? (step?.route ?? null) : null,
    formerlyLookedAfterInDetention: formerly,
    formerRoute: lookedAfter ? null : (ended?.route ?? null),
    careBasis,
    justiceBasis: basisOn(episodes, 'JUSTICE', asOf),
    cscBefore,
    childProtection: careBasis === LegalStatusBasis.S47_CHILD_PROTECTION,
    careLeaver: args.careLeaver.category,
    youthJusticeInvolved: args.youthJusticeInvolved,
  };
}

function within<T>(allowed: readonly T[] | undefined, value: T | null | undefined): boolean {
  return allowed === undefined || (value !== null && value !== undefined && allowed.includes(value));
}

function holds(when: LeadConditions, inputs: LeadInputs): boolean {
  return (
    (when.lookedAfter === undefined || when.lookedAfter === inputs.lookedAfter) &&
    within(when.routes, inputs.route) &&
    within(when.formerRoutes, inputs.formerRoute) &&
    (when.formerlyLookedAfterInDetention === undefined ||
      when.formerlyLookedAfterInDetention === inputs.formerlyLookedAfterInDetention) &&
    within(when.careBases, inputs.careBasis) &&
    within(when.justiceBases, inputs.justiceBasis) &&
    within(when.cscBefore, inputs.cscBefore) &&
    (when.childProtection === undefined || when.childProtection === inputs.childProtection) &&
    within(when.careLeaver, inputs.careLeaver) &&
    (when.youthJusticeInvolved === undefined || when.youthJusticeInvolved === inputs.youthJusticeInvolved)
  );
}

/** The lead professional under the authority's rules: the first rule whose conditions hold. */
export function leadProfessional(inputs: LeadInputs, policy: ResponsibilityPolicy): LeadDecision {
  const rule = policy.leadProfessional.find((candidate) => holds(candidate.when, inputs));
  // The schema makes the last rule a catch-all, so one always holds.
  if (!rule) throw new Error(`${policyRef(policy)} has no catch-all lead rule`);
  return {
    rule: rule.rule,
    citation: rule.citation,
    policy: policyRef(policy),
    lead: rule.lead,
    alsoRequired: rule.alsoRequired ?? [],
    inputs,
  };
}
