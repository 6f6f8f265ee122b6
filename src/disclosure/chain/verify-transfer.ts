import type { CheckpointRow, Problem } from 'src/disclosure/chain/verify-checks.js';
import type { RangeOutcome, RangeTask } from 'src/disclosure/chain/verify-range.js';

/**
 * What passes between `audit:verify` and its worker threads. Buffers arrive as plain Uint8Arrays
 * (structured cloning keeps the bytes, not the class), so each side makes them Buffers again.
 */

type BufferFields = 'merkle_root' | 'chain_head' | 'statement' | 'signature';
type SentCheckpoint = Omit<CheckpointRow, BufferFields> & { readonly [field in BufferFields]: Uint8Array };

export interface SentTask extends Omit<RangeTask, 'previous' | 'checkpoints'> {
  readonly previous: Uint8Array;
  readonly checkpoints: readonly SentCheckpoint[];
}

export interface WorkerRequest {
  readonly databaseUrl: string;
  readonly task: SentTask;
}

export type WorkerMessage =
  | { readonly kind: 'progress'; readonly checked: number }
  | {
      readonly kind: 'done';
      readonly outcome: { readonly receipts: number; readonly head: Uint8Array; readonly problem: Problem | null };
    }
  | { readonly kind: 'error'; readonly message: string };

function buffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function fromWorker(task: SentTask): RangeTask {
  return {
    ...task,
    previous: buffer(task.previous),
    checkpoints: task.checkpoints.map((checkpoint) => ({
      ...checkpoint,
      merkle_root: buffer(checkpoint.merkle_root),
      chain_head: buffer(checkpoint.chain_head),
      statement: buffer(checkpoint.statement),
      signature: buffer(checkpoint.signature),
    })),
  };
}

export function outcomeOf(sent: Extract<WorkerMessage, { kind: 'done' }>['outcome']): RangeOutcome {
  return { ...sent, head: buffer(sent.head) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

function isSentCheckpoint(value: unknown): value is SentCheckpoint {
  return (
    isObject(value) &&
    typeof value.id === 'number' &&
    typeof value.first_seq === 'string' &&
    typeof value.last_seq === 'string' &&
    value.signed_at instanceof Date &&
    typeof value.key_id === 'string' &&
    isBytes(value.merkle_root) &&
    isBytes(value.chain_head) &&
    isBytes(value.statement) &&
    isBytes(value.signature)
  );
}

function isProblem(value: unknown): value is Problem {
  return (
    isObject(value) &&
    (value.receiptId === null || typeof value.receiptId === 'string') &&
    (value.seq === null || typeof value.seq === 'string') &&
    (value.checkpointId === null || typeof value.checkpointId === 'number') &&
    typeof value.problem === 'string'
  );
}

const isSeqOrNull = (value: unknown) => value === null || typeof value === 'string';

/** What a worker thread was started with, checked rather than assumed. */
export function isWorkerRequest(value: unknown): value is WorkerRequest {
  if (!isObject(value) || typeof value.databaseUrl !== 'string' || !isObject(value.task)) return false;
  const { task } = value;
  const { following } = task;
  return (
    typeof task.afterSeq === 'string' &&
    isBytes(task.previous) &&
    Array.isArray(task.checkpoints) &&
    task.checkpoints.every(isSentCheckpoint) &&
    isSeqOrNull(task.bound) &&
    (following === null || (isObject(following) && isSeqOrNull(following.bound))) &&
    typeof task.pageSize === 'number'
  );
}

/** A message from a worker thread, checked rather than assumed. */
export function isWorkerMessage(value: unknown): value is WorkerMessage {
  if (!isObject(value)) return false;
  if (value.kind === 'progress') return typeof value.checked === 'number';
  if (value.kind === 'error') return typeof value.message === 'string';
  if (value.kind !== 'done' || !isObject(value.outcome)) return false;
  const { outcome } = value;
  return (
    typeof outcome.receipts === 'number' && isBytes(outcome.head) && (outcome.problem === null || isProblem(outcome.problem))
  );
}
