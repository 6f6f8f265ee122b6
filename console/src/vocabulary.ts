import type { introspection_types } from './graphql-env.d.ts';
import { words } from './format.ts';
import type { Option } from './ui.tsx';

/** The values of one of the schema's enums. */
export type EnumOf<N extends keyof introspection_types> = introspection_types[N] extends { enumValues: infer V } ? V : never;

/** The values of the schema's enums the console filters by (the schema lists them; so do these). */
export const PURPOSES = [
  'CASE_MANAGEMENT',
  'SAFEGUARDING',
  'COURT_REPORT',
  'FAMILY_PROCEEDINGS',
  'PLACEMENT_PLANNING',
  'RESETTLEMENT',
  'CUSTODY_CARE',
  'AUDIT',
  'EMERGENCY',
] as const satisfies readonly EnumOf<'PurposeOfUse'>[];

export const OUTCOMES = [
  'DISCLOSED',
  'ALTERED',
  'DENIED',
  'NOT_FOUND',
  'AUDITED',
] as const satisfies readonly EnumOf<'DisclosureOutcome'>[];
export const ENTRY_KINDS = [
  'DISCLOSURE',
  'ALTERATION',
  'CONSULTATION',
  'AUDIT_QUERY',
] as const satisfies readonly EnumOf<'DisclosureEntryKind'>[];
export const ANOMALY_KINDS = [
  'BREAK_GLASS',
  'BREAK_GLASS_REFUSED',
  'AFTER_ALLOCATION_ENDED',
  'MANY_CHILDREN',
  'OUT_OF_HOURS_BULK',
] as const satisfies readonly EnumOf<'AnomalyKind'>[];
export const DISPOSITIONS = [
  'JUSTIFIED',
  'NO_FURTHER_ACTION',
  'REFERRED_TO_DPO',
  'BREACH',
] as const satisfies readonly EnumOf<'AnomalyDispositionKind'>[];

export const DISPOSITION_WORDS: Record<(typeof DISPOSITIONS)[number], string> = {
  JUSTIFIED: 'Justified',
  NO_FURTHER_ACTION: 'No further action',
  REFERRED_TO_DPO: 'Referred to the data protection officer',
  BREACH: 'Personal data breach',
};

export function options(values: readonly string[], any = 'Any', label: (value: string) => string = words): Option[] {
  return [{ id: '', label: any }, ...values.map((value) => ({ id: value, label: label(value) }))];
}

export const ROLES = [
  'YOS_CASE_MANAGER',
  'YOS_MANAGER',
  'YOS_PARENTING_WORKER',
  'CSC_SOCIAL_WORKER',
  'CSC_TEAM_MANAGER',
  'CSC_FRONT_DOOR',
  'IRO',
  'PERSONAL_ADVISER',
  'HEAD_OF_SERVICE',
  'SECURE_ESTATE_GOVERNOR',
  'SECURE_ESTATE_OFFENDER_SUPERVISOR',
  'POLICE_CPS',
  'PROBATION_OFFICER',
  'AUDITOR',
  'SYSTEM',
] as const satisfies readonly EnumOf<'Role'>[];
