import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { codes, type GraphQLResponse, startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN, KAYLA, recordOf } from '../support/demo-ids.js';
import { COMPLETE_DPP } from '../support/record-fixtures.js';

/**
 * The record lifecycle (issue 14 §3): a version is DRAFT or FINAL, only the owner sees drafts, a
 * FINAL version needs what its kind requires and supersedes the one before, and the owner
 * withdraws a record with a reason. Existing versions are FINAL.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const CREATE = `mutation($input: CreateRecordInput!) { createRecord(input: $input) { id version latestVersion status } }`;
const UPDATE = `mutation($input: UpdateRecordInput!) { updateRecord(input: $input) { version latestVersion status } }`;
const FINALISE = `mutation($input: FinaliseRecordInput!) { finaliseRecord(input: $input) { version latestVersion status
  versions { version status author { name } } } }`;
const WITHDRAW = `mutation($input: WithdrawRecordInput!) { withdrawRecord(input: $input) { version
  withdrawal { reason name agency { code } withdrawnAt } } }`;
const READ = `query($id: ID!, $version: Int) { record(id: $id, version: $version) { version latestVersion status
  withdrawal { reason } versions { version status } } }`;

type Read = {
  record: {
    version: number;
    latestVersion: number;
    status: string;
    withdrawal: { reason: string } | null;
    versions: { version: number; status: string }[];
  };
};

async function ok<T>(response: Promise<GraphQLResponse<T>>): Promise<T> {
  const { body } = await response;
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  if (!body.data) throw new Error('no data');
  return body.data;
}

async function eventsOf(recordId: string): Promise<{ type: string; subject_version: number; facts: Record<string, unknown> }[]> {
  return t.app
    .get(DataSource)
    .query(`SELECT type, subject_version, facts FROM domain_event WHERE subject_id = $1 ORDER BY id`, [recordId]);
}

describe('existing records', () => {
  it('read as FINAL, exactly as before', async () => {
    const { record } = await ok(t.gql<Read>('dana.hughes', READ, { id: recordOf(JORDAN, RecordKind.CARE_PLAN) }));
    expect(record).toEqual({
      version: 2,
      latestVersion: 2,
      status: 'FINAL',
      withdrawal: null,
      versions: [
        { version: 1, status: 'SUPERSEDED' },
        { version: 2, status: 'FINAL' },
      ],
    });
  });
});

describe('DRAFT and FINAL', () => {
  let dpp = '';

  it('refuses an empty detention placement plan as FINAL, naming the missing Appendix 2 items', async () => {
    const empty = await t.gql('sam.okafor', CREATE, {
      input: { childId: JORDAN.id, status: 'FINAL', content: { detentionPlacementPlan: {} } },
    });
    expect(codes(empty)).toEqual(['BAD_USER_INPUT']);
    const error = empty.body.errors?.[0];
    expect(error?.message).toContain('Appendix 2');
    expect(error?.message).toContain('establishmentAddress: its address');
    expect(error?.extensions.missing).toHaveLength(17);
    // FINAL is the default, so a client written before drafts gets the same answer.
    const partial = await t.gql('sam.okafor', CREATE, {
      input: { childId: JORDAN.id, content: { detentionPlacementPlan: { establishmentName: 'HMYOI Wetherby' } } },
    });
    expect(codes(partial)).toEqual(['BAD_USER_INPUT']);
    expect(partial.body.errors?.[0]?.extensions.missing).toHaveLength(16);
  });

  it('keeps a draft to the owning agency, and refuses to finalise it until complete', async () => {
    const created = await ok(
      t.gql<{ createRecord: { id: string; version: number; status: string } }>('sam.okafor', CREATE, {
        input: { childId: JORDAN.id, status: 'DRAFT', content: { detentionPlacementPlan: {} } },
      }),
    );
    dpp = created.createRecord.id;
    expect(created.createRecord).toMatchObject({ version: 1, status: 'DRAFT' });
    // The YOS, which reads the DPP once it is final, cannot see a draft at all.
    expect(codes(await t.gql('dana.hughes', READ, { id: dpp }))).toEqual(['NOT_FOUND']);
    expect(codes(await t.gql('gail.morgan', READ, { id: dpp }, { purpose: 'CUSTODY_CARE' }))).toEqual(['NOT_FOUND']);
    const refused = await t.gql('sam.okafor', FINALISE, { input: { recordId: dpp, expectedVersion: 1 } });
    expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.body.errors?.[0]?.message).toContain('healthConsentArrangements');
    expect(await eventsOf(dpp)).toEqual([]);
  });

  it('finalises the completed draft as a new FINAL version, published with RECORD_FINALISED', async () => {
    const drafted = await ok(
      t.gql<{ updateRecord: { version: number; status: string } }>('sam.okafor', UPDATE, {
        input: { recordId: dpp, expectedVersion: 1, status: 'DRAFT', content: { detentionPlacementPlan: COMPLETE_DPP } },
      }),
    );
    expect(drafted.updateRecord).toMatchObject({ version: 2, status: 'DRAFT' });
    const stale = await t.gql('sam.okafor', FINALISE, { input: { recordId: dpp, expectedVersion: 1 } });
    expect(codes(stale)).toEqual(['CONFLICT']);
    expect(codes(await t.gql('dana.hughes', FINALISE, { input: { recordId: dpp, expectedVersion: 2 } }))).toEqual(['NOT_FOUND']);

    const finalised = await ok(
      t.gql<{ finaliseRecord: Read['record'] & { versions: { author: { name: string } }[] } }>('sam.okafor', FINALISE, {
        input: { recordId: dpp, expectedVersion: 2 },
      }),
    );
    expect(finalised.finaliseRecord).toMatchObject({
      version: 3,
      latestVersion: 3,
      status: 'FINAL',
      versions: [
        { version: 1, status: 'DRAFT', author: { name: 'Sam Okafor' } },
        { version: 2, status: 'DRAFT', author: { name: 'Sam Okafor' } },
        { version: 3, status: 'FINAL', author: { name: 'Sam Okafor' } },
      ],
    });
    const again = await t.gql('sam.okafor', FINALISE, { input: { recordId: dpp, expectedVersion: 3 } });
    expect(codes(again)).toEqual(['BAD_USER_INPUT']);

    // The YOS now reads it, and only its FINAL version.
    const { record } = await ok(t.gql<Read>('dana.hughes', READ, { id: dpp }));
    expect(record).toMatchObject({ version: 3, latestVersion: 3, status: 'FINAL', versions: [{ version: 3, status: 'FINAL' }] });
    const draft = await t.gql('dana.hughes', READ, { id: dpp, version: 2 });
    expect(draft.body.errors?.[0]?.message).toBe('The versions of the record you may read are 3');

    const events = await eventsOf(dpp);
    expect(events.map((event) => [event.type, event.subject_version])).toEqual([
      ['RECORD_PUBLISHED', 3],
      ['RECORD_FINALISED', 3],
    ]);
    expect(events[1]?.facts).toMatchObject({
      childId: JORDAN.id,
      recordId: dpp,
      kind: 'DETENTION_PLACEMENT_PLAN',
      version: 3,
      action: 'finaliseRecord',
      supersedesVersion: null,
    });
    expect(typeof events[1]?.facts.owningAgencyId).toBe('string');
  });

  it('reads an earlier FINAL version as SUPERSEDED once a later one is FINAL', async () => {
    await ok(
      t.gql('sam.okafor', UPDATE, {
        input: {
          recordId: dpp,
          expectedVersion: 3,
          content: { detentionPlacementPlan: { ...COMPLETE_DPP, racialOrigin: 'Mixed' } },
        },
      }),
    );
    const earlier = await ok(t.gql<Read>('dana.hughes', READ, { id: dpp, version: 3 }));
    expect(earlier.record).toMatchObject({ version: 3, latestVersion: 4, status: 'SUPERSEDED' });
    expect(earlier.record.versions).toEqual([
      { version: 3, status: 'SUPERSEDED' },
      { version: 4, status: 'FINAL' },
    ]);
    const finalised = (await eventsOf(dpp)).filter((event) => event.type === 'RECORD_FINALISED').at(-1);
    expect(finalised?.facts).toMatchObject({ version: 4, supersedesVersion: 3, action: 'updateRecord' });
  });

  it('lists a draft-only record for its owner and for nobody else', async () => {
    const kinds = async (subject: string) => {
      const data = await ok(
        t.gql<{ child: { records: { edges: { node: { id: string; status: string } }[] } } }>(
          subject,
          `{ child(id: "${JORDAN.id}") { records(kinds: [CARE_PLAN]) { edges { node { id status } } } } }`,
        ),
      );
      return data.child.records.edges.map((edge) => edge.node);
    };
    const draft = await ok(
      t.gql<{ createRecord: { id: string } }>('sam.okafor', CREATE, {
        input: { childId: JORDAN.id, status: 'DRAFT', content: { carePlan: { summary: 'Working notes' } } },
      }),
    );
    expect(await kinds('sam.okafor')).toContainEqual({ id: draft.createRecord.id, status: 'DRAFT' });
    expect((await kinds('dana.hughes')).map((node) => node.id)).not.toContain(draft.createRecord.id);
  });
});

describe('a draft stays the owner’s', () => {
  it('cannot be signed into a FINAL version by the social worker signing as parent/carer (C16)', async () => {
    const plan = recordOf(KAYLA, RecordKind.INTERVENTION_PLAN);
    await ok(
      t.gql('olu.bakare', UPDATE, {
        input: {
          recordId: plan,
          expectedVersion: 1,
          status: 'DRAFT',
          content: { interventionPlan: { riskTargets: ['Draft target'] } },
        },
      }),
    );
    const sign = `mutation($v: Int!) { signInterventionPlanAsParentCarer(input: { recordId: "${plan}", expectedVersion: $v }) { version } }`;
    for (const v of [1, 2]) expect(codes(await t.gql('ben.carter', sign, { v }))).toEqual(['CONFLICT']);
    const { record } = await ok(t.gql<Read>('ben.carter', READ, { id: plan }));
    expect(record).toMatchObject({ version: 1, latestVersion: 1, status: 'FINAL' });
    expect(await eventsOf(plan)).toEqual([]);
  });
});

describe('withdrawal', () => {
  let plan = '';
  beforeAll(async () => {
    const created = await ok(
      t.gql<{ createRecord: { id: string } }>('sam.okafor', CREATE, {
        input: { childId: JORDAN.id, content: { carePlan: { summary: 'Plan written in error' } } },
      }),
    );
    plan = created.createRecord.id;
  });

  it('needs a reason, the current version, and the owning agency', async () => {
    const noReason = await t.gql('sam.okafor', WITHDRAW, { input: { recordId: plan, expectedVersion: 1, reason: '  ' } });
    expect(noReason.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.reason' });
    expect(codes(await t.gql('sam.okafor', WITHDRAW, { input: { recordId: plan, expectedVersion: 2, reason: 'x' } }))).toEqual([
      'CONFLICT',
    ]);
    // The YOS sees the plan but does not own it; another authority does not see it; no purpose, no child data.
    expect(codes(await t.gql('dana.hughes', WITHDRAW, { input: { recordId: plan, expectedVersion: 1, reason: 'x' } }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(codes(await t.gql('ayesha.malik', WITHDRAW, { input: { recordId: plan, expectedVersion: 1, reason: 'x' } }))).toEqual([
      'NOT_FOUND',
    ]);
    const noPurpose = await t.gql(
      'sam.okafor',
      WITHDRAW,
      { input: { recordId: plan, expectedVersion: 1, reason: 'x' } },
      { purpose: null },
    );
    expect(noPurpose.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'X-Purpose-Of-Use' });
    expect((await ok(t.gql<Read>('sam.okafor', READ, { id: plan }))).record.withdrawal).toBeNull();
  });

  it('keeps the record readable, marked withdrawn, and stops every later change', async () => {
    const withdrawn = await ok(
      t.gql<{ withdrawRecord: { withdrawal: { reason: string; name: string; agency: { code: string } } } }>(
        'tara.nolan',
        WITHDRAW,
        { input: { recordId: plan, expectedVersion: 1, reason: 'Written for the wrong child' } },
      ),
    );
    expect(withdrawn.withdrawRecord.withdrawal).toMatchObject({
      reason: 'Written for the wrong child',
      name: 'Tara Nolan',
      agency: { code: 'derby-csc' },
    });
    const seen = await ok(t.gql<Read>('dana.hughes', READ, { id: plan }));
    expect(seen.record.withdrawal).toEqual({ reason: 'Written for the wrong child' });
    const update = await t.gql('sam.okafor', UPDATE, {
      input: { recordId: plan, expectedVersion: 1, content: { carePlan: { summary: 'Again' } } },
    });
    expect(codes(update)).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.gql('sam.okafor', WITHDRAW, { input: { recordId: plan, expectedVersion: 1, reason: 'x' } }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    // Nor does a permission widen what a withdrawn record discloses.
    const permission = await t.gql(
      'sam.okafor',
      `mutation($id: ID!) { recordDisclosurePermission(input: { recordId: $id, kind: COURT_ORDER, reference: "DE24P00999" }) { id } }`,
      { id: plan },
    );
    expect(codes(permission)).toEqual(['BAD_USER_INPUT']);
    const events = await eventsOf(plan);
    expect(events.at(-1)).toMatchObject({
      type: 'RECORD_WITHDRAWN',
      subject_version: 1,
      facts: { childId: JORDAN.id, recordId: plan, kind: 'CARE_PLAN', version: 1, action: 'withdrawRecord' },
    });
  });
});
