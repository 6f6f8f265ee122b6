import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import { AllocationRole } from 'src/vocabulary/children.enums.js';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN, REECE } from '../support/demo-ids.js';
import { loggedReceipts } from '../support/logged-receipts.js';

/**
 * An agency records only its own involvement; another agency becomes involved with a child only by
 * accepting a referral, and the referral tells it only what its sharing agreement allows.
 */
let t: TestApp;
let db: DataSource;
beforeAll(async () => {
  t = await startTestApp();
  db = t.app.get(DataSource);
});
afterAll(() => t.close());

const REFER = `mutation($input: ReferChildInput!) { referChild(input: $input) { id status clause givenName fromAgency { code } toAgency { code } role openedByEventId } }`;
const ACCEPT = `mutation($input: AcceptReferralInput!) { acceptReferral(input: $input) { id status decidedBy involvementId } }`;
const DECLINE = `mutation($input: DeclineReferralInput!) { declineReferral(input: $input) { id status decidedBy } }`;
const INCOMING = `{ referrals(status: PENDING) { edges { node { id childId givenName familyName dateOfBirth status clause fromAgency { code } withheld { field } } } } }`;
const POLICE = { purpose: 'SAFEGUARDING' };

type Referral = { id: string; status: string; clause: string; givenName: string | null };

async function refer(subject: string, childId: string, agencyCode: string, role: string) {
  return t.gql<{ referChild: Referral }>(subject, REFER, { input: { childId, agencyCode, role } });
}

async function involvementsOf(childId: string): Promise<string[]> {
  const rows = await db.query<{ code: string; role: string }[]>(
    `SELECT a.code, ai.role::text AS role FROM agency_involvement ai JOIN agency a ON a.id = ai.agency_id
     WHERE ai.child_id = $1 AND ai.end_date IS NULL ORDER BY 1, 2`,
    [childId],
  );
  return rows.map((row) => `${row.code}:${row.role}`);
}

describe('recordInvolvement', () => {
  it("records only the caller's own agency's involvement, never another agency's", async () => {
    const before = await involvementsOf(JORDAN.id);
    const other = await t.gql(
      'marcus.reid',
      `mutation { recordInvolvement(input: { childId: "${JORDAN.id}", agencyCode: "derbyshire-police", role: POLICE, startDate: "2026-11-01" }) { id } }`,
    );
    expect(codes(other)).toEqual(['FORBIDDEN']);
    const elsewhere = await t.gql(
      'marcus.reid',
      `mutation { recordInvolvement(input: { childId: "${JORDAN.id}", agencyCode: "islington-csc", role: CSC, startDate: "2026-11-01" }) { id } }`,
    );
    expect(codes(elsewhere)).toEqual(['FORBIDDEN']);
    expect(await involvementsOf(JORDAN.id)).toEqual(before);
    // Its own involvement, for a child it sees through an allocation: still recorded.
    const child = aChild({ allocations: [{ user: 'tara.nolan', role: AllocationRole.TEAM_MANAGER, startDate: '2026-01-05' }] });
    await db.transaction((manager) => insertChild(manager, child));
    const own = await t.gql(
      'tara.nolan',
      `mutation { recordInvolvement(input: { childId: "${child.id}", agencyCode: "derby-csc", role: CSC, startDate: "2026-11-01" }) { id } }`,
    );
    expect(own.body.errors).toBeUndefined();
    expect(await involvementsOf(child.id)).toEqual(['derby-csc:CSC', 'derby-yos:YOS_HOME']);
  });
});

describe('referrals', () => {
  it('the police become involved only by accepting, and see only the referred child’s identity until then', async () => {
    const referred = await refer('marcus.reid', JORDAN.id, 'derbyshire-police', 'POLICE');
    expect(referred.body.errors).toBeUndefined();
    expect(referred.body.data?.referChild).toMatchObject({
      status: 'PENDING',
      clause: 'derby-yos-police@v3 §2',
      givenName: 'Jordan',
      fromAgency: { code: 'derby-yos' },
      toAgency: { code: 'derbyshire-police' },
      role: 'POLICE',
      // Asked by a person, not opened by a protocol notice.
      openedByEventId: null,
    });
    const id = referred.body.data?.referChild.id ?? '';
    expect(await involvementsOf(JORDAN.id)).not.toContain('derbyshire-police:POLICE');
    expect(codes(await t.gql('ds.khan', `{ child(id: "${JORDAN.id}") { id } }`, {}, POLICE))).toEqual(['NOT_FOUND']);
    // A second referral while one waits is refused.
    expect(codes(await refer('marcus.reid', JORDAN.id, 'derbyshire-police', 'POLICE'))).toEqual(['CONFLICT']);

    const correlationId = `referral-${randomUUID()}`;
    const incoming = await t.gql<{
      referrals: { edges: { node: Referral & { familyName: string; dateOfBirth: string; withheld: { field: string }[] } }[] };
    }>('ds.khan', INCOMING, {}, { ...POLICE, headers: { 'x-correlation-id': correlationId } });
    expect(incoming.body.errors).toBeUndefined();
    const seen = incoming.body.data?.referrals.edges.map((edge) => edge.node).find((node) => node.id === id);
    expect(seen).toMatchObject({ givenName: 'Jordan', familyName: 'Pryce', dateOfBirth: '2010-03-14', withheld: [] });
    // What the request disclosed to the police is receipted under the referral clause.
    const [receipt] = await loggedReceipts(db, { correlationId, recordKind: 'REFERRAL', recordId: id });
    if (!receipt) throw new Error('the read left no receipt for the referral');
    const { body } = receipt;
    expect(body.disclosed).toEqual(expect.arrayContaining(['givenName', 'familyName', 'dateOfBirth']));
    expect(body.bases.find((basis) => basis.class === 'IDENTITY_BASIC')).toMatchObject({
      rule: 'derby-yos-police@v3 §2',
      agreement: { id: 'derby-yos-police', version: 3, clause: '2' },
    });

    // Only the receiving agency answers.
    const answer = { input: { referralId: id, startDate: '2026-11-01' } };
    expect(codes(await t.gql('marcus.reid', ACCEPT, answer))).toEqual(['NOT_FOUND']);
    expect(codes(await t.gql('sam.okafor', ACCEPT, answer))).toEqual(['NOT_FOUND']);
    expect(
      codes(await t.gql('ds.khan', ACCEPT, { input: { referralId: randomUUID(), startDate: '2026-11-01' } }, POLICE)),
    ).toEqual(['NOT_FOUND']);
    const accepted = await t.gql<{ acceptReferral: { status: string; decidedBy: string; involvementId: string } }>(
      'ds.khan',
      ACCEPT,
      answer,
      POLICE,
    );
    expect(accepted.body.errors).toBeUndefined();
    expect(accepted.body.data?.acceptReferral).toMatchObject({ status: 'ACCEPTED', decidedBy: 'DS Amir Khan' });
    expect(await involvementsOf(JORDAN.id)).toContain('derbyshire-police:POLICE');
    expect((await t.gql('ds.khan', `{ child(id: "${JORDAN.id}") { id } }`, {}, POLICE)).body.errors).toBeUndefined();
    expect(codes(await t.gql('ds.khan', ACCEPT, answer, POLICE))).toEqual(['CONFLICT']);
  });

  it('is refused without a purpose, and to an agency it was not made to', async () => {
    const referred = await refer('marcus.reid', REECE.id, 'derby-csc', 'CSC');
    expect(referred.body.errors).toBeUndefined();
    const id = referred.body.data?.referChild.id ?? '';
    const withoutPurpose = async (subject: string, query: string, input: Record<string, unknown>) =>
      (await t.gql(subject, query, { input }, { purpose: null })).body.errors?.[0]?.extensions;
    expect(
      await withoutPurpose('marcus.reid', REFER, { childId: REECE.id, agencyCode: 'derbyshire-police', role: 'POLICE' }),
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'X-Purpose-Of-Use',
    });
    expect(await withoutPurpose('derby.csct', ACCEPT, { referralId: id, startDate: '2026-11-01' })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'X-Purpose-Of-Use',
    });
    expect(await withoutPurpose('derby.csct', DECLINE, { referralId: id })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'X-Purpose-Of-Use',
    });
    for (const subject of ['islington.icat', 'ds.khan', 'marcus.reid']) {
      expect(codes(await t.gql(subject, DECLINE, { input: { referralId: id } }, POLICE)), subject).toEqual(['NOT_FOUND']);
    }
    expect(codes(await t.gql('derby.csct', DECLINE, { input: { referralId: 'not-an-id' } }))).toEqual(['NOT_FOUND']);
    const declined = await t.gql('derby.csct', DECLINE, { input: { referralId: id } });
    expect(declined.body.errors).toBeUndefined();
  });

  it('a declined referral leaves the receiving agency outside', async () => {
    const referred = await refer('marcus.reid', REECE.id, 'derbyshire-police', 'POLICE');
    const id = referred.body.data?.referChild.id ?? '';
    const declined = await t.gql<{ declineReferral: { status: string; decidedBy: string } }>(
      'ds.khan',
      DECLINE,
      { input: { referralId: id } },
      POLICE,
    );
    expect(declined.body.data?.declineReferral).toMatchObject({ status: 'DECLINED', decidedBy: 'DS Amir Khan' });
    expect(await involvementsOf(REECE.id)).not.toContain('derbyshire-police:POLICE');
    expect(codes(await t.gql('ds.khan', `{ child(id: "${REECE.id}") { id } }`, {}, POLICE))).toEqual(['NOT_FOUND']);
    const outgoing = await t.gql<{ referrals: { edges: { node: { id: string; status: string } }[] } }>(
      'marcus.reid',
      '{ referrals { edges { node { id status } } } }',
    );
    expect(outgoing.body.data?.referrals.edges.map((edge) => edge.node).find((node) => node.id === id)).toEqual({
      id,
      status: 'DECLINED',
    });
  });

  it('is made only as an agreement allows: the clause names who asks, whom, in which role, and who answers', async () => {
    // No clause lets the Derby YOS ask Islington CSC, nor Derby CSC ask the police.
    expect(codes(await refer('marcus.reid', JORDAN.id, 'islington-csc', 'CSC'))).toEqual(['FORBIDDEN']);
    expect(codes(await refer('tara.nolan', JORDAN.id, 'derbyshire-police', 'POLICE'))).toEqual(['FORBIDDEN']);
    // The involvement must fit the agency.
    expect(codes(await refer('marcus.reid', REECE.id, 'derbyshire-police', 'CSC'))).toEqual(['BAD_USER_INPUT']);
    // Another authority, a child it does not see: as if the child did not exist.
    expect(codes(await refer('ayesha.malik', JORDAN.id, 'islington-yos', 'YOS_HOST'))).toEqual(['NOT_FOUND']);
    // The YOS asks Derby CSC about Reece: a social worker may not answer, the front door may.
    const referred = await refer('marcus.reid', REECE.id, 'derby-csc', 'CSC');
    expect(referred.body.errors).toBeUndefined();
    const answer = { input: { referralId: referred.body.data?.referChild.id, startDate: '2026-11-02' } };
    expect(codes(await t.gql('sam.okafor', ACCEPT, answer))).toEqual(['FORBIDDEN']);
    expect((await t.gql('sam.okafor', INCOMING)).body.data).toEqual({ referrals: { edges: [] } });
    const accepted = await t.gql('derby.csct', ACCEPT, answer);
    expect(accepted.body.errors).toBeUndefined();
    expect(await involvementsOf(REECE.id)).toContain('derby-csc:CSC');
  });

  it('needs a purpose to list, and names no other agency’s referrals', async () => {
    const response = await t.gql('ds.khan', INCOMING, {}, { purpose: null });
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'X-Purpose-Of-Use' });
    const islington = await t.gql<{ referrals: { edges: unknown[] } }>('ayesha.malik', '{ referrals { edges { cursor } } }');
    expect(islington.body.data?.referrals.edges).toEqual([]);
  });
});
