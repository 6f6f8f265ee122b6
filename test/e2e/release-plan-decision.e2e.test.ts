import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationDispatcher } from 'src/notifications/dispatcher.service.js';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import type { DemoChild } from 'src/seed/demo-children.js';
import { AllocationRole, InvolvementRole } from 'src/vocabulary/children.enums.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { codes, type GraphQLResponse, startTestApp, type TestApp } from '../support/test-app.js';
import { loggedReceipts } from '../support/logged-receipts.js';

/**
 * The CSC operations manager's decision on the YOS's release plan (003 §8.2–8.3, issue 14 §3):
 * agreed, or not agreed with a reason, on the plan's latest FINAL version, once per version for
 * the agency, by a team manager or head of service of the children's social care involved with the
 * child; a signature on the version (never an edit), in the record's history, receipted, and told
 * to the YOS that owns the plan (and, when not agreed, the establishment holding the child).
 */
let t: TestApp;
let db: DataSource;

const CREATE = `mutation($input: CreateRecordInput!) { createRecord(input: $input) { id version status } }`;
const UPDATE = `mutation($input: UpdateRecordInput!) { updateRecord(input: $input) { id version status } }`;
const WITHDRAW = `mutation($input: WithdrawRecordInput!) { withdrawRecord(input: $input) { id } }`;
const DECIDE = `mutation($input: DecideReleasePlanInput!) { decideReleasePlan(input: $input) { id version status
  signatures { version decision reason name role agency { code } }
  versions { version status signatures { version decision reason name role agency { code } } } } }`;
const READ = `query($id: ID!, $version: Int) { record(id: $id, version: $version) { version status
  signatures { version decision reason name role agency { code } }
  versions { version status signatures { version decision reason name } } } }`;

interface Signature {
  version: number;
  decision: string;
  reason: string | null;
  name: string;
  role: string;
  agency: { code: string };
}

interface Decided {
  decideReleasePlan: {
    id: string;
    version: number;
    status: string;
    signatures: Signature[];
    versions: { version: number; status: string; signatures: Signature[] }[];
  };
}

function ok<T>(response: GraphQLResponse<T>): T {
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  if (!response.body.data) throw new Error('no data');
  return response.body.data;
}

function decide(subject: string, input: Record<string, unknown>, purpose: string | null = 'CASE_MANAGEMENT') {
  return t.gql<Decided>(subject, DECIDE, { input }, { purpose });
}

/** The code and the field (extensions.field) of the one error of a refused request. */
function refusal(response: GraphQLResponse<unknown>): { code: unknown; field: unknown } {
  expect(response.body.errors).toHaveLength(1);
  const [error] = response.body.errors ?? [];
  return { code: error?.extensions.code, field: error?.extensions.field };
}

async function child(made: DemoChild): Promise<string> {
  await db.transaction((manager) => insertChild(manager, made));
  return made.id;
}

function releasePlan(childId: string, overrides: Record<string, unknown> = {}) {
  return t.gql<{ createRecord: { id: string; version: number } }>('dana.hughes', CREATE, {
    input: {
      childId,
      content: {
        releasePlan: {
          releaseDate: '2027-02-15',
          livingOption: 'BECOMES_LOOKED_AFTER',
          educationTrainingEmployment: 'College place from February.',
          ...overrides,
        },
      },
    },
  });
}

/** A Derby child known to its YOS and CSC: Dana Hughes the case manager, Sam Okafor the social worker, Tara Nolan their manager. */
function derbyChild(extra: { involvements?: DemoChild['involvements']; allocations?: DemoChild['allocations'] } = {}) {
  return aChild({
    involvements: [
      { agency: 'derby-yos', role: InvolvementRole.YOS_HOME, startDate: '2026-01-05' },
      { agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2026-01-05' },
      ...(extra.involvements ?? []),
    ],
    allocations: [
      { user: 'dana.hughes', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2026-01-05' },
      { user: 'sam.okafor', role: AllocationRole.SOCIAL_WORKER, startDate: '2026-01-05' },
      { user: 'tara.nolan', role: AllocationRole.TEAM_MANAGER, startDate: '2026-01-05' },
      ...(extra.allocations ?? []),
    ],
  });
}

interface Receipt {
  entryKind: string;
  userSubject: string;
  childId: string | null;
  recordKind: string | null;
  recordId: string | null;
  recordVersion: number | null;
  action: string | null;
}

/** Sends one request with its own correlation id and returns its response and the receipts it left. */
async function send<T>(
  subject: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<{ response: GraphQLResponse<T>; receipts: Receipt[] }> {
  const correlationId = `release-plan-${randomUUID()}`;
  const response = await t.gql<T>(subject, query, variables, { headers: { 'x-correlation-id': correlationId } });
  const rows = await loggedReceipts(db, { correlationId });
  return {
    response,
    receipts: rows.map((row) => ({
      entryKind: row.entryKind,
      userSubject: row.userSubject,
      childId: row.childId,
      recordKind: row.recordKind,
      recordId: row.recordId,
      recordVersion: row.recordVersion,
      action: row.body.alteration?.action ?? null,
    })),
  };
}

/** The types of one child's notifications in a case system's feed (the first 100 are plenty for a fresh file). */
async function feedTypes(caseSystemUser: string, childId: string, headers?: Record<string, string>): Promise<string[]> {
  await t.app.get(NotificationDispatcher).drain();
  const data = ok(
    await t.gql<{ notifications: { edges: { node: { type: string; childId: string } }[] } }>(
      caseSystemUser,
      `{ notifications(first: 100) { edges { node { type childId } } } }`,
      {},
      { headers },
    ),
  );
  return data.notifications.edges.filter((edge) => edge.node.childId === childId).map((edge) => edge.node.type);
}

let childId = '';
let plan = '';
let interventionPlan = '';
let unseenChildPlan = '';
let notInvolvedPlan = '';

beforeAll(async () => {
  t = await startTestApp();
  db = t.app.get(DataSource);
  childId = await child(derbyChild());
  // The establishment becomes involved as Derby's protocol has it: CSC refers, the governor accepts.
  const referred = ok(
    await t.gql<{ referChild: { id: string } }>(
      'tara.nolan',
      `mutation($input: ReferChildInput!) { referChild(input: $input) { id } }`,
      { input: { childId, agencyCode: 'wetherby-yoi', role: 'SECURE_ESTATE' } },
    ),
  );
  ok(
    await t.gql(
      'gail.morgan',
      `mutation($input: AcceptReferralInput!) { acceptReferral(input: $input) { id } }`,
      { input: { referralId: referred.referChild.id, startDate: '2026-11-30' } },
      { purpose: 'CUSTODY_CARE' },
    ),
  );
  plan = ok(await releasePlan(childId)).createRecord.id;
  interventionPlan = ok(
    await t.gql<{ createRecord: { id: string } }>('dana.hughes', CREATE, {
      input: {
        childId,
        content: {
          interventionPlan: { riskTargets: ['Peer association'], interventions: [{ action: 'Mentoring', owner: 'Dana' }] },
        },
      },
    }),
  ).createRecord.id;
  // A child whose social care Tara does not manage (Sam Okafor's manager is another): she cannot see it.
  const unseen = aChild({
    involvements: [
      { agency: 'derby-yos', role: InvolvementRole.YOS_HOME, startDate: '2026-01-05' },
      { agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2026-01-05' },
    ],
    allocations: [{ user: 'dana.hughes', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2026-01-05' }],
  });
  unseenChildPlan = ok(await releasePlan(await child(unseen))).createRecord.id;
  // A child Tara was allocated to while Derby's CSC is not (or no longer) involved with it as CSC.
  const notInvolved = aChild({
    involvements: [{ agency: 'derby-yos', role: InvolvementRole.YOS_HOME, startDate: '2026-01-05' }],
    allocations: [
      { user: 'dana.hughes', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2026-01-05' },
      { user: 'tara.nolan', role: AllocationRole.TEAM_MANAGER, startDate: '2026-01-05' },
    ],
  });
  notInvolvedPlan = ok(await releasePlan(await child(notInvolved))).createRecord.id;
});
afterAll(() => t.close());

describe('what a decision must say', () => {
  it('needs a reason when the plan is not agreed, and refuses one when it is agreed', async () => {
    expect(refusal(await decide('tara.nolan', { recordId: plan, expectedVersion: 1, agreed: false }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.reason',
    });
    expect(refusal(await decide('tara.nolan', { recordId: plan, expectedVersion: 1, agreed: false, reason: '   ' }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.reason',
    });
    expect(
      refusal(await decide('tara.nolan', { recordId: plan, expectedVersion: 1, agreed: true, reason: 'Looks fine' })),
    ).toEqual({ code: 'BAD_USER_INPUT', field: 'input.reason' });
    const { record } = ok(await t.gql<{ record: { signatures: Signature[] } }>('tara.nolan', READ, { id: plan }));
    expect(record.signatures).toEqual([]);
  });

  it('is refused without a purpose of use', async () => {
    const response = await decide('tara.nolan', { recordId: plan, expectedVersion: 1, agreed: true }, null);
    expect(refusal(response)).toEqual({ code: 'BAD_USER_INPUT', field: 'X-Purpose-Of-Use' });
  });
});

describe('who decides', () => {
  it('refuses the YOS, a social worker, the establishment and the case system: they lack RELEASE_PLAN_DECIDE', async () => {
    for (const subject of ['dana.hughes', 'marcus.reid', 'sam.okafor', 'derby-csc-integration']) {
      expect(codes(await decide(subject, { recordId: plan, expectedVersion: 1, agreed: true })), subject).toEqual(['FORBIDDEN']);
    }
    const governor = await decide('gail.morgan', { recordId: plan, expectedVersion: 1, agreed: true }, 'CUSTODY_CARE');
    expect(codes(governor)).toEqual(['FORBIDDEN']);
  });

  it('answers NOT_FOUND to a CSC manager of another authority, and to one who cannot see the child', async () => {
    expect(codes(await decide('ayesha.malik', { recordId: plan, expectedVersion: 1, agreed: true }))).toEqual(['NOT_FOUND']);
    expect(codes(await decide('tara.nolan', { recordId: unseenChildPlan, expectedVersion: 1, agreed: true }))).toEqual([
      'NOT_FOUND',
    ]);
    expect(codes(await decide('tara.nolan', { recordId: randomUUID(), expectedVersion: 1, agreed: true }))).toEqual([
      'NOT_FOUND',
    ]);
    expect(codes(await decide('tara.nolan', { recordId: 'not-a-record', expectedVersion: 1, agreed: true }))).toEqual([
      'NOT_FOUND',
    ]);
  });

  it('refuses a manager whose agency is not involved with the child as its children’s social care', async () => {
    const response = await decide('tara.nolan', { recordId: notInvolvedPlan, expectedVersion: 1, agreed: true });
    expect(codes(response)).toEqual(['FORBIDDEN']);
    expect(response.body.errors?.[0]?.message).toMatch(/003 §8\.3/);
  });

  it('refuses a record that is not a release plan', async () => {
    expect(refusal(await decide('tara.nolan', { recordId: interventionPlan, expectedVersion: 1, agreed: true }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.recordId',
    });
  });

  it('is not for a head of service: the operations manager decides, as a CSC team manager (no RELEASE_PLAN_DECIDE)', async () => {
    expect(codes(await decide('helen.grant', { recordId: plan, expectedVersion: 1, agreed: true }))).toEqual(['FORBIDDEN']);
  });
});

describe('not agreed, then agreed on a new FINAL version', () => {
  it('records “not agreed” with its reason as a signature of version 1, in the history, receipted', async () => {
    const { response, receipts } = await send<Decided>('tara.nolan', DECIDE, {
      input: { recordId: plan, expectedVersion: 1, agreed: false, reason: 'No placement is identified for release yet.' },
    });
    const decided = ok(response).decideReleasePlan;
    const notAgreed = {
      version: 1,
      decision: 'NOT_AGREED',
      reason: 'No placement is identified for release yet.',
      name: 'Tara Nolan',
      role: 'CSC_TEAM_MANAGER',
      agency: { code: 'derby-csc' },
    };
    expect(decided).toMatchObject({ id: plan, version: 1, status: 'FINAL', signatures: [notAgreed] });
    expect(decided.versions).toEqual([{ version: 1, status: 'FINAL', signatures: [notAgreed] }]);
    // The alteration receipts: the plan (its version unchanged) and the decision, by its own id.
    const alterations = receipts.filter((receipt) => receipt.entryKind === 'ALTERATION');
    expect(alterations).toEqual([
      expect.objectContaining({
        userSubject: 'tara.nolan',
        childId,
        recordKind: RecordKind.RELEASE_PLAN,
        recordId: plan,
        recordVersion: 1,
        action: 'decideReleasePlan',
      }),
      expect.objectContaining({
        userSubject: 'tara.nolan',
        childId,
        recordKind: 'RECORD_SIGNATURE',
        action: 'decideReleasePlan',
      }),
    ]);
    // And what the answer let out of the YOS's plan to Tara is a disclosure of it.
    expect(receipts.filter((receipt) => receipt.entryKind === 'DISCLOSURE').map((receipt) => receipt.recordId)).toContain(plan);
    // The YOS that owns the plan reads the decision on it.
    const { record } = ok(await t.gql<{ record: { signatures: Signature[] } }>('dana.hughes', READ, { id: plan }));
    expect(record.signatures).toEqual([notAgreed]);
  });

  it('raises RELEASE_PLAN_NOT_AGREED, which reaches the YOS’s case system', async () => {
    const [event] = await db.query<{ type: string; subject_version: number; facts: Record<string, unknown> }[]>(
      `SELECT type, subject_version, facts FROM domain_event WHERE subject_id = $1 AND type LIKE 'RELEASE_PLAN_%' ORDER BY id`,
      [plan],
    );
    expect(event).toMatchObject({
      type: 'RELEASE_PLAN_NOT_AGREED',
      subject_version: 1,
      facts: { childId, recordId: plan, kind: 'RELEASE_PLAN', version: 1, deciderRole: 'CSC_TEAM_MANAGER' },
    });
    expect(await feedTypes('derby-yos-integration', childId)).toContain('RELEASE_PLAN_NOT_AGREED');
  });

  it('does not send RELEASE_PLAN_NOT_AGREED to the establishment holding the child in Derby, which may not read the YOS’s plan', async () => {
    // routing.ts addresses the SECURE_ESTATE involvement, but the recipient's view lets the event through only if the
    // establishment may read the YOS's plan, and Derby has no derby-yos ↔ wetherby-yoi agreement (000 says nothing on
    // release plans). Somerset's agreement has the clause (somerset-yjs-secure-estate §1, 003 §8.3): there it does
    // reach the establishment (obligations-authorities.e2e.test.ts).
    const nomis = t.token('gail.morgan', {
      sub: 'wetherby-nomis-integration',
      name: 'Wetherby NOMIS integration',
      roles: ['SYSTEM'],
    });
    const types = await feedTypes('gail.morgan', childId, { authorization: `Bearer ${nomis}` });
    expect(types).not.toContain('RELEASE_PLAN_NOT_AGREED');
    // The same event did reach the YOS's case system: what was left out was the establishment alone.
    const addressed = await db.query<{ code: string }[]>(
      `SELECT DISTINCT cs.code FROM notification n JOIN case_system cs ON cs.id = n.case_system_id
        WHERE n.child_id = $1 AND n.type = 'RELEASE_PLAN_NOT_AGREED'`,
      [childId],
    );
    expect(addressed.map((row) => row.code)).toContain('derby-yos-childview');
    expect(addressed.map((row) => row.code)).not.toContain('wetherby-nomis');
  });

  it('decides each version once for the agency: a second decision on version 1 is a CONFLICT naming the first', async () => {
    const again = await decide('tara.nolan', { recordId: plan, expectedVersion: 1, agreed: true });
    expect(codes(again)).toEqual(['CONFLICT']);
    expect(again.body.errors?.[0]?.extensions).toMatchObject({ decision: 'NOT_AGREED', decidedBy: 'Tara Nolan' });
  });

  it('decides only the latest FINAL version: an earlier one, one not yet written and a draft are refused', async () => {
    // A new FINAL version (2), then a draft (3) the YOS is still writing.
    ok(
      await t.gql('dana.hughes', UPDATE, {
        input: {
          recordId: plan,
          expectedVersion: 1,
          content: { releasePlan: { releaseDate: '2027-02-15', livingOption: 'BECOMES_LOOKED_AFTER', risksPosed: 'Low' } },
        },
      }),
    );
    ok(
      await t.gql('dana.hughes', UPDATE, {
        input: {
          recordId: plan,
          expectedVersion: 2,
          status: 'DRAFT',
          content: { releasePlan: { releaseDate: '2027-02-16', livingOption: 'BECOMES_LOOKED_AFTER' } },
        },
      }),
    );
    // An earlier FINAL version was replaced: CONFLICT, as for the DPP's signature.
    expect(codes(await decide('tara.nolan', { recordId: plan, expectedVersion: 1, agreed: true }))).toEqual(['CONFLICT']);
    // A draft CSC cannot read, and a version that does not exist: not a FINAL version to decide on.
    for (const expectedVersion of [3, 4]) {
      const stale = await decide('tara.nolan', { recordId: plan, expectedVersion, agreed: true });
      expect(refusal(stale), `version ${expectedVersion}`).toEqual({ code: 'BAD_USER_INPUT', field: 'input.expectedVersion' });
      expect(stale.body.errors?.[0]?.message).toBe('Only the latest FINAL version is decided: version 2');
    }
  });

  it('agrees version 2: its own signature, version 1’s decision kept in the history, and the YOS told', async () => {
    const decided = ok(await decide('tara.nolan', { recordId: plan, expectedVersion: 2, agreed: true })).decideReleasePlan;
    const agreed = {
      version: 2,
      decision: 'AGREED',
      reason: null,
      name: 'Tara Nolan',
      role: 'CSC_TEAM_MANAGER',
      agency: { code: 'derby-csc' },
    };
    expect(decided).toMatchObject({ version: 2, status: 'FINAL', signatures: [agreed] });
    expect(
      decided.versions.map((version) => [version.version, version.status, version.signatures.map((s) => s.decision)]),
    ).toEqual([
      [1, 'SUPERSEDED', ['NOT_AGREED']],
      [2, 'FINAL', ['AGREED']],
    ]);
    const history = ok(await t.gql<{ record: { signatures: Signature[] } }>('tara.nolan', READ, { id: plan, version: 1 })).record
      .signatures;
    expect(history.map((signature) => [signature.decision, signature.reason])).toEqual([
      ['NOT_AGREED', 'No placement is identified for release yet.'],
    ]);
    const events = await db.query<{ type: string; subject_version: number }[]>(
      `SELECT type, subject_version FROM domain_event WHERE subject_id = $1 AND type LIKE 'RELEASE_PLAN_%' ORDER BY id`,
      [plan],
    );
    expect(events.map((event) => `${event.type}@${event.subject_version}`)).toEqual([
      'RELEASE_PLAN_NOT_AGREED@1',
      'RELEASE_PLAN_AGREED@2',
    ]);
    expect(await feedTypes('derby-yos-integration', childId)).toEqual(
      expect.arrayContaining(['RELEASE_PLAN_NOT_AGREED', 'RELEASE_PLAN_AGREED']),
    );
    expect(
      codes(await decide('tara.nolan', { recordId: plan, expectedVersion: 2, agreed: false, reason: 'Changed my mind' })),
    ).toEqual(['CONFLICT']);
  });

  it('refuses a decision on a withdrawn plan', async () => {
    const withdrawn = ok(await releasePlan(childId)).createRecord.id;
    ok(await t.gql('dana.hughes', WITHDRAW, { input: { recordId: withdrawn, expectedVersion: 1, reason: 'Entered twice' } }));
    expect(refusal(await decide('tara.nolan', { recordId: withdrawn, expectedVersion: 1, agreed: true }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.recordId',
    });
  });
});
