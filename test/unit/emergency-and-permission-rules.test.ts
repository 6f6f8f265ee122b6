import { describe as suite, expect, it } from 'vitest';
import { SharedRecord } from 'src/records/models/shared-record.model.js';
import { canonicalJson } from 'src/disclosure/chain/canonical.js';
import { basesOf } from 'src/disclosure/receipt-parts.js';
import { agreementSchema } from 'src/policy/agreements/agreement.schema.js';
import { readAgreementFiles } from 'src/policy/agreements/agreement-files.js';
import type { Disclosure } from 'src/policy/disclosed.js';
import { justificationProblem, meaningfulLength } from 'src/policy/emergency-access.js';
import { DisclosurePermissionKind } from 'src/vocabulary/disclosure-permission-kind.js';
import { SensitivityClass } from 'src/vocabulary/sensitivity/sensitivity-class.js';

suite('a break-glass justification', () => {
  it('counts letters and digits, a run of one character once', () => {
    expect(meaningfulLength('.')).toBe(0);
    expect(meaningfulLength('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')).toBe(1);
    expect(meaningfulLength('Missing overnight!')).toBe(15);
  });

  it('needs 20 of them in three or more words', () => {
    for (const refused of [null, '', '.', 'urgent urgent urgent', '1234567890123456789012345', 'Missingfromhomeovernightnow']) {
      expect(justificationProblem(refused), String(refused)).not.toBeNull();
    }
    expect(justificationProblem('Missing from home overnight; police asking where he may be')).toBeNull();
  });
});

suite('emergency and referral clauses', () => {
  const [file] = readAgreementFiles('policy/agreements').filter((found) => found.agreement.id === 'derby-yos-csc');

  it('name only parties, and a referral discloses only classes with a lawful basis', () => {
    const agreement = file?.agreement;
    expect(agreement?.emergency?.length).toBeGreaterThan(0);
    const outsider = { ...agreement, emergency: [{ ...agreement?.emergency?.[0], childrenOf: ['islington-csc'] }] };
    expect(agreementSchema.safeParse(outsider).success).toBe(false);
    const unbased = {
      ...agreement,
      referrals: [{ ...agreement?.referrals?.[0], classes: ['SEXUAL_BEHAVIOUR'] }],
    };
    expect(agreementSchema.safeParse(unbased).success).toBe(false);
  });
});

suite('a receipt basis', () => {
  const grant = {
    rule: 'derby-yos-csc@v3 §2.2',
    lawfulBasis: 'court order',
    agreement: { id: 'derby-yos-csc', version: 3, clause: '2.2' },
  };
  const disclosure = (permission?: Disclosure['child']['identity']['permission']): Disclosure => ({
    kind: 'CARE_PLAN',
    id: 'r1',
    childId: 'c1',
    version: 2,
    owningAgencyId: 'a1',
    model: SharedRecord,
    grants: new Map([[SensitivityClass.CASE_ADMINISTRATION, { ...grant, ...(permission ? { permission } : {}) }]]),
    child: { identity: grant, breakGlass: false, afterAllocationEnded: false },
  });

  it('keeps the exact bytes it always had when no permission was relied on', () => {
    expect(canonicalJson(basesOf(disclosure(), ['version'], []))).toBe(
      '[{"agreement":{"clause":"2.2","id":"derby-yos-csc","version":3},"class":"CASE_ADMINISTRATION","lawfulBasis":"court order","rule":"derby-yos-csc@v3 §2.2"}]',
    );
  });

  it('names the permission when one was', () => {
    const permission = { kind: DisclosurePermissionKind.COURT_ORDER, id: 'p1', reference: 'DE24P00123' };
    expect(basesOf(disclosure(permission), ['version'], [])).toEqual([
      { class: 'CASE_ADMINISTRATION', ...grant, permission: { kind: 'COURT_ORDER', id: 'p1', reference: 'DE24P00123' } },
    ]);
  });
});
