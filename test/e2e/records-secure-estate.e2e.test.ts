import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { NotificationDispatcher } from 'src/notifications/dispatcher.service.js';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import { AllocationRole, InvolvementRole } from 'src/vocabulary/children.enums.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { codes, type GraphQLResponse, startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN, KAYLA, recordOf } from '../support/demo-ids.js';
import { COMPLETE_DPP } from '../support/record-fixtures.js';
import { loggedReceipts } from '../support/logged-receipts.js';

/**
 * The establishment's narrow part in the records (issue 14 §3): the governor signs the detention
 * placement plan (001 §6.11), the social worker gives the establishment a copy of the care plan
 * (001 §6.10), and the establishment replies how the child has settled (001 §7.7).
 */
let t: TestApp;
const CUSTODY = { purpose: 'CUSTODY_CARE' };
const OTHER = { agency: '00000000-0000-4000-8000-0000000009a1', system: '00000000-0000-4000-8000-0000000009a2' };
let elsewhere = '';

const CREATE = `mutation($input: CreateRecordInput!) { createRecord(input: $input) { id version } }`;
const UPDATE = `mutation($input: UpdateRecordInput!) { updateRecord(input: $input) { version } }`;
const SIGN = `mutation($input: SignDetentionPlacementPlanInput!) { signDetentionPlacementPlan(input: $input) { id version status
  signatures { name role agency { code } signedAt } } }`;
const HISTORY = `query($id: ID!, $version: Int) { record(id: $id, version: $version) { version status
  signatures { name role agency { code } }
  versions { version status signatures { name role agency { code } signedAt } } } }`;
const SEND_CARE_PLAN = `mutation($input: SendCarePlanToEstablishmentInput!) { sendCarePlanToEstablishment(input: $input) { version
  copiesSent { version recipient { code } sentByName } } }`;
const SETTLING_IN = `mutation($input: SendSettlingInReportInput!) { sendSettlingInReport(input: $input) { id kind version status
  owningAgency { code } } }`;

async function ok<T>(response: Promise<GraphQLResponse<T>>): Promise<T> {
  const { body } = await response;
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  if (!body.data) throw new Error('no data');
  return body.data;
}

/** POST /graphql as the governor of another establishment, which has no agreement with Derby. */
async function asOtherGovernor(query: string, variables: Record<string, unknown>): Promise<GraphQLResponse> {
  const token = t.key.sign(
    {
      sub: 'olive.grey',
      name: 'Olive Grey',
      agency: 'other-yoi',
      case_system: 'other-yoi-system',
      roles: ['SECURE_ESTATE_GOVERNOR'],
    },
    { issuer: t.config.auth.issuer, audience: t.config.auth.audience, expiresInSeconds: 300 },
  );
  const response = await request(t.app.getHttpServer())
    .post('/graphql')
    .set('content-type', 'application/json')
    .set('authorization', `Bearer ${token}`)
    .set('x-purpose-of-use', 'CUSTODY_CARE')
    .send({ query, variables });
  return { status: response.status, body: response.body as GraphQLResponse['body'], headers: response.headers };
}

async function events(recordId: string, type: string): Promise<{ subject_version: number; facts: Record<string, unknown> }[]> {
  return t.app
    .get(DataSource)
    .query(`SELECT subject_version, facts FROM domain_event WHERE subject_id = $1 AND type = $2 ORDER BY id`, [recordId, type]);
}

/** The alteration receipts naming a record (or a signature or copy, by its own id), oldest first. */
async function alterations(id: string): Promise<{ kind: string; user: string; action: string }[]> {
  const rows = await loggedReceipts(t.app.get(DataSource), { entryKind: 'ALTERATION', recordId: id });
  return rows.map((row) => ({
    kind: row.recordKind ?? '',
    user: row.userSubject,
    action: row.body.alteration?.action ?? '',
  }));
}

beforeAll(async () => {
  t = await startTestApp();
  // A second establishment: in the directory, with a case system, and holding a child of its own.
  const db = t.app.get(DataSource);
  await db.query(`INSERT INTO agency (id, code, name, kind) VALUES ($1, 'other-yoi', 'HMYOI Elsewhere', 'SECURE_ESTATE')`, [
    OTHER.agency,
  ]);
  await db.query(`INSERT INTO case_system (id, code, name, agency_id) VALUES ($1, 'other-yoi-system', 'Elsewhere system', $2)`, [
    OTHER.system,
    OTHER.agency,
  ]);
  t.app.get(AgencyDirectory).invalidate();
  const child = aChild({
    involvements: [{ agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2026-01-05' }],
    allocations: [{ user: 'sam.okafor', role: AllocationRole.SOCIAL_WORKER, startDate: '2026-01-05' }],
  });
  await db.transaction((manager) => insertChild(manager, child));
  await db.query(
    `INSERT INTO agency_involvement (child_id, agency_id, role, start_date) VALUES ($1, $2, 'SECURE_ESTATE', '2026-10-01')`,
    [child.id, OTHER.agency],
  );
  elsewhere = child.id;
});
afterAll(() => t.close());

describe('the governor signs the detention placement plan (001 §6.11)', () => {
  let dpp = '';
  beforeAll(async () => {
    const created = await ok(
      t.gql<{ createRecord: { id: string } }>('sam.okafor', CREATE, {
        input: { childId: JORDAN.id, content: { detentionPlacementPlan: COMPLETE_DPP } },
      }),
    );
    dpp = created.createRecord.id;
  });

  it('refuses everyone but the governor of the establishment holding the child, under CUSTODY_CARE', async () => {
    const input = { input: { recordId: dpp, expectedVersion: 1 } };
    // Other roles lack the permission: the YOS worker, the social worker, the offender supervisor.
    for (const subject of ['dana.hughes', 'sam.okafor', 'owen.price', 'derby-csc-integration']) {
      expect(codes(await t.gql(subject, SIGN, input, CUSTODY)), subject).toEqual(['FORBIDDEN']);
    }
    const noPurpose = await t.gql('gail.morgan', SIGN, input, { purpose: null });
    expect(noPurpose.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'X-Purpose-Of-Use' });
    expect(codes(await t.gql('gail.morgan', SIGN, input, { purpose: 'CASE_MANAGEMENT' }))).toEqual(['NOT_FOUND']);
    // Another establishment's governor, even one holding a child of its own.
    expect(codes(await asOtherGovernor(SIGN, input))).toEqual(['NOT_FOUND']);
    expect(await events(dpp, 'DETENTION_PLACEMENT_PLAN_SIGNED')).toEqual([]);
  });

  it('refuses the plan of a child held at another establishment', async () => {
    const plan = await ok(
      t.gql<{ createRecord: { id: string } }>('sam.okafor', CREATE, {
        input: {
          childId: elsewhere,
          content: { detentionPlacementPlan: { ...COMPLETE_DPP, establishmentName: 'HMYOI Elsewhere' } },
        },
      }),
    );
    const input = { input: { recordId: plan.createRecord.id, expectedVersion: 1 } };
    expect(codes(await t.gql('gail.morgan', SIGN, input, CUSTODY))).toEqual(['NOT_FOUND']);
    // Holding the child is not enough without an agreement with the authority.
    expect(codes(await asOtherGovernor(SIGN, input))).toEqual(['NOT_FOUND']);
  });

  it('refuses a draft: only a FINAL version is signed', async () => {
    const draftOnly = await ok(
      t.gql<{ createRecord: { id: string } }>('sam.okafor', CREATE, {
        input: { childId: JORDAN.id, status: 'DRAFT', content: { detentionPlacementPlan: COMPLETE_DPP } },
      }),
    );
    // A draft is CSC's alone: the establishment cannot even see it.
    expect(
      codes(await t.gql('gail.morgan', SIGN, { input: { recordId: draftOnly.createRecord.id, expectedVersion: 1 } }, CUSTODY)),
    ).toEqual(['NOT_FOUND']);
    await ok(
      t.gql('sam.okafor', UPDATE, {
        input: { recordId: draftOnly.createRecord.id, expectedVersion: 1, content: { detentionPlacementPlan: COMPLETE_DPP } },
      }),
    );
    await ok(
      t.gql('sam.okafor', UPDATE, {
        input: {
          recordId: draftOnly.createRecord.id,
          expectedVersion: 2,
          status: 'DRAFT',
          content: { detentionPlacementPlan: COMPLETE_DPP },
        },
      }),
    );
    const draft = await t.gql(
      'gail.morgan',
      SIGN,
      { input: { recordId: draftOnly.createRecord.id, expectedVersion: 3 } },
      CUSTODY,
    );
    expect(codes(draft)).toEqual(['BAD_USER_INPUT']);
    expect(draft.body.errors?.[0]?.message).toBe("Only a FINAL version is signed: the plan's latest FINAL version is 2");
  });

  it('signs through the API: the signature is in the plan’s history, receipted, with an event', async () => {
    const signed = await ok(
      t.gql<{ signDetentionPlacementPlan: { version: number; status: string; signatures: unknown[] } }>(
        'gail.morgan',
        SIGN,
        { input: { recordId: dpp, expectedVersion: 1 } },
        CUSTODY,
      ),
    );
    expect(signed.signDetentionPlacementPlan).toMatchObject({
      version: 1,
      status: 'FINAL',
      signatures: [{ name: 'Gail Morgan', role: 'SECURE_ESTATE_GOVERNOR', agency: { code: 'wetherby-yoi' } }],
    });
    // CSC, which owns the plan, and the YOS read the signature in the plan's history.
    for (const subject of ['sam.okafor', 'dana.hughes']) {
      const { record } = await ok(
        t.gql<{ record: { signatures: unknown[]; versions: { signatures: { name: string; signedAt: string }[] }[] } }>(
          subject,
          HISTORY,
          { id: dpp },
        ),
      );
      expect(record.signatures, subject).toEqual([
        { name: 'Gail Morgan', role: 'SECURE_ESTATE_GOVERNOR', agency: { code: 'wetherby-yoi' } },
      ]);
      expect(record.versions[0]?.signatures[0]?.name).toBe('Gail Morgan');
      expect(Date.parse(record.versions[0]?.signatures[0]?.signedAt ?? '')).not.toBeNaN();
    }
    const [event] = await events(dpp, 'DETENTION_PLACEMENT_PLAN_SIGNED');
    expect(event).toMatchObject({
      subject_version: 1,
      facts: {
        childId: JORDAN.id,
        recordId: dpp,
        kind: 'DETENTION_PLACEMENT_PLAN',
        version: 1,
        action: 'signDetentionPlacementPlan',
        signerAgencyId: '00000000-0000-4000-8000-000000000106',
        signerRole: 'SECURE_ESTATE_GOVERNOR',
      },
    });
    expect((await alterations(dpp)).at(-1)).toEqual({
      kind: 'DETENTION_PLACEMENT_PLAN',
      user: 'gail.morgan',
      action: 'signDetentionPlacementPlan',
    });
    expect(await alterations(String(event?.facts.signatureId))).toEqual([
      { kind: 'RECORD_SIGNATURE', user: 'gail.morgan', action: 'signDetentionPlacementPlan' },
    ]);
    // Signed once per establishment and version.
    expect(codes(await t.gql('gail.morgan', SIGN, { input: { recordId: dpp, expectedVersion: 1 } }, CUSTODY))).toEqual([
      'CONFLICT',
    ]);
  });

  it('keeps the signature with the version it signed once a later version supersedes it', async () => {
    await ok(
      t.gql('sam.okafor', UPDATE, {
        input: {
          recordId: dpp,
          expectedVersion: 1,
          content: { detentionPlacementPlan: { ...COMPLETE_DPP, racialOrigin: 'Mixed' } },
        },
      }),
    );
    const { record } = await ok(
      t.gql<{
        record: { status: string; signatures: unknown[]; versions: { version: number; status: string; signatures: unknown[] }[] };
      }>('gail.morgan', HISTORY, { id: dpp }, CUSTODY),
    );
    expect(record.status).toBe('FINAL');
    expect(record.signatures).toEqual([]);
    expect(record.versions.map((version) => [version.version, version.status, version.signatures.length])).toEqual([
      [1, 'SUPERSEDED', 1],
      [2, 'FINAL', 0],
    ]);
    expect(codes(await t.gql('gail.morgan', SIGN, { input: { recordId: dpp, expectedVersion: 1 } }, CUSTODY))).toEqual([
      'CONFLICT',
    ]);
    await ok(t.gql('gail.morgan', SIGN, { input: { recordId: dpp, expectedVersion: 2 } }, CUSTODY));
  });
});

describe('the care plan copy for the establishment (001 §6.10)', () => {
  const carePlan = recordOf(JORDAN, RecordKind.CARE_PLAN);
  const READ = `query($id: ID!, $version: Int) { record(id: $id, version: $version) { version latestVersion
    versions { version } withheld { field rule }
    ... on CarePlan { content { summary courtProceedingsInformation youthJusticeContribution } } } }`;

  it('is not readable by the establishment until sent', async () => {
    expect(codes(await t.gql('gail.morgan', READ, { id: carePlan }, CUSTODY))).toEqual(['NOT_FOUND']);
  });

  it('is sent only by the owning agency, of a FINAL version, to a child an establishment holds', async () => {
    const input = { input: { recordId: carePlan, expectedVersion: 2 } };
    expect(codes(await t.gql('dana.hughes', SEND_CARE_PLAN, input))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql('ayesha.malik', SEND_CARE_PLAN, input))).toEqual(['NOT_FOUND']);
    expect(codes(await t.gql('gail.morgan', SEND_CARE_PLAN, input, CUSTODY))).toEqual(['FORBIDDEN']);
    const noPurpose = await t.gql('sam.okafor', SEND_CARE_PLAN, input, { purpose: null });
    expect(noPurpose.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'X-Purpose-Of-Use' });
    expect(codes(await t.gql('sam.okafor', SEND_CARE_PLAN, { input: { recordId: carePlan, expectedVersion: 1 } }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    // Kayla is held by no establishment.
    const kayla = await t.gql('ben.carter', SEND_CARE_PLAN, {
      input: { recordId: recordOf(KAYLA, RecordKind.CARE_PLAN), expectedVersion: 1 },
    });
    expect(kayla.body.errors?.[0]?.message).toBe('No secure establishment is recorded as holding the child');
  });

  it('lets the governor and offender supervisor read the version sent, and no other', async () => {
    const sent = await ok(
      t.gql<{ sendCarePlanToEstablishment: { copiesSent: unknown[] } }>('sam.okafor', SEND_CARE_PLAN, {
        input: { recordId: carePlan, expectedVersion: 2 },
      }),
    );
    expect(sent.sendCarePlanToEstablishment.copiesSent).toEqual([
      { version: 2, recipient: { code: 'wetherby-yoi' }, sentByName: 'Sam Okafor' },
    ]);
    expect(codes(await t.gql('sam.okafor', SEND_CARE_PLAN, { input: { recordId: carePlan, expectedVersion: 2 } }))).toEqual([
      'CONFLICT',
    ]);
    // The establishment's case system is told (NOTIFICATIONS.md: RECORD_COPY_SENT), in its own feed.
    await t.app.get(NotificationDispatcher).drain();
    const nomis = t.token('gail.morgan', {
      sub: 'wetherby-nomis-integration',
      name: 'Wetherby NOMIS integration',
      roles: ['SYSTEM'],
    });
    const feed = await ok(
      t.gql<{ notifications: { edges: { node: { type: string; cloudEvent: string } }[] } }>(
        'gail.morgan',
        '{ notifications(first: 100) { edges { node { type cloudEvent } } } }',
        {},
        { headers: { authorization: `Bearer ${nomis}` } },
      ),
    );
    const copies = feed.notifications.edges.filter((edge) => edge.node.type === 'RECORD_COPY_SENT');
    expect(
      copies.map((edge) => (JSON.parse(edge.node.cloudEvent) as { data: { record?: { id?: string } } }).data.record?.id),
    ).toContain(carePlan);
    // A later version is not sent by itself.
    await ok(
      t.gql('sam.okafor', UPDATE, {
        input: { recordId: carePlan, expectedVersion: 2, content: { carePlan: { summary: 'Review' } } },
      }),
    );
    for (const subject of ['gail.morgan', 'owen.price']) {
      const { record } = await ok(
        t.gql<{
          record: {
            version: number;
            latestVersion: number;
            versions: unknown[];
            withheld: { field: string }[];
            content: Record<string, unknown>;
          };
        }>(subject, READ, { id: carePlan }, CUSTODY),
      );
      expect(record).toMatchObject({ version: 2, latestVersion: 2, versions: [{ version: 2 }] });
      expect(record.content.summary).toContain('remanded to HMYOI Wetherby');
      // Court-proceedings (C1) and youth-justice material stay with CSC.
      expect(record.content.courtProceedingsInformation).toBeNull();
      expect(record.content.youthJusticeContribution).toBeNull();
      expect(record.withheld.map((entry) => entry.field)).toEqual(
        expect.arrayContaining(['content.courtProceedingsInformation', 'content.youthJusticeContribution']),
      );
      for (const version of [1, 3]) {
        const other = await t.gql(subject, READ, { id: carePlan, version }, CUSTODY);
        expect(other.body.errors?.[0]?.message).toBe('The versions of the record you may read are 2');
      }
    }
    // Under another purpose the establishment sees nothing of it; the child's other records stay as C11 has them.
    expect(codes(await t.gql('gail.morgan', READ, { id: carePlan }, { purpose: 'CASE_MANAGEMENT' }))).toEqual(['NOT_FOUND']);
    expect((await alterations(carePlan)).map((entry) => entry.action)).toContain('sendCarePlanToEstablishment');
  });

  it('shows the YOS’s comment on the version sent to its owner, not to the establishment the owner shares it with', async () => {
    const ACKS = `query($id: ID!, $version: Int) { record(id: $id, version: $version) { acknowledgements { agency { code } comment } } }`;
    type Acks = { record: { acknowledgements: { agency: { code: string }; comment: string | null }[] } };
    const comment = 'YOS: disclosed further offending in supervision';
    await ok(
      t.gql(
        'dana.hughes',
        `mutation($id: ID!) { acknowledgeRecord(input: { recordId: $id, version: 2, comment: "${comment}" }) { id } }`,
        { id: carePlan },
      ),
    );
    const byYos = { agency: { code: 'derby-yos' }, comment };
    expect((await ok(t.gql<Acks>('sam.okafor', ACKS, { id: carePlan, version: 2 }))).record.acknowledgements).toContainEqual(
      byYos,
    );
    expect((await ok(t.gql<Acks>('dana.hughes', ACKS, { id: carePlan, version: 2 }))).record.acknowledgements).toContainEqual(
      byYos,
    );
    for (const subject of ['gail.morgan', 'owen.price']) {
      const { record } = await ok(t.gql<Acks>(subject, ACKS, { id: carePlan }, CUSTODY));
      expect(record.acknowledgements.filter((entry) => entry.agency.code !== 'wetherby-yoi')).toEqual([]);
    }
  });
});

describe("the establishment's settling-in reply (001 §7.7)", () => {
  const content = {
    howChildHasSettled: 'Settled on the Keppel unit; eating and sleeping well; attending education.',
    agreedVisitingArrangements: 'Legal-visits room, Tuesdays 10:00; first visit agreed.',
    firstVisitDate: '2026-11-10',
  };

  it('is refused to anyone but the establishment holding the child, caring for it', async () => {
    const input = { input: { childId: JORDAN.id, content } };
    for (const subject of ['sam.okafor', 'dana.hughes'])
      expect(codes(await t.gql(subject, SETTLING_IN, input))).toEqual(['FORBIDDEN']);
    const noPurpose = await t.gql('owen.price', SETTLING_IN, input, { purpose: null });
    expect(noPurpose.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'X-Purpose-Of-Use' });
    expect(codes(await t.gql('owen.price', SETTLING_IN, input, { purpose: 'CASE_MANAGEMENT' }))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql('owen.price', SETTLING_IN, { input: { childId: KAYLA.id, content } }, CUSTODY))).toEqual([
      'NOT_FOUND',
    ]);
    expect(codes(await asOtherGovernor(SETTLING_IN, input))).toEqual(['NOT_FOUND']);
    const incomplete = await t.gql(
      'owen.price',
      SETTLING_IN,
      { input: { childId: JORDAN.id, content: { howChildHasSettled: 'Settled well' } } },
      CUSTODY,
    );
    expect(codes(incomplete)).toEqual(['BAD_USER_INPUT']);
    expect(incomplete.body.errors?.[0]?.extensions.missing).toEqual([
      'agreedVisitingArrangements: the agreed visiting arrangements',
    ]);
  });

  it('is a FINAL report the establishment owns, which the social worker reads and the YOS does not', async () => {
    const sent = await ok(
      t.gql<{
        sendSettlingInReport: { id: string; kind: string; version: number; status: string; owningAgency: { code: string } };
      }>('owen.price', SETTLING_IN, { input: { childId: JORDAN.id, content } }, CUSTODY),
    );
    expect(sent.sendSettlingInReport).toMatchObject({
      kind: 'SETTLING_IN_REPORT',
      version: 1,
      status: 'FINAL',
      owningAgency: { code: 'wetherby-yoi' },
    });
    const id = sent.sendSettlingInReport.id;
    const READ = `query($id: ID!) { record(id: $id) { version author { name } ... on SettlingInReport { content { howChildHasSettled agreedVisitingArrangements firstVisitDate } } } }`;
    const social = await ok(t.gql<{ record: { content: typeof content; author: { name: string } } }>('sam.okafor', READ, { id }));
    expect(social.record).toMatchObject({ author: { name: 'Owen Price' }, content });
    expect(codes(await t.gql('dana.hughes', READ, { id }))).toEqual(['NOT_FOUND']);
    // The governor corrects it; the establishment cannot write CSC's records through it.
    const corrected = await ok(
      t.gql<{ sendSettlingInReport: { version: number } }>(
        'gail.morgan',
        SETTLING_IN,
        {
          input: { childId: JORDAN.id, recordId: id, expectedVersion: 1, content: { ...content, firstVisitDate: '2026-11-11' } },
        },
        CUSTODY,
      ),
    );
    expect(corrected.sendSettlingInReport.version).toBe(2);
    const stale = await t.gql(
      'gail.morgan',
      SETTLING_IN,
      { input: { childId: JORDAN.id, recordId: id, expectedVersion: 1, content } },
      CUSTODY,
    );
    expect(codes(stale)).toEqual(['CONFLICT']);
    const intoCsc = await t.gql(
      'gail.morgan',
      SETTLING_IN,
      {
        input: {
          childId: JORDAN.id,
          recordId: recordOf(JORDAN, RecordKind.DETENTION_PLACEMENT_PLAN),
          expectedVersion: 1,
          content,
        },
      },
      CUSTODY,
    );
    expect(codes(intoCsc)).toEqual(['BAD_USER_INPUT']);
    expect((await events(id, 'RECORD_FINALISED')).map((event) => event.subject_version)).toEqual([1, 2]);
  });
});
