import { registerEnumType } from '@nestjs/graphql';

/** Why the caller wants child data: sent in the `X-Purpose-Of-Use` header of every such request. */
export enum PurposeOfUse {
  CASE_MANAGEMENT = 'CASE_MANAGEMENT',
  SAFEGUARDING = 'SAFEGUARDING',
  COURT_REPORT = 'COURT_REPORT',
  FAMILY_PROCEEDINGS = 'FAMILY_PROCEEDINGS',
  PLACEMENT_PLANNING = 'PLACEMENT_PLANNING',
  RESETTLEMENT = 'RESETTLEMENT',
  CUSTODY_CARE = 'CUSTODY_CARE',
  AUDIT = 'AUDIT',
  EMERGENCY = 'EMERGENCY',
}

export const PURPOSE_DESCRIPTIONS: Readonly<Record<PurposeOfUse, string>> = {
  CASE_MANAGEMENT: 'Day-to-day work with a child the caller is allocated to or responsible for.',
  SAFEGUARDING: 'Protecting a child from harm (s47 enquiries, strategy meetings, risk management).',
  COURT_REPORT: 'Writing a pre-sentence or other report for a criminal court.',
  FAMILY_PROCEEDINGS: 'Impending or current family-court proceedings.',
  PLACEMENT_PLANNING: 'Finding, planning or reviewing a placement.',
  RESETTLEMENT: 'Planning release from custody and resettlement.',
  CUSTODY_CARE: 'Caring for a child held in youth detention accommodation.',
  AUDIT: 'Reviewing the disclosure log (auditors; YOS and CSC team managers for their own team’s children).',
  EMERGENCY:
    'Break-glass: an urgent risk to a child, for the roles an emergency clause names; needs X-Access-Reason and X-Access-Justification and is audited.',
};

registerEnumType(PurposeOfUse, {
  name: 'PurposeOfUse',
  description: 'Why child data is wanted; every request for child data names one in the X-Purpose-Of-Use header.',
  valuesMap: Object.fromEntries(Object.entries(PURPOSE_DESCRIPTIONS).map(([key, description]) => [key, { description }])),
});

/** Purposes that only read, and what each is for: nothing of a child's case is changed under them. */
export const READ_ONLY_PURPOSES: ReadonlyMap<PurposeOfUse, string> = new Map([
  [PurposeOfUse.AUDIT, 'reviewing the disclosure log'],
  [PurposeOfUse.EMERGENCY, "break-glass's narrow read"],
]);

const PURPOSES = new Set<string>(Object.values(PurposeOfUse));

export function isPurpose(value: string): value is PurposeOfUse {
  return PURPOSES.has(value);
}
