import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DataSource, type QueryRunner } from 'typeorm';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN, recordOf } from '../support/demo-ids.js';
import { gqlAs } from '../support/delegation.js';

let t: TestApp;
let db: DataSource;
/** A committed RECORD_PUBLISHED event the Derby YOS system may see, copied by each writer below. */
let template: string;

beforeAll(async () => {
  t = await startTestApp();
  db = t.app.get(DataSource);
  const updated = await t.gql('sam.okafor', `mutation($input: UpdateRecordInput!) { updateRecord(input: $input) { version } }`, {
    input: {
      recordId: recordOf(JORDAN, RecordKind.CARE_PLAN),
      expectedVersion: 2,
      content: { carePlan: { summary: 'Order test' } },
    },
  });
  expect(updated.body.errors).toBeUndefined();
  const rows = await db.query<{ id: string }[]>(
    `SELECT id::text AS id FROM domain_event WHERE type = 'RECORD_PUBLISHED' ORDER BY id DESC LIMIT 1`,
  );
  template = rows[0]?.id ?? '';
});
afterAll(() => t.close());

const CHANGES = `query($after: String) { changes(after: $after, first: 100) {
  edges { node { position eventId } } pageInfo { endCursor hasNextPage } } }`;
type Feed = { changes: { edges: { node: { position: string; eventId: string } }[]; pageInfo: { endCursor: string } } };

/** Another event as a change's transaction writes it to the outbox: a copy of the template, routed already. */
async function writeEvent(runner: QueryRunner): Promise<{ id: string; eventId: string }> {
  const eventId = randomUUID();
  const rows = await runner.manager.query<{ id: string }[]>(
    `INSERT INTO domain_event (event_id, type, child_id, subject_kind, subject_id, subject_version, facts, occurred_at,
       recorded_by_subject, recorded_by_name, recorded_by_agency_id, correlation_id, routed_at)
     SELECT $1, type, child_id, subject_kind, subject_id, subject_version, facts, now(), recorded_by_subject,
       recorded_by_name, recorded_by_agency_id, correlation_id, now() FROM domain_event WHERE id = $2
     RETURNING id::text AS id`,
    [eventId, template],
  );
  return { id: rows[0]?.id ?? '', eventId };
}

/** One writer's transaction, committed (its connection released, as PGlite has only one). */
async function committedEvent(): Promise<{ id: string; eventId: string }> {
  const runner = db.createQueryRunner();
  try {
    await runner.startTransaction();
    const written = await writeEvent(runner);
    await runner.commitTransaction();
    return written;
  } finally {
    await runner.release();
  }
}

async function read(after: string): Promise<{ eventIds: string[]; end: string }> {
  const response = await gqlAs<Feed>(t, t.token('derby-yos-integration'), CHANGES, { after });
  expect(response.body.errors).toBeUndefined();
  const page = response.body.data?.changes;
  return { eventIds: page?.edges.map((edge) => edge.node.eventId) ?? [], end: page?.pageInfo.endCursor ?? '' };
}

async function position(): Promise<string> {
  let end = '0';
  for (;;) {
    const next = (await read(end)).end;
    if (next === end) return end;
    end = next;
  }
}

describe('the change feed under concurrent writers', () => {
  it('sees writers that commit one after another, each once, in order', async () => {
    const start = await position();
    const first = await committedEvent();
    const middle = await read(start);
    expect(middle.eventIds).toEqual([first.eventId]);
    const second = await committedEvent();
    expect((await read(middle.end)).eventIds).toEqual([second.eventId]);
  });

  // PGlite has one connection: two open transactions need a server.
  it.skipIf(!inject('testDatabaseUrl'))(
    'never passes a position that a later commit fills in: two writers commit in the opposite order of their positions',
    async () => {
      const start = await position();
      const early = db.createQueryRunner();
      const late = db.createQueryRunner();
      try {
        await early.startTransaction();
        await late.startTransaction();
        const low = await writeEvent(early);
        const high = await writeEvent(late);
        expect(BigInt(low.id)).toBeLessThan(BigInt(high.id));
        // The higher position commits first; a reader then must not move past the lower one.
        await late.commitTransaction();
        const during = await read(start);
        expect(during.eventIds).toEqual([]);
        expect(during.end).toBe(start);
        await early.commitTransaction();
        const after = await read(during.end);
        expect(after.eventIds).toEqual([low.eventId, high.eventId]);
        expect((await read(after.end)).eventIds).toEqual([]);
      } finally {
        for (const runner of [early, late]) {
          if (runner.isTransactionActive) await runner.rollbackTransaction();
          await runner.release();
        }
      }
    },
  );
});
