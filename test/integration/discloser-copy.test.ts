import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describe as described, isDisclosed } from 'src/policy/disclosed.js';
import { Discloser } from 'src/policy/discloser.service.js';
import { PolicyService } from 'src/policy/policy.service.js';
import type { Withheld } from 'src/policy/projection.js';
import { RECORD_TYPE_BY_KIND } from 'src/records/models/shared-record.model.js';
import { DEMO_AGENCIES } from 'src/seed/demo-directory.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { demoPrincipal } from '../support/demo-principal.js';
import { JORDAN } from '../support/demo-ids.js';

/**
 * Discloser.disclose hands out a copy made for that one decision: the value the mapper made (which
 * a request's loaders may hand to the next resolver or decision) keeps its fields, its own empty
 * withheld list and its facts, however often it is disclosed.
 */
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const dana = () => demoPrincipal('dana.hughes');

describe('Discloser.disclose', () => {
  it('leaves the value it was given as it was, and gives each decision its own copy', async () => {
    const owner = DEMO_AGENCIES.find((agency) => agency.code === 'derby-csc');
    if (!owner) throw new Error('No derby-csc');
    const principal = dana();
    const policy = t.app.get(PolicyService);
    const discloser = t.app.get(Discloser);
    const facts = {
      kind: RecordKind.CARE_PLAN,
      id: '00000000-0000-4000-8000-00000000c0de',
      childId: JORDAN.id,
      version: 1,
      owningAgencyId: owner.id,
      model: RECORD_TYPE_BY_KIND[RecordKind.CARE_PLAN],
    };
    const withheldBefore: Withheld[] = [];
    const content = { summary: 'Weekly contact', courtProceedingsInformation: 'Care proceedings listed for March' };
    const value = described({ id: facts.id, kind: facts.kind, version: 1, content, withheld: withheldBefore }, facts);
    const attributes = policy.recordAttributes(
      principal,
      {
        childId: JORDAN.id,
        owningAgencyId: owner.id,
        kind: RecordKind.CARE_PLAN,
        createdAt: new Date('2026-01-05T10:00:00Z'),
        courtOrderReference: null,
        consentReference: null,
        thirdPartyPermissionReference: null,
      },
      await policy.childAccess(principal, JORDAN.id),
    );

    const first = await discloser.disclose(principal, value, attributes);
    const second = await discloser.disclose(principal, value, attributes);

    // The policy withheld the court information from a YOS case manager: in the copies only.
    expect(first.content.courtProceedingsInformation).toBeNull();
    expect(first.withheld.map((item) => item.field)).toContain('content.courtProceedingsInformation');
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    expect(second.withheld).not.toBe(first.withheld);
    expect(isDisclosed(first) && isDisclosed(second)).toBe(true);

    expect(first).not.toBe(value);
    expect(value.content).toBe(content);
    expect(content.courtProceedingsInformation).toBe('Care proceedings listed for March');
    expect(value.withheld).toBe(withheldBefore);
    expect(withheldBefore).toHaveLength(0);
    expect(value.disclosure).toBe(facts);
    expect(isDisclosed(value)).toBe(false);
  });
});
