import { expect } from 'vitest';
import type { RequestOptions, TestApp } from './test-app.js';

/** A justification that says what the emergency is (at least 20 letters in three words). */
export const JUSTIFICATION = 'Reported missing overnight; police asking where the child may be staying';

/** Request options for a break-glass read: purpose EMERGENCY, a reason code and a justification. */
export function emergency(reason = 'MISSING_CHILD', justification = JUSTIFICATION): RequestOptions {
  return { purpose: 'EMERGENCY', headers: { 'x-access-reason': reason, 'x-access-justification': justification } };
}

/**
 * Makes Derbyshire Police involved with a child the way the agreements allow: the Derby YOS manager
 * refers the child (derby-yos-police §2) and the officer accepts.
 */
export async function involvePolice(t: TestApp, childId: string): Promise<string> {
  const referred = await t.gql<{ referChild: { id: string } }>(
    'marcus.reid',
    'mutation($input: ReferChildInput!) { referChild(input: $input) { id } }',
    { input: { childId, agencyCode: 'derbyshire-police', role: 'POLICE' } },
  );
  expect(referred.body.errors, JSON.stringify(referred.body.errors)).toBeUndefined();
  const id = referred.body.data?.referChild.id ?? '';
  const accepted = await t.gql<{ acceptReferral: { involvementId: string } }>(
    'ds.khan',
    'mutation($input: AcceptReferralInput!) { acceptReferral(input: $input) { involvementId } }',
    { input: { referralId: id, startDate: '2026-11-01' } },
    { purpose: 'SAFEGUARDING' },
  );
  expect(accepted.body.errors, JSON.stringify(accepted.body.errors)).toBeUndefined();
  return accepted.body.data?.acceptReferral.involvementId ?? '';
}
