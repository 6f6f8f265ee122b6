import type { CheckpointRow } from 'src/disclosure/chain/verify-checks.js';
import type { RangeOutcome, RangeTask } from 'src/disclosure/chain/verify-range.js';

/**
 * Checks stretches of the chain elsewhere, each on a connection of its own: `run` resolves with
 * the stretch's outcome (its problem, if any), reporting the receipts checked so far on the way,
 * and rejects when the stretch could not be checked there (the run checks it itself then).
 */
export interface RangeHelpers {
  readonly count: number;
  run(task: RangeTask, onProgress: (checked: number) => void): Promise<RangeOutcome>;
  /** Stops every stretch still running: the run is over, stopped, or has its answer already. */
  stop(): Promise<void>;
}

/** Checks a stretch on this thread, reporting the receipts it checked after each page. */
export type CheckHere = (task: RangeTask, onPage: (checked: number) => Promise<void>) => Promise<RangeOutcome>;

/** What the split takes of the run's options. */
interface StretchOptions {
  readonly helpers?: RangeHelpers;
  /** May throw to stop the run. */
  readonly onPage?: (checked: number, total: number) => Promise<void>;
}

/**
 * The live checkpoints in `parts` stretches of about as many seals each, each beginning where a
 * checkpoint begins and linking from the chain head its predecessor signed. One stretch when the
 * log holds fewer than two pages of seals: a stretch of less than a page costs more than it saves.
 */
export function stretches(
  live: readonly CheckpointRow[],
  start: { readonly afterSeq: string; readonly previous: Buffer; readonly bound: string | null; readonly pageSize: number },
  parts: number,
): RangeTask[] {
  const { afterSeq, previous, bound, pageSize } = start;
  const last = live.at(-1);
  const seals = last ? Number(BigInt(last.last_seq) - BigInt(afterSeq)) : 0;
  const count = Math.max(1, Math.min(parts, Math.floor(seals / pageSize)));
  if (count === 1) return [{ afterSeq, previous, checkpoints: live, bound, following: null, pageSize }];
  const tasks: RangeTask[] = [];
  let from = 0;
  for (let part = 1; part <= count && from < live.length; part++) {
    // The stretch ends at the checkpoint that reaches its share of the seals (the last takes the rest).
    const target = BigInt(afterSeq) + BigInt(Math.round((seals * part) / count));
    let to = from;
    while (part < count && to < live.length - 1 && BigInt(checkpointAt(live, to).last_seq) < target) to += 1;
    if (part === count) to = live.length - 1;
    const before = live[from - 1];
    const end = checkpointAt(live, to);
    const final = to === live.length - 1;
    tasks.push({
      afterSeq: before ? before.last_seq : afterSeq,
      previous: before ? before.chain_head : previous,
      checkpoints: live.slice(from, to + 1),
      bound: final ? bound : end.last_seq,
      following: final ? null : { bound },
      pageSize,
    });
    from = to + 1;
  }
  return tasks;
}

function checkpointAt(live: readonly CheckpointRow[], index: number): CheckpointRow {
  const checkpoint = live[index];
  if (!checkpoint) throw new Error(`No checkpoint at ${index}`);
  return checkpoint;
}

type Settled = { readonly outcome: RangeOutcome } | { readonly error: unknown };

function settle(run: Promise<RangeOutcome>): Promise<Settled> {
  return run.then(
    (outcome) => ({ outcome }),
    (error: unknown) => ({ error }),
  );
}

/**
 * The first stretch here, the others by the helpers, at once; the outcome as one run through the
 * whole chain would have it: taken stretch by stretch in order, the receipts of each up to the
 * first with a problem (later ones lie further along the chain: their helpers are stopped), and the
 * last one's head. A stretch a helper could not check is checked here. Progress is the receipts of
 * all stretches; when `onPage` throws, the run stops with that error.
 */
export async function checkStretches(
  tasks: readonly RangeTask[],
  here: CheckHere,
  options: StretchOptions,
  total: number,
): Promise<RangeOutcome> {
  const [first, ...rest] = tasks;
  if (!first) throw new Error('No stretch to check');
  const { helpers, onPage } = options;
  if (!helpers || rest.length === 0) return here(first, async (count) => onPage?.(count, total));
  const checked = tasks.map(() => 0);
  let stop: { readonly error: unknown } | undefined;
  const progress = async (index: number, count: number) => {
    checked[index] = count;
    await onPage?.(
      checked.reduce((all, each) => all + each, 0),
      total,
    );
  };
  try {
    // The helpers' stretches are started first, each settling on its own: one that fails at once
    // leaves nothing of this thread's running unawaited.
    const theirs = rest.map((task, index) =>
      settle(
        Promise.resolve().then(() =>
          helpers.run(task, (count) => {
            progress(index + 1, count).catch((error: unknown) => {
              stop ??= { error };
              void helpers.stop();
            });
          }),
        ),
      ),
    );
    const outcomes: RangeOutcome[] = [await here(first, (count) => progress(0, count))];
    for (const [index, task] of rest.entries()) {
      if ((outcomes.at(-1) as RangeOutcome).problem) break;
      const result = await (theirs[index] as Promise<Settled>);
      if (stop) throw stop.error;
      outcomes.push('outcome' in result ? result.outcome : await here(task, (count) => progress(index + 1, count)));
    }
    if (stop) throw stop.error;
    const receipts = outcomes.reduce((all, outcome) => all + outcome.receipts, 0);
    const end = outcomes.at(-1) as RangeOutcome;
    return { receipts, head: end.head, problem: end.problem };
  } finally {
    await helpers.stop();
  }
}
