/**
 * Part of `npm run bench` (child): the compact receipt form (src/disclosure/compact, not yet what
 * the writer stores) measured on the receipts the rounds just wrote. Each response's receipts (one
 * correlation id and instant) are encoded with one dictionary for the whole log, decoded, and checked
 * byte for byte against the stored canonical JSON (a response the form refuses is counted); it prints the bytes per disclosed record of both
 * forms and what encoding costs in JavaScript beside building the canonical JSON.
 */
import type pg from 'pg';
import { canonicalJson } from '../src/disclosure/chain/canonical.js';
import { CompactFormError } from '../src/disclosure/compact/compact-bytes.js';
import { MemoryDictionary } from '../src/disclosure/compact/memory-dictionary.js';
import { decodeResponse, encodeResponse } from '../src/disclosure/compact/response-codec.js';
import type { ReceiptBody } from '../src/disclosure/receipt.js';
import { fmt } from './bench-audit.js';

export async function benchCompactForm(client: pg.Client, responses = 5000): Promise<boolean> {
  const { rows } = await client.query<{ bodies: string[] }>(
    `SELECT array_agg(convert_from(body, 'UTF8') ORDER BY id) AS bodies FROM (
       SELECT id, body, correlation_id, recorded_at FROM disclosure_receipt WHERE entry_kind = 'DISCLOSURE' ORDER BY id DESC LIMIT $1
     ) r GROUP BY correlation_id, recorded_at`,
    [responses * 4],
  );
  const stored = rows.map((row) => row.bodies);
  const groups = stored.map((texts) => texts.map((text) => JSON.parse(text) as ReceiptBody));
  const dictionary = new MemoryDictionary();
  let records = 0;
  let jsonBytes = 0;
  let compactBytes = 0;
  let exact = true;
  let refused = 0;
  groups.forEach((bodies, group) => {
    const texts = stored[group] ?? [];
    let bytes: Buffer;
    try {
      bytes = encodeResponse(bodies, dictionary);
    } catch (error) {
      if (!(error instanceof CompactFormError)) throw error;
      refused += 1;
      return;
    }
    // Decoded, each receipt's canonical JSON must be its stored bytes exactly.
    exact &&= decodeResponse(bytes, dictionary).every((body, index) => canonicalJson(body) === texts[index]);
    records += bodies.length;
    compactBytes += bytes.length;
    jsonBytes += texts.reduce((sum, text) => sum + Buffer.byteLength(text, 'utf8'), 0);
  });
  // What encoding costs beside what the writer does now (canonical JSON of each receipt), same bodies.
  const time = (work: () => void) => {
    const started = process.hrtime.bigint();
    for (let pass = 0; pass < 5; pass++) work();
    return Number(process.hrtime.bigint() - started) / 1e3 / 5 / Math.max(1, groups.length);
  };
  const jsonMicros = time(() => groups.forEach((bodies) => bodies.forEach((body) => canonicalJson(body))));
  /** Every response encoded (those the form refuses are skipped, as the writer would store them as today). */
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
    `compact receipt form (not yet stored), on the last ${fmt(groups.length)} responses (${fmt(records)} records): ` +
      `${fmt(compactBytes / Math.max(1, records), 1)} bytes per record against ${fmt(jsonBytes / Math.max(1, records), 1)} as canonical JSON ` +
      `(${fmt(jsonBytes / Math.max(1, compactBytes), 1)}×), dictionary ${fmt(size.entries)} entries / ${fmt(size.bytes)} bytes for all of them; ` +
      `encoding ${fmt(compactMicros, 1)} µs per response against ${fmt(jsonMicros, 1)} µs of canonical JSON ` +
      `(${fmt(sharedCompactMicros, 1)} against ${fmt(sharedJsonMicros, 1)} µs with the caller's part shared, as the writer builds them); ` +
      `${exact ? 'every receipt decoded to its stored bytes' : 'MISMATCH: a receipt did not decode to its stored bytes'}` +
      (refused > 0 ? `; ${fmt(refused)} responses refused by the form (they would be stored as today)` : ''),
  );
  return exact;
}
