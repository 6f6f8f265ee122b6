import { LegalStatusBasis } from 'src/vocabulary/children.enums.js';
import type { CareLeaverDecision, LookedAfterDerivation, StatusEpisode } from 'src/responsibility/responsibility.types.js';
import { CareLeaverCase, policyRef, type ResponsibilityPolicy } from 'src/responsibility/protocol-policy.schema.js';
import { daysLookedAfterSince14 } from 'src/responsibility/looked-after.js';
import { addDaysTo, ageOn, birthday, daysBetween, minDate, overlapDays } from 'src/responsibility/dates.js';
import { basisOn, changesOf } from 'src/responsibility/status-episodes.js';

/**
 * The care-leaver category on a date (DOMAIN Table 4.5-A, DECISIONS §3). The statutory tests count
 * looked-after days from the 14th birthday up to and including `asOf`, and never past the 18th
 * birthday: looking after ends at 18, whatever an unclosed episode says, so from 18 the child is
 * read as not looked after and the tests are those they met as a child.
 */

const REMANDS: ReadonlySet<LegalStatusBasis> = new Set([
  LegalStatusBasis.REMAND_LOCAL_AUTHORITY_ACCOMMODATION,
  LegalStatusBasis.REMAND_YOUTH_DETENTION_ACCOMMODATION,
]);

/**
 * H&F's reading of 002 §4.6(b): a remand (one or more remand episodes in a row) of at least
 * `minimumDays` that ended in a custodial sentence on or before `asOf`, for a child on s20 when
 * the remand began.
 */
function remandEndedInCustodyFromS20(episodes: readonly StatusEpisode[], asOf: string, minimumDays: number): boolean {
  const justice = changesOf(episodes, 'JUSTICE');
  let remandStart: string | null = null;
  for (const episode of justice) {
    if (episode.startDate > asOf) break;
    if (REMANDS.has(episode.basis)) {
      remandStart ??= episode.startDate;
      continue;
    }
    if (
      remandStart !== null &&
      episode.basis === LegalStatusBasis.CUSTODIAL_SENTENCE &&
      daysBetween(remandStart, episode.startDate) >= minimumDays &&
      basisOn(episodes, 'CARE', remandStart) === LegalStatusBasis.S20_ACCOMMODATED
    ) {
      return true;
    }
    remandStart = null;
  }
  return false;
}

export function careLeaverCategory(
  derivation: LookedAfterDerivation,
  episodes: readonly StatusEpisode[],
  dateOfBirth: string,
  asOf: string,
  policy: ResponsibilityPolicy,
): CareLeaverDecision {
  const rules = policy.careLeaver;
  const age = ageOn(dateOfBirth, asOf);
  const sixteen = birthday(dateOfBirth, 16);
  // Exclusive end of the counting: the day after asOf, or the 18th birthday if earlier.
  const until = minDate(addDaysTo(asOf, 1), birthday(dateOfBirth, 18));
  const daysSince14 = daysLookedAfterSince14(derivation.periods, dateOfBirth, until);
  const after16 = derivation.periods.some((period) => overlapDays(period.startDate, period.endDate, sixteen, until) > 0);
  const lookedAfterNow =
    age < 18 &&
    derivation.periods.some((period) => period.startDate <= asOf && (period.endDate === null || period.endDate > asOf));
  const thirteenWeeks = daysSince14 >= rules.minimumDaysSince14;

  const decide = (found: CareLeaverCase): CareLeaverDecision => {
    const row = rules.cases.find((candidate) => candidate.case === found);
    // The schema requires every case once, so a missing row is a programming error.
    if (!row) throw new Error(`${policyRef(policy)} has no care-leaver rule for ${found}`);
    return decision(row.rule, row.category, row.citation);
  };
  const decision = (rule: string, category: CareLeaverDecision['category'], citation: string): CareLeaverDecision => ({
    rule,
    citation,
    policy: policyRef(policy),
    category,
    asOf,
    age,
    daysLookedAfterSince14: daysSince14,
    lookedAfterAfter16: after16,
  });
  const qualifying = (): CareLeaverDecision =>
    // 001 §8.3: a child who went home with s17 support is not qualifying.
    decide(
      basisOn(episodes, 'CARE', asOf) === LegalStatusBasis.S17_CHILD_IN_NEED
        ? CareLeaverCase.QUALIFYING_EXCLUSION
        : CareLeaverCase.QUALIFYING,
    );

  if (age >= rules.ageLimit) return decide(CareLeaverCase.AGE_LIMIT);
  if (age < 16) return decide(lookedAfterNow ? CareLeaverCase.LOOKED_AFTER_UNDER_16 : CareLeaverCase.NOT_A_CARE_LEAVER);
  if (age < 18) {
    if (lookedAfterNow) return decide(thirteenWeeks ? CareLeaverCase.ELIGIBLE : CareLeaverCase.LOOKED_AFTER_UNDER_13_WEEKS);
    if (thirteenWeeks && after16) return decide(CareLeaverCase.RELEVANT);
    const variant = rules.remandVariant;
    if (variant.adopted && remandEndedInCustodyFromS20(episodes, asOf, variant.minimumRemandDays)) {
      return decision(variant.rule, variant.category, variant.citation);
    }
    return after16 ? qualifying() : decide(CareLeaverCase.NOT_A_CARE_LEAVER);
  }
  if (thirteenWeeks && after16) return decide(CareLeaverCase.FORMER_RELEVANT);
  return after16 ? qualifying() : decide(CareLeaverCase.NOT_A_CARE_LEAVER);
}
