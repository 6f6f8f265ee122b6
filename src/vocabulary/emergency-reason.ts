import { registerEnumType } from '@nestjs/graphql';

/**
 * Why emergency (break-glass) access is needed, sent in the `X-Access-Reason` header with purpose
 * `EMERGENCY`. A sharing agreement's emergency clause names the reasons it covers; any other reason
 * is refused.
 */
export enum EmergencyReason {
  MISSING_CHILD = 'MISSING_CHILD',
  IMMEDIATE_RISK_OF_HARM = 'IMMEDIATE_RISK_OF_HARM',
  APPROPRIATE_ADULT_NEEDED = 'APPROPRIATE_ADULT_NEEDED',
  OVERNIGHT_ACCOMMODATION = 'OVERNIGHT_ACCOMMODATION',
  RECEPTION_INTO_CUSTODY = 'RECEPTION_INTO_CUSTODY',
}

export const EMERGENCY_REASON_DESCRIPTIONS: Readonly<Record<EmergencyReason, string>> = {
  MISSING_CHILD: 'The child is missing: where they live and who works with them is needed now.',
  IMMEDIATE_RISK_OF_HARM:
    'Reasonable cause to suspect significant harm that cannot wait for the allocated workers (Children Act 1989 s47; 001 §4.3).',
  APPROPRIATE_ADULT_NEEDED:
    'The child is at a police station out of hours and an appropriate adult must be found (001 §5.2; 002 §7.1.1; 003 §3.1).',
  OVERNIGHT_ACCOMMODATION: 'The police ask for accommodation for a child charged and refused bail (002 §7; 003 §3.2).',
  RECEPTION_INTO_CUSTODY: 'The child is arriving at a secure establishment before its information pack (001 §6.10, §7.6).',
};

registerEnumType(EmergencyReason, {
  name: 'EmergencyReason',
  description: 'Why emergency (break-glass) access was needed: the X-Access-Reason header with purpose EMERGENCY.',
  valuesMap: Object.fromEntries(
    Object.entries(EMERGENCY_REASON_DESCRIPTIONS).map(([key, description]) => [key, { description }]),
  ),
});

const REASONS = new Set<string>(Object.values(EmergencyReason));

export function isEmergencyReason(value: string): value is EmergencyReason {
  return REASONS.has(value);
}
