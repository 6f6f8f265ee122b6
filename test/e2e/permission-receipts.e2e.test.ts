import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointKey } from 'src/disclosure/chain/checkpoint-key.js';
import { SealerService } from 'src/disclosure/chain/sealer.service.js';
import { verifyLog } from 'src/disclosure/chain/verifier.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN, recordOf } from '../support/demo-ids.js';
import { loggedReceipts } from '../support/logged-receipts.js';

/**
 * A C1 or C2 field disclosed because a court order, consent or third-party permission was recorded:
 * its receipt names that permission (id and reference), so an auditor can trace the disclosure to it.
 */
let t: TestApp;
let db: DataSource;
beforeAll(async () => {
  t = await startTestApp();
  db = t.app.get(DataSource);
});
afterAll(() => t.close());

async function sent(subject: string, query: string, purpose = 'CASE_MANAGEMENT') {
  const correlationId = `permission-${randomUUID()}`;
  const response = await t.gql(subject, query, {}, { purpose, headers: { 'x-correlation-id': correlationId } });
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return (await loggedReceipts(db, { correlationId })).map(({ text, body }) => ({ text, body }));
}

async function permissionRecorded(subject: string, recordId: string, kind: string, reference: string): Promise<string> {
  const receipts = await sent(
    subject,
    `mutation { recordDisclosurePermission(input: { recordId: "${recordId}", kind: ${kind}, reference: "${reference}" }) { id } }`,
  );
  const entry = receipts.find((receipt) => receipt.body.record?.kind === 'DISCLOSURE_PERMISSION');
  expect(entry?.body).toMatchObject({ entry: 'ALTERATION', user: { subject } });
  return entry?.body.record?.id ?? '';
}

describe('receipts name the permission a gated disclosure relied on', () => {
  it('C1: a court order recorded on a care plan is named in the receipt of the court-proceedings material it let out', async () => {
    const carePlan = recordOf(JORDAN, RecordKind.CARE_PLAN);
    const read = `{ record(id: "${carePlan}") { ... on CarePlan { content { summary courtProceedingsInformation } } } }`;
    const before = await sent('dana.hughes', read, 'COURT_REPORT');
    expect(before.every((receipt) => !receipt.text.includes('"permission"'))).toBe(true);

    const permissionId = await permissionRecorded('sam.okafor', carePlan, 'COURT_ORDER', 'DE24P00123');
    const [receipt] = await sent('dana.hughes', read, 'COURT_REPORT');
    expect(receipt?.body.disclosed).toContain('content.courtProceedingsInformation');
    const court = receipt?.body.bases.find((basis) => basis.class === 'COURT_RESTRICTED');
    expect(court).toEqual({
      class: 'COURT_RESTRICTED',
      rule: 'derby-yos-csc@v4 §2.2',
      lawfulBasis: 'Court order or specific consent (003 §4.2); UK GDPR Art 6(1)(e)',
      agreement: { id: 'derby-yos-csc', version: 4, clause: '2.2' },
      permission: { kind: 'COURT_ORDER', id: permissionId, reference: 'DE24P00123' },
    });
    // Classes not behind a gate carry no permission at all (their receipts keep the same shape as before).
    for (const basis of receipt?.body.bases ?? [])
      if (basis.class !== 'COURT_RESTRICTED') expect(basis).not.toHaveProperty('permission');

    // An auditor traces it: the basis names the permission, and the permission's own entry says who recorded it.
    const audit = { purpose: 'AUDIT' };
    const found = await t.gql<{
      disclosures: {
        edges: {
          node: { bases: { sensitivityClass: string; permissionId: string | null; permissionReference: string | null }[] };
        }[];
      };
    }>(
      'audrey.fox',
      `{ disclosures(filter: { recordId: "${carePlan}", entryKind: DISCLOSURE }, first: 1) { edges { node { bases { sensitivityClass permissionId permissionReference } } } } }`,
      {},
      audit,
    );
    expect(found.body.errors).toBeUndefined();
    expect(found.body.data?.disclosures.edges[0]?.node.bases).toContainEqual({
      sensitivityClass: 'COURT_RESTRICTED',
      permissionId,
      permissionReference: 'DE24P00123',
    });
    const recorded = await t.gql<{
      disclosures: { edges: { node: { recipient: { subject: string }; alteration: { action: string } } }[] };
    }>(
      'audrey.fox',
      `{ disclosures(filter: { recordId: "${permissionId}" }) { edges { node { recipient { subject } alteration { action } } } } }`,
      {},
      audit,
    );
    expect(recorded.body.data?.disclosures.edges.map((edge) => edge.node)).toEqual([
      { recipient: { subject: 'sam.okafor' }, alteration: { action: 'recordDisclosurePermission' } },
    ]);
  });

  it('C2: a third party’s permission is named in the receipt of the third-party information it let out', async () => {
    const asset = recordOf(JORDAN, RecordKind.ASSET_PLUS);
    const permissionId = await permissionRecorded('dana.hughes', asset, 'THIRD_PARTY_PERMISSION', 'DSL letter 2026-10-02');
    const [receipt] = await sent(
      'sam.okafor',
      `{ record(id: "${asset}") { ... on AssetPlus { content { thirdPartyInformation riskOfReoffending } } } }`,
      'FAMILY_PROCEEDINGS',
    );
    expect(receipt?.body.bases.find((basis) => basis.class === 'THIRD_PARTY')?.permission).toEqual({
      kind: 'THIRD_PARTY_PERMISSION',
      id: permissionId,
      reference: 'DSL letter 2026-10-02',
    });
  });

  it('keeps the log verifiable end to end', async () => {
    await t.app.get(SealerService).sealAll();
    const key = t.app.get(CheckpointKey);
    const report = await verifyLog(db, { trustedKeys: new Map([[key.keyId, key.publicKeyPem()]]) });
    expect(report.firstProblem).toBeNull();
    expect(report.ok).toBe(true);
  });
});
