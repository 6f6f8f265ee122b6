import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { londonToday } from 'src/common/time/london.js';
import { NotificationDispatcher } from 'src/notifications/dispatcher.service.js';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import { AllocationRole, InvolvementRole, LegalStatusBasis } from 'src/vocabulary/children.enums.js';
import { codes, type GraphQLResponse, startTestApp, type TestApp } from '../support/test-app.js';
import { loggedReceipts } from '../support/logged-receipts.js';

/**
 * Visits to a child (DOMAIN §3: D13, D15, D17, D29, D31, D32): who records which kind, C17 (the
 * YOS worker never leads the first visit in custody), each field decided by the policy on read,
 * a receipt for each visit read, and VISIT_RECORDED as evidence for the visit duties.
 */
let t: TestApp;
let db: DataSource;
beforeAll(async () => {
  t = await startTestApp();
  db = t.app.get(DataSource);
});
afterAll(() => t.close());

const RECORD = `mutation($input: RecordVisitInput!) { recordVisit(input: $input) {
  id kind visitDate seenAlone refusedToBeSeenAlone location notes recordedBy recordedByName
  recordedByAgency { code } visitors { name role lead agency { code } }
} }`;
const VISITS = `query($id: ID!, $first: Int, $after: String) { child(id: $id) { visits(first: $first, after: $after) {
  edges { cursor node { id kind visitDate seenAlone refusedToBeSeenAlone location notes recordedByName
    visitors { name role lead agency { code } } withheld { field rule } } }
  pageInfo { hasNextPage endCursor }
} } }`;

interface VisitView {
  id: string;
  kind: string;
  visitDate: string;
  seenAlone: boolean | null;
  refusedToBeSeenAlone: boolean | null;
  location: string | null;
  notes: string | null;
  recordedByName: string | null;
  visitors: { name: string; role: string; lead: boolean; agency: { code: string } }[] | null;
  withheld: { field: string; rule: string }[];
}
interface Page {
  child: {
    visits: { edges: { cursor: string; node: VisitView }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  };
}

/** A London date `days` from today (negative: before). */
function day(days: number): string {
  const [year, month, date] = londonToday().split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, date + days)).toISOString().slice(0, 10);
}

function ok<T>(response: GraphQLResponse<T>): T {
  expect(response.body.errors).toBeUndefined();
  if (!response.body.data) throw new Error('no data');
  return response.body.data;
}

function refused(response: GraphQLResponse<unknown>): { code: unknown; message: string; field: unknown } {
  const [error] = response.body.errors ?? [];
  if (!error) throw new Error('expected an error');
  return { code: error.extensions.code, message: error.message, field: error.extensions.field };
}

/**
 * A Derby child known to the YOS (Dana Hughes) and CSC (Sam Okafor, in Tara Nolan's team); with
 * `custodySince`, sentenced to custody that day; with `leavingCare`, Paul Adeyemi its PA.
 */
async function derbyChild(options: { custodySince?: string; leavingCare?: boolean } = {}): Promise<string> {
  const child = aChild({
    dateOfBirth: '2010-02-14',
    involvements: [
      { agency: 'derby-yos', role: InvolvementRole.YOS_HOME, startDate: '2024-01-08' },
      { agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2024-01-08' },
      ...(options.leavingCare
        ? [{ agency: 'derby-leaving-care' as const, role: InvolvementRole.LEAVING_CARE, startDate: '2024-01-08' }]
        : []),
    ],
    allocations: [
      { user: 'dana.hughes', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2024-01-08' },
      { user: 'sam.okafor', role: AllocationRole.SOCIAL_WORKER, startDate: '2024-01-08' },
      ...(options.leavingCare ? [{ user: 'paul.adeyemi', role: AllocationRole.PERSONAL_ADVISER, startDate: '2024-01-08' }] : []),
    ],
    legalStatus: [
      { basis: LegalStatusBasis.S20_ACCOMMODATED, startDate: '2024-01-08', sourceEvent: 'Accommodated', by: 'sam.okafor' },
      ...(options.custodySince
        ? [
            {
              basis: LegalStatusBasis.CUSTODIAL_SENTENCE,
              startDate: options.custodySince,
              sourceEvent: 'Sentenced by Derby Youth Court',
              by: 'dana.hughes',
            },
          ]
        : []),
    ],
  });
  await db.transaction((manager) => insertChild(manager, child));
  return child.id;
}

function statutory(childId: string, extra: Record<string, unknown> = {}) {
  return {
    childId,
    kind: 'STATUTORY_LOOKED_AFTER',
    visitDate: day(-3),
    seenAlone: true,
    location: 'HMYOI Wetherby',
    notes: 'Settling in; wants more family contact.',
    ...extra,
  };
}

const DANA = { name: 'Dana Hughes', role: 'YOS_CASE_MANAGER', agencyCode: 'derby-yos' };

async function visitEvents(childId: string): Promise<{ subject_id: string; facts: { visit: Record<string, unknown> } }[]> {
  return db.query(`SELECT subject_id, facts FROM domain_event WHERE child_id = $1 AND type = 'VISIT_RECORDED' ORDER BY id`, [
    childId,
  ]);
}

async function receipts(correlationId: string) {
  return (await loggedReceipts(db, { correlationId })).map((row) => ({
    entry_kind: row.entryKind,
    record_kind: row.recordKind,
    record_id: row.recordId,
    body: row.body,
  }));
}

describe('recording a visit', () => {
  it('a social worker records a statutory visit seen alone, with the YOS worker along, and reads it back', async () => {
    const childId = await derbyChild({ custodySince: day(-6) });
    const recorded = ok(
      await t.gql<{ recordVisit: VisitView & { recordedBy: string; recordedByAgency: { code: string } } }>('sam.okafor', RECORD, {
        input: statutory(childId, { otherVisitors: [DANA] }),
      }),
    ).recordVisit;
    expect(recorded).toMatchObject({
      kind: 'STATUTORY_LOOKED_AFTER',
      visitDate: day(-3),
      seenAlone: true,
      refusedToBeSeenAlone: false,
      location: 'HMYOI Wetherby',
      recordedBy: 'sam.okafor',
      recordedByName: 'Sam Okafor',
      recordedByAgency: { code: 'derby-csc' },
      visitors: [
        { name: 'Sam Okafor', role: 'SOCIAL_WORKER', lead: true, agency: { code: 'derby-csc' } },
        { name: 'Dana Hughes', role: 'YOS_CASE_MANAGER', lead: false, agency: { code: 'derby-yos' } },
      ],
    });

    const page = ok(await t.gql<Page>('sam.okafor', VISITS, { id: childId })).child.visits;
    expect(page.edges.map((edge) => edge.node)).toEqual([
      expect.objectContaining({
        id: recorded.id,
        seenAlone: true,
        notes: 'Settling in; wants more family contact.',
        withheld: [],
      }),
    ]);

    const [event, ...more] = await visitEvents(childId);
    expect(more).toEqual([]);
    expect(event?.subject_id).toBe(recorded.id);
    expect(event?.facts.visit).toMatchObject({
      id: recorded.id,
      childId,
      kind: 'STATUTORY_LOOKED_AFTER',
      visitDate: day(-3),
      seenAlone: true,
      visitorRoles: ['SOCIAL_WORKER', 'YOS_CASE_MANAGER'],
      first: true,
      custodySince: day(-6),
    });
    expect((event?.facts.visit.visitorAgencyIds as string[]).length).toBe(2);
  });

  it('names the visit in the receipt of the write and of each read', async () => {
    const childId = await derbyChild({ custodySince: day(-6) });
    const writeId = `visits-${randomUUID()}`;
    const written = ok(
      await t.gql<{ recordVisit: { id: string } }>(
        'sam.okafor',
        RECORD,
        { input: statutory(childId) },
        { headers: { 'x-correlation-id': writeId } },
      ),
    ).recordVisit;
    expect(await receipts(writeId)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ entry_kind: 'ALTERATION', record_kind: 'VISIT', record_id: written.id }),
      ]),
    );

    const readId = `visits-${randomUUID()}`;
    ok(await t.gql<Page>('dana.hughes', VISITS, { id: childId }, { headers: { 'x-correlation-id': readId } }));
    const read = (await receipts(readId)).filter((receipt) => receipt.record_kind === 'VISIT');
    expect(read).toHaveLength(1);
    expect(read[0]?.record_id).toBe(written.id);
    const body = read[0]?.body;
    if (!body) throw new Error('the read left no receipt for the visit');
    expect(body.disclosed).toEqual(expect.arrayContaining(['kind', 'visitDate', 'notes', 'visitors.name']));
    expect(body.bases.map((basis) => basis.class)).toEqual(
      expect.arrayContaining(['CASE_ADMINISTRATION', 'CARE_PLANNING', 'PLACEMENT_LOCATION', 'WELFARE_CP']),
    );
  });

  it('lets the team manager record, and pages the visits latest first', async () => {
    const childId = await derbyChild();
    for (const visitDate of [day(-40), day(-10), day(-25)]) {
      ok(
        await t.gql('tara.nolan', RECORD, {
          input: statutory(childId, { visitDate, leadVisitor: { name: 'Sam Okafor', role: 'SOCIAL_WORKER' } }),
        }),
      );
    }
    const first = ok(await t.gql<Page>('sam.okafor', VISITS, { id: childId, first: 2 })).child.visits;
    expect(first.edges.map((edge) => edge.node.visitDate)).toEqual([day(-10), day(-25)]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = ok(await t.gql<Page>('sam.okafor', VISITS, { id: childId, first: 2, after: first.pageInfo.endCursor })).child
      .visits;
    expect(second.edges.map((edge) => edge.node.visitDate)).toEqual([day(-40)]);
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect(codes(await t.gql('sam.okafor', VISITS, { id: childId, after: 'not-a-cursor' }))).toEqual(['BAD_USER_INPUT']);

    // A cursor is readable by whoever holds it, and a visit's date can be withheld by class: it holds the id alone.
    const cursors = [...first.edges.map((edge) => edge.cursor), first.pageInfo.endCursor ?? ''];
    for (const cursor of cursors) {
      const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
      expect(decoded).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    }
    const dated = Buffer.from(JSON.stringify([`${day(-10)}|${new Date().toISOString()}`, randomUUID()])).toString('base64url');
    expect(codes(await t.gql('sam.okafor', VISITS, { id: childId, after: dated }))).toEqual(['BAD_USER_INPUT']);
    // Another child's visit gives no position in this child's list.
    const other = await derbyChild();
    ok(
      await t.gql('tara.nolan', RECORD, {
        input: statutory(other, { visitDate: day(-5), leadVisitor: { name: 'Sam Okafor', role: 'SOCIAL_WORKER' } }),
      }),
    );
    const elsewhere = ok(await t.gql<Page>('sam.okafor', VISITS, { id: other, first: 1 })).child.visits.pageInfo.endCursor;
    const across = ok(await t.gql<Page>('sam.okafor', VISITS, { id: childId, after: elsewhere })).child.visits;
    expect(across.edges).toEqual([]);
  });

  it('a personal adviser records a PA visit; the PA reads CSC visits without what their agreement withholds', async () => {
    const childId = await derbyChild({ custodySince: day(-8), leavingCare: true });
    ok(await t.gql('sam.okafor', RECORD, { input: statutory(childId) }));
    const pa = ok(
      await t.gql<{ recordVisit: VisitView }>('paul.adeyemi', RECORD, {
        input: { childId, kind: 'PERSONAL_ADVISER', visitDate: day(-2), location: 'HMYOI Wetherby' },
      }),
    ).recordVisit;
    expect(pa.visitors).toEqual([
      { name: 'Paul Adeyemi', role: 'PERSONAL_ADVISER', lead: true, agency: { code: 'derby-leaving-care' } },
    ]);
    expect(pa.seenAlone).toBeNull();

    const nodes = ok(await t.gql<Page>('paul.adeyemi', VISITS, { id: childId })).child.visits.edges.map((edge) => edge.node);
    expect(nodes.map((node) => node.kind)).toEqual(['PERSONAL_ADVISER', 'STATUTORY_LOOKED_AFTER']);
    const csc = nodes[1];
    expect(csc).toMatchObject({ location: 'HMYOI Wetherby', seenAlone: true, notes: null });
    expect(csc?.withheld.map((withheld) => withheld.field)).toEqual(['notes']);
    const [, paEvent] = await visitEvents(childId);
    expect(paEvent?.facts.visit).toMatchObject({ kind: 'PERSONAL_ADVISER', first: true, seenAlone: null });
  });

  it('the YOS records its own supervision visits', async () => {
    const childId = await derbyChild();
    const visit = ok(
      await t.gql<{ recordVisit: VisitView }>('dana.hughes', RECORD, {
        input: { childId, kind: 'YOS_SUPERVISION', visitDate: day(-1) },
      }),
    ).recordVisit;
    expect(visit.visitors).toEqual([
      { name: 'Dana Hughes', role: 'YOS_CASE_MANAGER', lead: true, agency: { code: 'derby-yos' } },
    ]);
    const [event] = await visitEvents(childId);
    expect(event?.facts.visit).toMatchObject({ first: false, custodySince: null });
  });

  it('a joint visit is led by CSC and names the YOS worker who came', async () => {
    const childId = await derbyChild({ custodySince: day(-5) });
    expect(refused(await t.gql('sam.okafor', RECORD, { input: statutory(childId, { kind: 'JOINT' }) }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.otherVisitors',
    });
    ok(await t.gql('sam.okafor', RECORD, { input: statutory(childId, { kind: 'JOINT', otherVisitors: [DANA] }) }));
  });
});

const CHANGES = `query($after: String) { changes(after: $after, first: 100) {
  edges { node { eventType child { id } } } pageInfo { endCursor hasNextPage } } }`;
interface Feed {
  edges: { node: { eventType: string; child: { id: string } } }[];
  pageInfo: { endCursor: string; hasNextPage: boolean };
}

describe('VISIT_RECORDED', () => {
  it('is evidence for the visit duties, not a notification: the router passes it by, the change feed skips it', async () => {
    const childId = await derbyChild({ custodySince: day(-6) });
    ok(await t.gql('sam.okafor', RECORD, { input: statutory(childId, { otherVisitors: [DANA] }) }));
    const dispatcher = t.app.get(NotificationDispatcher);
    while ((await dispatcher.routeBatch()) > 0);
    const [event] = await db.query<{ routed_at: Date | null }[]>(
      `SELECT routed_at FROM domain_event WHERE child_id = $1 AND type = 'VISIT_RECORDED'`,
      [childId],
    );
    expect(event?.routed_at).not.toBeNull();
    expect(await db.query(`SELECT 1 FROM notification WHERE child_id = $1`, [childId])).toEqual([]);

    // The whole feed, page by page, reads past the visit without failing (`after` is given: null starts at 0).
    const types: string[] = [];
    for (let after: string | null = null, more = true; more;) {
      const page: { changes: Feed } = ok(await t.gql<{ changes: Feed }>('derby-yos-integration', CHANGES, { after }));
      types.push(...page.changes.edges.filter((edge) => edge.node.child.id === childId).map((edge) => edge.node.eventType));
      ({ endCursor: after, hasNextPage: more } = page.changes.pageInfo);
    }
    expect(types).not.toContain('VISIT_RECORDED');
  });
});

describe('C17: the YOS worker is never the visiting representative, nor leads the first visit in custody', () => {
  it('refuses a first custody visit led by the YOS worker, writes nothing, then takes it led by the social worker', async () => {
    const childId = await derbyChild({ custodySince: day(-6) });
    const byYos = await t.gql('sam.okafor', RECORD, { input: statutory(childId, { leadVisitor: DANA }) });
    expect(refused(byYos)).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining(`C17: the first visit after the child entered custody (${day(-6)})`) as unknown,
    });
    expect(await visitEvents(childId)).toEqual([]);
    expect(ok(await t.gql<Page>('sam.okafor', VISITS, { id: childId })).child.visits.edges).toEqual([]);

    ok(await t.gql('sam.okafor', RECORD, { input: statutory(childId, { otherVisitors: [DANA] }) }));
    ok(await t.gql('sam.okafor', RECORD, { input: statutory(childId, { visitDate: day(-1) }) }));
    expect((await visitEvents(childId)).map((event) => event.facts.visit.first)).toEqual([true, false]);
    // Later visits are not the YOS worker's to lead either: a statutory visit is the visiting representative's.
    expect(refused(await t.gql('sam.okafor', RECORD, { input: statutory(childId, { leadVisitor: DANA }) }))).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/^C17: .*visiting representative/) as unknown,
    });
  });

  it('refuses the first PA visit in custody led by the YOS worker', async () => {
    const childId = await derbyChild({ custodySince: day(-4), leavingCare: true });
    const response = await t.gql('paul.adeyemi', RECORD, {
      input: { childId, kind: 'PERSONAL_ADVISER', visitDate: day(-1), leadVisitor: DANA },
    });
    expect(refused(response)).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/^C17: the first visit/) as unknown,
    });
  });

  it('never lets a YOS record a statutory visit', async () => {
    const childId = await derbyChild({ custodySince: day(-6) });
    expect(refused(await t.gql('dana.hughes', RECORD, { input: statutory(childId) }))).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/^C17: /) as unknown,
    });
  });
});

describe('refusals', () => {
  it('another agency does not see the child: NOT_FOUND, as if there were none', async () => {
    const childId = await derbyChild();
    expect(codes(await t.gql('ben.carter', RECORD, { input: statutory(childId) }))).toEqual(['NOT_FOUND']);
  });

  it('a worker not allocated to the child, or whose allocation ended, cannot record', async () => {
    // Known to the YOS only: the social worker does not see it.
    const yosOnly = aChild();
    await db.transaction((manager) => insertChild(manager, yosOnly));
    expect(codes(await t.gql('sam.okafor', RECORD, { input: statutory(yosOnly.id) }))).toEqual(['NOT_FOUND']);

    // The CSC's case system sees the child through its agency's involvement, but is allocated to nobody.
    const childId = await derbyChild();
    expect(refused(await t.gql('derby-csc-integration', RECORD, { input: statutory(childId) }))).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('allocated') as unknown,
    });

    // Within the grace period an ended allocation still reads, but does not write.
    await db.query(`UPDATE worker_allocation SET end_date = $2 WHERE child_id = $1 AND role = 'SOCIAL_WORKER'`, [
      childId,
      day(-1),
    ]);
    expect(codes(await t.gql('sam.okafor', VISITS, { id: childId }))).toEqual([]);
    expect(codes(await t.gql('sam.okafor', RECORD, { input: statutory(childId) }))).toEqual(['FORBIDDEN']);
  });

  it('roles without the permission are refused before anything is looked up', async () => {
    const childId = await derbyChild();
    expect(codes(await t.gql('irene.walsh', RECORD, { input: statutory(childId) }))).toEqual(['FORBIDDEN']);
  });

  it('another child’s id that does not exist answers NOT_FOUND', async () => {
    expect(codes(await t.gql('sam.okafor', RECORD, { input: statutory(randomUUID()) }))).toEqual(['NOT_FOUND']);
  });

  it('needs a purpose of use', async () => {
    const childId = await derbyChild();
    expect(refused(await t.gql('sam.okafor', RECORD, { input: statutory(childId) }, { purpose: null }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'X-Purpose-Of-Use',
    });
  });

  it('refuses a visit in the future or before the child was born, naming the field', async () => {
    const childId = await derbyChild();
    for (const visitDate of [day(1), '2010-02-13']) {
      expect(refused(await t.gql('sam.okafor', RECORD, { input: statutory(childId, { visitDate }) }))).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.visitDate',
      });
    }
  });

  it('refuses a kind the caller’s agency does not record, naming the field', async () => {
    const childId = await derbyChild({ leavingCare: true });
    expect(
      refused(await t.gql('sam.okafor', RECORD, { input: { childId, kind: 'YOS_SUPERVISION', visitDate: day(-1) } })),
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.kind',
    });
    expect(refused(await t.gql('paul.adeyemi', RECORD, { input: statutory(childId, { kind: 'JOINT' }) }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.kind',
    });
  });

  it('refuses a statutory visit that does not say whether the child was seen alone, or says both', async () => {
    const childId = await derbyChild();
    expect(refused(await t.gql('sam.okafor', RECORD, { input: statutory(childId, { seenAlone: null }) })).field).toBe(
      'input.seenAlone',
    );
    expect(
      refused(await t.gql('sam.okafor', RECORD, { input: statutory(childId, { seenAlone: true, refusedToBeSeenAlone: true }) }))
        .field,
    ).toBe('input.seenAlone');
    const refusedAlone = ok(
      await t.gql<{ recordVisit: VisitView }>('sam.okafor', RECORD, {
        input: statutory(childId, { seenAlone: null, refusedToBeSeenAlone: true }),
      }),
    ).recordVisit;
    expect(refusedAlone).toMatchObject({ seenAlone: false, refusedToBeSeenAlone: true });
  });

  it('refuses an unknown visitor agency, naming the field', async () => {
    const childId = await derbyChild();
    expect(
      refused(
        await t.gql('sam.okafor', RECORD, {
          input: statutory(childId, { otherVisitors: [{ name: 'Someone', role: 'Mentor', agencyCode: 'nowhere' }] }),
        }),
      ),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.otherVisitors.0.agencyCode' });
  });
});
