import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationDispatcher } from 'src/notifications/dispatcher.service.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { codes, type GraphQLResponse, startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN, KAYLA, recordOf } from '../support/demo-ids.js';
import { COMPLETE_DPP } from '../support/record-fixtures.js';

/**
 * C10 beyond the placement's own fields: the agency where the child is (the establishment holding
 * Jordan, the YOS hosting Kayla) names the place, so it is withheld from the restricted party
 * wherever it would show, and from nobody else.
 */
let t: TestApp;
const CUSTODY = { purpose: 'CUSTODY_CARE' };

async function ok<T>(response: Promise<GraphQLResponse<T>>): Promise<T> {
  const { body } = await response;
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  if (!body.data) throw new Error('no data');
  return body.data;
}

async function restrict(recordedBy: string, childId: string, restrictedSubject: string): Promise<void> {
  await ok(
    t.gql(
      recordedBy,
      `mutation($childId: ID!, $subject: String!) { recordRestriction(input: { childId: $childId, kind: CONTACT_RESTRICTION,
        restrictedSubject: $subject, details: "s34 order" }) { id } }`,
      { childId, subject: restrictedSubject },
    ),
  );
}

const LISTS = `query($id: ID!) { child(id: $id) {
  involvements { agency { code } role }
  allocations { practitioner { displayName agency { code } } }
  caseReferences { caseSystem { code } value } } }`;
interface Lists {
  child: {
    involvements: { agency: { code: string }; role: string }[];
    allocations: { practitioner: { displayName: string; agency: { code: string } } }[];
    caseReferences: { caseSystem: { code: string }; value: string }[];
  };
}

async function lists(subject: string, childId: string): Promise<{ involved: string[]; allocated: string[]; systems: string[] }> {
  const { child } = await ok(t.gql<Lists>(subject, LISTS, { id: childId }));
  return {
    involved: child.involvements.map((row) => row.agency.code),
    allocated: child.allocations.map((row) => row.practitioner.agency.code),
    systems: child.caseReferences.map((row) => row.caseSystem.code),
  };
}

interface Withheld {
  field: string;
  rule: string;
}

beforeAll(async () => {
  t = await startTestApp();
  const db = t.app.get(DataSource);
  // Jordan's offender supervisor at Wetherby, and his reference in the establishment's system.
  await db.query(
    `INSERT INTO worker_allocation (child_id, practitioner_id, agency_id, role, start_date)
     SELECT $1, p.id, p.agency_id, 'YOS_CASE_MANAGER', current_date FROM practitioner p WHERE p.subject = 'owen.price'`,
    [JORDAN.id],
  );
  await db.query(
    `INSERT INTO child_identifier (child_id, case_system_id, value) SELECT $1, id, 'NOMIS-A1234BC' FROM case_system WHERE code = 'wetherby-nomis'`,
    [JORDAN.id],
  );
});
afterAll(() => t.close());

describe('C10: the establishment holding the child', () => {
  let dpp = '';
  let settlingIn = '';
  beforeAll(async () => {
    // Before the restriction: the governor signs a plan, the establishment replies, CSC sends it the care plan.
    dpp = (
      await ok(
        t.gql<{ createRecord: { id: string } }>(
          'sam.okafor',
          `mutation($input: CreateRecordInput!) { createRecord(input: $input) { id } }`,
          { input: { childId: JORDAN.id, content: { detentionPlacementPlan: COMPLETE_DPP } } },
        ),
      )
    ).createRecord.id;
    await ok(
      t.gql(
        'gail.morgan',
        `mutation($input: SignDetentionPlacementPlanInput!) { signDetentionPlacementPlan(input: $input) { id } }`,
        { input: { recordId: dpp, expectedVersion: 1 } },
        CUSTODY,
      ),
    );
    settlingIn = (
      await ok(
        t.gql<{ sendSettlingInReport: { id: string } }>(
          'owen.price',
          `mutation($input: SendSettlingInReportInput!) { sendSettlingInReport(input: $input) { id } }`,
          {
            input: {
              childId: JORDAN.id,
              content: {
                howChildHasSettled: 'Settled well.',
                agreedVisitingArrangements: 'Tuesdays 10:00.',
                firstVisitDate: '2026-11-10',
              },
            },
          },
          CUSTODY,
        ),
      )
    ).sendSettlingInReport.id;
    await ok(
      t.gql(
        'sam.okafor',
        `mutation($input: SendCarePlanToEstablishmentInput!) { sendCarePlanToEstablishment(input: $input) { version } }`,
        { input: { recordId: recordOf(JORDAN, RecordKind.CARE_PLAN), expectedVersion: 2 } },
      ),
    );
    await restrict('sam.okafor', JORDAN.id, 'tara.nolan');
  });

  it('leaves it out of the child’s involvements, allocations and case references', async () => {
    const restricted = await lists('tara.nolan', JORDAN.id);
    const other = await lists('sam.okafor', JORDAN.id);
    expect(other.involved).toContain('wetherby-yoi');
    expect(other.allocated).toContain('wetherby-yoi');
    expect(other.systems).toContain('wetherby-nomis');
    expect(restricted).toEqual({
      involved: other.involved.filter((code) => code !== 'wetherby-yoi'),
      allocated: other.allocated.filter((code) => code !== 'wetherby-yoi'),
      systems: other.systems.filter((code) => code !== 'wetherby-nomis'),
    });
    expect(JSON.stringify(await t.gql('tara.nolan', LISTS, { id: JORDAN.id }))).not.toMatch(/wetherby|Owen Price|NOMIS/i);
  });

  it('withholds a record it owns by its owner, author and history, and lists them withheld under C10', async () => {
    const READ = `query($id: ID!) { record(id: $id) { owningAgency { code } author { name agency { code } }
      versions { version author { name } } withheld { field rule } ... on SettlingInReport { content { howChildHasSettled } } } }`;
    type Read = {
      record: {
        owningAgency: { code: string } | null;
        author: { name: string } | null;
        versions: unknown[] | null;
        withheld: Withheld[];
        content: { howChildHasSettled: string };
      };
    };
    const restricted = await ok(t.gql<Read>('tara.nolan', READ, { id: settlingIn }));
    expect(restricted.record).toMatchObject({ owningAgency: null, author: null, versions: null });
    for (const field of ['owningAgency', 'author', 'versions'])
      expect(restricted.record.withheld).toContainEqual({ field, rule: 'C10' });
    expect(restricted.record.content.howChildHasSettled).toBe('Settled well.');
    expect(JSON.stringify(restricted)).not.toMatch(/wetherby|Owen Price/i);
    const other = await ok(t.gql<Read>('sam.okafor', READ, { id: settlingIn }));
    expect(other.record).toMatchObject({ owningAgency: { code: 'wetherby-yoi' }, author: { name: 'Owen Price' } });
    expect(other.record.versions).toHaveLength(1);
    expect(other.record.withheld.filter((entry) => entry.rule === 'C10')).toEqual([]);
    // A record of the restricted party's own agency keeps its owner.
    const own = await ok(t.gql<Read>('tara.nolan', READ, { id: dpp }));
    expect(own.record.withheld.filter((entry) => entry.rule === 'C10').map((entry) => entry.field)).not.toContain('owningAgency');
  });

  it('leaves its signatures and the copies sent to it out of CSC’s own records', async () => {
    const SIGNED = `query($id: ID!) { record(id: $id) { signatures { agency { code } } versions { signatures { agency { code } } } } }`;
    type Signed = { record: { signatures: unknown[]; versions: { signatures: unknown[] }[] } };
    const other = await ok(t.gql<Signed>('sam.okafor', SIGNED, { id: dpp }));
    expect(other.record.signatures).toEqual([{ agency: { code: 'wetherby-yoi' } }]);
    expect(other.record.versions[0]?.signatures).toEqual([{ agency: { code: 'wetherby-yoi' } }]);
    const restricted = await ok(t.gql<Signed>('tara.nolan', SIGNED, { id: dpp }));
    expect(restricted.record).toEqual({ signatures: [], versions: [{ signatures: [] }] });

    const COPIES = `query($id: ID!) { record(id: $id) { copiesSent { recipient { code } } } }`;
    type Copies = { record: { copiesSent: { recipient: { code: string } }[] } };
    const carePlan = recordOf(JORDAN, RecordKind.CARE_PLAN);
    expect((await ok(t.gql<Copies>('sam.okafor', COPIES, { id: carePlan }))).record.copiesSent).toEqual([
      { recipient: { code: 'wetherby-yoi' } },
    ]);
    expect((await ok(t.gql<Copies>('tara.nolan', COPIES, { id: carePlan }))).record.copiesSent).toEqual([]);
    // Nor does sending it again tell her whether an establishment holds the child.
    const again = await t.gql(
      'tara.nolan',
      `mutation($input: SendCarePlanToEstablishmentInput!) { sendCarePlanToEstablishment(input: $input) { version } }`,
      { input: { recordId: carePlan, expectedVersion: 2 } },
    );
    expect(codes(again)).toEqual(['FORBIDDEN']);
    expect(again.body.errors?.[0]?.message).toContain('(C10)');
  });

  it('leaves its name out of explainAccess, and answers a probe by its case system’s reference as one nobody holds', async () => {
    const LOOKUP = `query($reference: String!) { childByCaseReference(caseSystem: "wetherby-nomis", reference: $reference) { id } }`;
    expect(codes(await t.gql('sam.okafor', LOOKUP, { reference: 'NOMIS-A1234BC' }))).toEqual([]);
    expect(codes(await t.gql('tara.nolan', LOOKUP, { reference: 'NOMIS-A1234BC' }))).toEqual(['NOT_FOUND']);

    const EXPLAIN = `query($child: ID!, $record: ID) { explainAccess(childId: $child, purpose: CASE_MANAGEMENT, recordId: $record) {
      entries { owningAgency { code } } } }`;
    type Explained = { explainAccess: { entries: { owningAgency: { code: string } }[] } };
    const explained = async (subject: string, record: string | null) =>
      (await ok(t.gql<Explained>(subject, EXPLAIN, { child: JORDAN.id, record }))).explainAccess.entries.map(
        (entry) => entry.owningAgency.code,
      );
    expect(await explained('sam.okafor', null)).toContain('wetherby-yoi');
    expect(await explained('tara.nolan', null)).not.toContain('wetherby-yoi');
    expect(await explained('sam.okafor', settlingIn)).toEqual(['wetherby-yoi']);
    // A record it owns is one they may not ask about: its kind and agreement would name the place.
    expect(codes(await t.gql('tara.nolan', EXPLAIN, { child: JORDAN.id, record: settlingIn }))).toEqual(['NOT_FOUND']);
  });
});

describe('C10: the YOS hosting the child', () => {
  beforeAll(() => restrict('ben.carter', KAYLA.id, 'olu.bakare'));

  it('leaves the host YOS and its worker out of the home YOS’s view of the child', async () => {
    const other = await lists('ben.carter', KAYLA.id);
    expect(other.involved).toContain('derby-yos');
    expect(other.allocated).toContain('derby-yos');
    const restricted = await lists('olu.bakare', KAYLA.id);
    expect(restricted.involved).toEqual(other.involved.filter((code) => code !== 'derby-yos'));
    expect(restricted.allocated).toEqual(other.allocated.filter((code) => code !== 'derby-yos'));
    expect(restricted.involved).toContain('islington-yos');
    expect(JSON.stringify(await t.gql('olu.bakare', LISTS, { id: KAYLA.id }))).not.toMatch(/derby|Dana Hughes/i);
  });

  it('withholds a field of another thing that names the host, once its class would show it', async () => {
    // CSC's statutory visit, made with the host YOS's worker.
    const visitDate = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    await ok(
      t.gql('ben.carter', `mutation($input: RecordVisitInput!) { recordVisit(input: $input) { id } }`, {
        input: {
          childId: KAYLA.id,
          kind: 'STATUTORY_LOOKED_AFTER',
          visitDate,
          seenAlone: true,
          otherVisitors: [{ name: 'Dana Hughes', role: 'YOS_CASE_MANAGER', agencyCode: 'derby-yos' }],
        },
      }),
    );
    await restrict('ben.carter', KAYLA.id, 'ayesha.malik');
    const VISITS = `query($id: ID!) { child(id: $id) { visits(first: 5) { edges { node { kind visitors { name agency { code } }
      recordedByAgency { code } withheld { field rule } } } } } }`;
    type Visit = { kind: string; visitors: unknown[] | null; recordedByAgency: unknown; withheld: Withheld[] };
    type Visits = { child: { visits: { edges: { node: Visit }[] } } };
    const statutory = async (subject: string) =>
      (await ok(t.gql<Visits>(subject, VISITS, { id: KAYLA.id }))).child.visits.edges.find(
        (edge) => edge.node.kind === 'STATUTORY_LOOKED_AFTER',
      )?.node;
    const other = await statutory('ben.carter');
    expect(other?.visitors).toEqual([
      { name: 'Ben Carter', agency: { code: 'islington-csc' } },
      { name: 'Dana Hughes', agency: { code: 'derby-yos' } },
    ]);
    expect(other?.withheld.filter((entry) => entry.rule === 'C10')).toEqual([]);
    const restricted = await statutory('ayesha.malik');
    expect(restricted).toMatchObject({ visitors: null, recordedByAgency: { code: 'islington-csc' } });
    expect(restricted?.withheld).toContainEqual({ field: 'visitors', rule: 'C10' });
    expect(restricted?.withheld).not.toContainEqual({ field: 'recordedByAgency', rule: 'C10' });
  });

  it('leaves the host’s acknowledgement of the home YOS’s plan out', async () => {
    const plan = recordOf(KAYLA, RecordKind.INTERVENTION_PLAN);
    const ACKS = `query($id: ID!) { record(id: $id) { version acknowledgements { agency { code } } } }`;
    type Acks = { record: { version: number; acknowledgements: { agency: { code: string } }[] } };
    const { version } = (await ok(t.gql<Acks>('dana.hughes', ACKS, { id: plan }))).record;
    await ok(
      t.gql(
        'dana.hughes',
        `mutation($id: ID!, $version: Int!) { acknowledgeRecord(input: { recordId: $id, version: $version }) { id } }`,
        {
          id: plan,
          version,
        },
      ),
    );
    expect((await ok(t.gql<Acks>('islington-yos-integration', ACKS, { id: plan }))).record.acknowledgements).toContainEqual({
      agency: { code: 'derby-yos' },
    });
    expect((await ok(t.gql<Acks>('olu.bakare', ACKS, { id: plan }))).record.acknowledgements).toEqual([]);
  });

  it('tells the restricted party nothing of an allocation the host makes', async () => {
    await ok(
      t.gql('marcus.reid', `mutation($input: AllocateWorkerInput!) { allocateWorker(input: $input) { id } }`, {
        input: {
          childId: KAYLA.id,
          practitionerSubject: 'priya.shah',
          practitionerName: 'Priya Shah',
          role: 'YOS_CASE_MANAGER',
          startDate: new Date().toISOString().slice(0, 10),
        },
      }),
    );
    await t.app.get(NotificationDispatcher).drain();
    const FEED = `{ notifications(first: 100) { edges { node { type cloudEvent } } } }`;
    type Feed = { notifications: { edges: { node: { type: string; cloudEvent: string } }[] } };
    const allocations = async (subject: string) =>
      (await ok(t.gql<Feed>(subject, FEED))).notifications.edges.filter(
        (edge) => edge.node.type === 'WORKER_ALLOCATION_CHANGED' && edge.node.cloudEvent.includes('Priya Shah'),
      );
    expect(await allocations('islington-yos-integration')).toHaveLength(1);
    expect(await allocations('olu.bakare')).toEqual([]);
  });

  it('answers a probe for the host as it answers any other: a referral, a look-up by its case system’s reference', async () => {
    const REFER = `mutation($agency: String!, $role: InvolvementRole!) { referChild(input: { childId: "${KAYLA.id}", agencyCode: $agency, role: $role }) { id } }`;
    // Unrestricted, the host's involvement shows as a conflict.
    expect(codes(await t.gql('islington-yos-integration', REFER, { agency: 'derby-yos', role: 'YOS_HOST' }))).toEqual([
      'CONFLICT',
    ]);
    const reference = KAYLA.references.find((entry) => entry.caseSystem === 'derby-yos-childview')?.value;
    expect(reference).toBeDefined();
    const LOOKUP = `query($reference: String!) { childByCaseReference(caseSystem: "derby-yos-childview", reference: $reference) { id } }`;
    expect(codes(await t.gql('islington-yos-integration', LOOKUP, { reference }))).toEqual([]);
    expect(codes(await t.gql('olu.bakare', LOOKUP, { reference }))).toEqual(['NOT_FOUND']);
    expect(codes(await t.gql('olu.bakare', LOOKUP, { reference: 'CV-00000' }))).toEqual(['NOT_FOUND']);
  });

  it('keeps it out of explainAccess', async () => {
    const EXPLAIN = `query($id: ID!) { explainAccess(childId: $id, purpose: CASE_MANAGEMENT) { entries { owningAgency { code } } } }`;
    type Explained = { explainAccess: { entries: { owningAgency: { code: string } | null }[] } };
    const codesOf = async (subject: string) =>
      (await ok(t.gql<Explained>(subject, EXPLAIN, { id: KAYLA.id }))).explainAccess.entries.map(
        (entry) => entry.owningAgency?.code,
      );
    expect(await codesOf('ben.carter')).toContain('derby-yos');
    const restricted = await codesOf('olu.bakare');
    expect(restricted).not.toContain('derby-yos');
    expect(restricted).toContain('islington-yos');
  });

  it('does not hide an agency from itself: the host YOS named by a restriction still sees its own part', async () => {
    await restrict('ben.carter', KAYLA.id, 'dana.hughes');
    const own = await lists('dana.hughes', KAYLA.id);
    expect(own.involved).toContain('derby-yos');
    expect(own.allocated).toContain('derby-yos');
  });

  it('does not let the host record the justice status, so no legal-status event names the host', async () => {
    const COURT = `mutation($input: RecordCourtOutcomeInput!) { recordCourtOutcome(input: $input) { id } }`;
    const input = {
      childId: KAYLA.id,
      outcome: 'BAILED',
      effectiveDate: new Date().toISOString().slice(0, 10),
      court: 'Derby Youth Court',
    };
    // A host YOS caretakes; the home YOS records what the court decided (DOMAIN §4.4 H1, H2).
    expect(codes(await t.gql('dana.hughes', COURT, { input }))).toEqual(['FORBIDDEN']);
    await t.app.get(NotificationDispatcher).drain();
    const FEED = `{ notifications(first: 100) { edges { node { type cloudEvent } } } }`;
    type Feed = { notifications: { edges: { node: { type: string; cloudEvent: string } }[] } };
    const feed = await ok(t.gql<Feed>('islington-yos-integration', FEED));
    const legalStatus = feed.notifications.edges.filter((edge) => edge.node.type === 'LEGAL_STATUS_CHANGED');
    expect(JSON.stringify(legalStatus)).not.toMatch(/derby-yos|Dana Hughes/);
    // Now a restriction against the whole home YOS: its case system too (the tests below read it).
    await ok(
      t.gql(
        'ben.carter',
        `mutation($childId: ID!) { recordRestriction(input: { childId: $childId, kind: CONTACT_RESTRICTION,
          restrictedAgencyCode: "islington-yos", details: "s34 order" }) { id } }`,
        { childId: KAYLA.id },
      ),
    );
  });

  it('refuses a referral that would probe for the host, whether or not the child is there', async () => {
    // The home YOS's case system is restricted now (the agency's restriction above).
    const REFER = `mutation($agency: String!, $role: InvolvementRole!) { referChild(input: { childId: "${KAYLA.id}", agencyCode: $agency, role: $role }) { id } }`;
    for (const [agency, role] of [
      ['derby-yos', 'YOS_HOST'],
      ['wetherby-yoi', 'SECURE_ESTATE'],
    ]) {
      const refused = (await t.gql('islington-yos-integration', REFER, { agency, role })).body.errors?.[0];
      expect(refused?.extensions.code, agency).toBe('FORBIDDEN');
      expect(refused?.message, agency).toContain('(C10)');
    }
  });

  it('keeps the host out of the lists once its caretaking ends, for the child may still live in its area', async () => {
    const INVOLVEMENTS = `query($id: ID!) { child(id: $id) { involvements { id agency { code } role endDate } } }`;
    type Involvements = {
      child: { involvements: { id: string; agency: { code: string }; role: string; endDate: string | null }[] };
    };
    const host = (await ok(t.gql<Involvements>('ben.carter', INVOLVEMENTS, { id: KAYLA.id }))).child.involvements.find(
      (involvement) => involvement.role === 'YOS_HOST',
    );
    expect(host).toBeDefined();
    await ok(
      t.gql('islington-yos-integration', `mutation($input: EndRelationshipInput!) { endInvolvement(input: $input) { id } }`, {
        input: { id: host?.id, endDate: new Date().toISOString().slice(0, 10) },
      }),
    );
    const other = (await ok(t.gql<Involvements>('ben.carter', INVOLVEMENTS, { id: KAYLA.id }))).child.involvements;
    expect(other).toContainEqual(expect.objectContaining({ role: 'YOS_HOST', agency: { code: 'derby-yos' } }));
    expect(other.find((involvement) => involvement.role === 'YOS_HOST')?.endDate).not.toBeNull();
    const restricted = await lists('ayesha.malik', KAYLA.id);
    expect(restricted.involved).not.toContain('derby-yos');
    expect(restricted.allocated).not.toContain('derby-yos');
    // Nor does its acknowledgement of the home YOS's plan come back.
    const ACKS = `query($id: ID!) { record(id: $id) { acknowledgements { agency { code } } } }`;
    type Acks = { record: { acknowledgements: { agency: { code: string } }[] } };
    const plan = recordOf(KAYLA, RecordKind.INTERVENTION_PLAN);
    expect((await ok(t.gql<Acks>('islington-yos-integration', ACKS, { id: plan }))).record.acknowledgements).toEqual([]);
  });
});
