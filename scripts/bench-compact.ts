/**
 * Part of `npm run bench` (child): the compact form as the rounds just stored it. The last
 * responses are read back through the view the auditors' API reads (disclosure_entry), decoded with
 * the stored dictionary, and encoded again: each must give its stored bytes (one input, one
 * output). It prints the bytes per disclosed record beside the same receipts as canonical JSON, and
 * what encoding costs in JavaScript beside building the canonical JSON.
 */
import type pg from 'pg';
import { canonicalJson } from '../src/disclosure/chain/canonical.js';
import { CompactFormError } from '../src/disclosure/compact/compact-bytes.js';
import { MemoryDictionary } from '../src/disclosure/compact/memory-dictionary.js';
import { encodeResponse } from '../src/disclosure/compact/response-codec.js';
import { StoredDictionary } from '../src/disclosure/compact/stored-dictionary.js';
import type { ReceiptBody } from '../src/disclosure/receipt.js';
import { ALL_ENTRIES, entryOf, type EntryRow } from '../src/disclosure/response-log.repository.js';
import { fmt } from './bench-audit.js';

export async function benchCompactForm(client: pg.Client, responses = 5000): Promise<boolean> {
  const { rows } = await client.query<{ body: Buffer }>(`SELECT body FROM disclosure_response ORDER BY id DESC LIMIT $1`, [
    responses,
  ]);
  const stored = new StoredDictionary({
    all: async () => (await client.query<EntryRow>(ALL_ENTRIES)).rows.map(entryOf),
    reserve: () => Promise.reject(new Error('the bench only reads the dictionary')),
  });
  await stored.load();
  const groups: ReceiptBody[][] = [];
  let exact = true;
  for (const row of rows) {
    const bodies = await stored.decode(row.body);
    groups.push(bodies);
    exact &&= stored.encode(bodies).bytes.equals(row.body);
  }
  const texts = groups.map((bodies) => bodies.map((body) => canonicalJson(body)));
  const records = groups.reduce((sum, bodies) => sum + bodies.length, 0);
  const compactBytes = rows.reduce((sum, row) => sum + row.body.length, 0);
  const jsonBytes = texts.flat().reduce((sum, text) => sum + Buffer.byteLength(text, 'utf8'), 0);
  // What encoding costs beside what the writer does now (canonical JSON of each receipt), same bodies.
  const time = (work: () => void) => {
    const started = process.hrtime.bigint();
    for (let pass = 0; pass < 5; pass++) work();
    return Number(process.hrtime.bigint() - started) / 1e3 / 5 / Math.max(1, groups.length);
  };
  const jsonMicros = time(() => groups.forEach((bodies) => bodies.forEach((body) => canonicalJson(body))));
  const dictionary = new MemoryDictionary();
  /** Every response encoded (those the form refuses are skipped: the writer stores them as JSON). */
  const encodeAll = (responses: readonly (readonly ReceiptBody[])[]) =>
    responses.forEach((bodies) => {
      try {
        encodeResponse(bodies, dictionary);
      } catch (error) {
        if (!(error instanceof CompactFormError)) throw error;
      }
    });
  const compactMicros = time(() => encodeAll(groups));
  // As the writer builds a response's receipts: one caller's part (user, recipient, operation) shared
  // by all of them, which canonical JSON writes once per batch and the encoder compares by identity.
  const asWritten = groups.map((bodies) => {
    const [first] = bodies;
    return first
      ? bodies.map((body) => ({ ...body, user: first.user, recipient: first.recipient, operation: first.operation }))
      : bodies;
  });
  const sharedJsonMicros = time(() =>
    asWritten.forEach((bodies) => {
      const shared = new Map<object, string>();
      bodies.forEach((body) => canonicalJson(body, shared));
    }),
  );
  const sharedCompactMicros = time(() => encodeAll(asWritten));
  const size = dictionary.size();
  console.log(
    `compact receipt form, the last ${fmt(groups.length)} responses stored (${fmt(records)} records): ` +
      `${fmt(compactBytes / Math.max(1, records), 1)} bytes per record against ${fmt(jsonBytes / Math.max(1, records), 1)} as canonical JSON ` +
      `(${fmt(jsonBytes / Math.max(1, compactBytes), 1)}×), dictionary ${fmt(size.entries)} entries / ${fmt(size.bytes)} bytes for all of them; ` +
      `encoding ${fmt(compactMicros, 1)} µs per response against ${fmt(jsonMicros, 1)} µs of canonical JSON ` +
      `(${fmt(sharedCompactMicros, 1)} against ${fmt(sharedJsonMicros, 1)} µs with the caller's part shared, as the writer builds them); ` +
      `${exact ? 'every response decoded and encoded again to its stored bytes' : 'MISMATCH: a response did not encode again to its stored bytes'}`,
  );
  return exact;
}
