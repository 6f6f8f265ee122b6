import { Sensitive } from 'src/vocabulary/sensitivity/sensitive-field.decorator.js';
import { SensitivityClass as S } from 'src/vocabulary/sensitivity/sensitivity-class.js';

/*
 * The labelled shapes of the facts Tandem derives and tells every involved agency of (DOMAIN §4.1,
 * §4.2): a notification carries the event's snapshot, and these labels give each of its fields a
 * class, so the recipient's own policy decides them like any record field and the receipt names
 * the grant each left under. Notification payloads only: no GraphQL type uses them.
 */

/** One step of the looked-after status (Table 4.2): all of it is legal status. */
export class LookedAfterStep {
  @Sensitive(S.LEGAL_STATUS, () => Boolean, { description: 'Whether the child is looked after.' })
  lookedAfter: boolean;

  @Sensitive(S.LEGAL_STATUS, () => String, { description: 'How, when looked after.' })
  route: string | null;

  @Sensitive(S.LEGAL_STATUS, () => Boolean, { description: 'T8/T9: formerly looked after, in detention.' })
  formerlyLookedAfterInDetention: boolean;

  @Sensitive(S.LEGAL_STATUS, () => String, { description: 'Since when.' })
  since: string;

  @Sensitive(S.LEGAL_STATUS, () => String, { description: 'The date of the event the rule was applied to.' })
  date: string;

  @Sensitive(S.LEGAL_STATUS, () => String, { description: 'What the rule was applied to.' })
  trigger: string;

  @Sensitive(S.LEGAL_STATUS, () => String, { description: 'The rule id.' })
  rule: string;

  @Sensitive(S.LEGAL_STATUS, () => String, { description: 'The source of the rule.' })
  citation: string;

  @Sensitive(S.LEGAL_STATUS, () => String, { description: 'The authority policy and version.' })
  policy: string;
}

/** The looked-after status as a notification carries it: the new step and the one it replaced. */
export class LookedAfterChange extends LookedAfterStep {
  @Sensitive(S.LEGAL_STATUS, () => LookedAfterStep, { description: 'The status it replaced.' })
  previous: LookedAfterStep | null;
}

/** The computed lead professional (Table 4.1): who leads is case administration. */
export class LeadChoice {
  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'The service that leads.' })
  lead: string;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'The agency of that service (code and name).' })
  agency: { code: string; name: string } | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => [String], { description: 'What must also happen.' })
  alsoRequired: string[];

  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'The rule id.' })
  rule: string;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'The source of the rule.' })
  citation: string;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'The authority policy and version.' })
  policy: string;
}

/** The lead professional as a notification carries it: the new choice and the one it replaced. */
export class LeadChange extends LeadChoice {
  @Sensitive(S.CASE_ADMINISTRATION, () => LeadChoice, { description: 'The lead it replaced.' })
  previous: LeadChoice | null;
}
