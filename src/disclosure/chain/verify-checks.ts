import { verifySignature } from 'src/disclosure/chain/checkpoint-key.js';
import { type CheckpointStatement, statementBytes } from 'src/disclosure/chain/checkpoint-statement.js';
import { sha256Hex } from 'src/disclosure/chain/hashing.js';
import { type ResponseColumns, responseColumns } from 'src/disclosure/compact/response-columns.js';
import type { ReceiptBody } from 'src/disclosure/receipt.js';

/** The verifier's checks of one checkpoint, receipt or response, each naming the first problem it finds. */

/** A checkpoint as exported for the other agency to hold. */
export interface ExportedCheckpoint {
  readonly statement: CheckpointStatement;
  readonly signature: string;
}

export interface Problem {
  readonly receiptId: string | null;
  readonly seq: string | null;
  readonly checkpointId: number | null;
  readonly problem: string;
}

export class Failure extends Error {
  constructor(readonly detail: Problem) {
    super(detail.problem);
  }
}

export function fail(receiptId: string | null, seq: string | null, checkpointId: number | null, problem: string): never {
  throw new Failure({ receiptId, seq, checkpointId, problem });
}

export interface CheckpointRow {
  id: number;
  first_seq: string;
  last_seq: string;
  merkle_root: Buffer;
  chain_head: Buffer;
  signed_at: Date;
  key_id: string;
  statement: Buffer;
  signature: Buffer;
}

/** Every checkpoint: its statement matches its columns, links to the one before, and is signed by a trusted key. */
export function checkCheckpointChain(
  checkpoints: readonly CheckpointRow[],
  options: { readonly trustedKeys: ReadonlyMap<string, string>; readonly heldCheckpoints?: readonly ExportedCheckpoint[] },
): void {
  let previous: CheckpointRow | undefined;
  for (const checkpoint of checkpoints) {
    // The statement's bytes are compared whole (its checkpoint number among them): never parsed, so no
    // stored statement can stop the run.
    const expected: CheckpointStatement = {
      v: 1,
      log: 'tandem-disclosures',
      checkpoint: checkpoint.id,
      firstSeq: checkpoint.first_seq,
      lastSeq: checkpoint.last_seq,
      treeSize: Number(BigInt(checkpoint.last_seq) - BigInt(checkpoint.first_seq) + 1n),
      merkleRoot: checkpoint.merkle_root.toString('hex'),
      chainHead: checkpoint.chain_head.toString('hex'),
      previous: previous ? sha256Hex(previous.statement) : null,
      signedAt: checkpoint.signed_at.toISOString(),
      keyId: checkpoint.key_id,
    };
    if (!statementBytes(expected).equals(checkpoint.statement)) {
      fail(
        null,
        checkpoint.first_seq,
        checkpoint.id,
        'the checkpoint differs from what was signed, or does not follow the one before',
      );
    }
    if (BigInt(checkpoint.last_seq) < BigInt(checkpoint.first_seq)) {
      fail(null, checkpoint.first_seq, checkpoint.id, 'the checkpoint covers no seal');
    }
    if (previous && BigInt(checkpoint.first_seq) !== BigInt(previous.last_seq) + 1n) {
      fail(null, checkpoint.first_seq, checkpoint.id, 'checkpoints do not cover the chain contiguously');
    }
    const key = options.trustedKeys.get(checkpoint.key_id);
    if (!key) fail(null, checkpoint.first_seq, checkpoint.id, `signed by key ${checkpoint.key_id}, which is not trusted`);
    if (!verifySignature(key, checkpoint.statement, checkpoint.signature)) {
      fail(null, checkpoint.first_seq, checkpoint.id, 'the checkpoint signature is not valid');
    }
    previous = checkpoint;
  }
  const byId = new Map(checkpoints.map((checkpoint) => [checkpoint.id, checkpoint]));
  for (const held of options.heldCheckpoints ?? []) {
    const found = byId.get(held.statement.checkpoint);
    if (
      !found ||
      !found.statement.equals(statementBytes(held.statement)) ||
      found.signature.toString('base64') !== held.signature
    ) {
      fail(
        null,
        held.statement.firstSeq,
        held.statement.checkpoint,
        'a checkpoint held outside the log is not in it as held (the log was rewritten)',
      );
    }
  }
}

export const NOT_A_RECEIPT = Symbol('not a receipt');

/** Decodes only UTF-8, replacing nothing: a receipt's bytes are the UTF-8 of its JSON text. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A receipt's indexed columns as read, beside its stored bytes. */
export interface ReceiptColumns {
  recorded_at: Date | null;
  entry_kind: string | null;
  outcome: string | null;
  user_subject: string | null;
  agency_id: string | null;
  case_system_id: string | null;
  child_id: string | null;
  record_kind: string | null;
  record_id: string | null;
  record_version: number | null;
  owning_agency_id: string | null;
  purpose: string | null;
  break_glass: boolean | null;
  after_allocation_ended: boolean | null;
  correlation_id: string | null;
  body: Buffer | null;
}

/** A compact response's columns as read (each array as its ids joined by commas), beside its stored bytes. */
export interface ResponseRow {
  id: string;
  recorded_at: Date;
  correlation_id: string;
  user_subject: string;
  agency_id: string;
  case_system_id: string;
  purpose: string | null;
  entries: number;
  break_glass: boolean;
  after_allocation_ended: boolean;
  flagged: boolean;
  children: string;
  records: string;
  owners: string;
  entry_map: Buffer;
  body: Buffer;
}

/** The first column of a response that does not say what its sealed receipts say, if any. */
export function responseMismatch(row: ResponseRow, sealedAt: Date, bodies: readonly ReceiptBody[]): string | null {
  const sealed: ResponseColumns = responseColumns(bodies);
  // Joined, as read: a UUID holds no comma.
  const same = (joined: string, ids: readonly string[]) => joined === ids.join(',');
  const expected: [string, boolean][] = [
    [
      'recorded_at',
      row.recorded_at.getTime() === sealed.recordedAt.getTime() && sealedAt.getTime() === sealed.recordedAt.getTime(),
    ],
    ['correlation_id', row.correlation_id === sealed.correlationId],
    ['user_subject', row.user_subject === sealed.userSubject],
    ['agency_id', row.agency_id === sealed.agencyId],
    ['case_system_id', row.case_system_id === sealed.caseSystemId],
    ['purpose', row.purpose === sealed.purpose],
    ['entries', row.entries === sealed.entries],
    ['break_glass', row.break_glass === sealed.breakGlass],
    ['after_allocation_ended', row.after_allocation_ended === sealed.afterAllocationEnded],
    ['flagged', row.flagged === sealed.flagged],
    ['children', same(row.children, sealed.children)],
    ['records', same(row.records, sealed.records)],
    ['owners', same(row.owners, sealed.owners)],
    ['entry_map', row.entry_map.equals(sealed.entryMap)],
  ];
  return expected.find(([, matches]) => !matches)?.[0] ?? null;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** The first indexed column that does not say what the sealed bytes say, if any. */
export function columnMismatch(row: ReceiptColumns): string | typeof NOT_A_RECEIPT | null {
  let body: ReceiptBody;
  try {
    body = JSON.parse(STRICT_UTF8.decode(row.body ?? Buffer.alloc(0))) as ReceiptBody;
  } catch {
    return NOT_A_RECEIPT;
  }
  if (!isObject(body) || !isObject(body.user) || !isObject(body.recipient)) return NOT_A_RECEIPT;
  const expected: [string, unknown, unknown][] = [
    ['recorded_at', row.recorded_at?.toISOString(), body.at],
    ['entry_kind', row.entry_kind, body.entry],
    ['outcome', row.outcome, body.outcome],
    ['user_subject', row.user_subject, body.user.subject],
    ['agency_id', row.agency_id, body.recipient.agencyId],
    ['case_system_id', row.case_system_id, body.recipient.caseSystemId],
    ['child_id', row.child_id, body.child],
    ['record_kind', row.record_kind, body.record?.kind ?? null],
    ['record_id', row.record_id, body.record?.id ?? null],
    ['record_version', row.record_version, body.record?.version ?? null],
    ['owning_agency_id', row.owning_agency_id, body.record?.owningAgencyId ?? null],
    ['purpose', row.purpose, body.purpose],
    ['break_glass', row.break_glass, body.breakGlass],
    ['after_allocation_ended', row.after_allocation_ended, body.afterAllocationEnded],
    ['correlation_id', row.correlation_id, body.correlationId],
  ];
  return expected.find(([, actual, sealed]) => actual !== sealed)?.[0] ?? null;
}
