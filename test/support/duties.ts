import { expect } from 'vitest';
import type { ManualClock } from 'src/common/clock/clock.js';
import { ObligationProcessor } from 'src/obligations/obligation-processor.service.js';
import { ObligationSweeper } from 'src/obligations/obligation-sweeper.service.js';
import type { GraphQLResponse, TestApp } from './test-app.js';

/** The data of a GraphQL response that must have no errors. */
export function ok<T>(response: GraphQLResponse<T>): T {
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  if (!response.body.data) throw new Error('no data');
  return response.body.data;
}

/** Lets the duties engine read every committed event (the test's stand-in for its background loop). */
export async function settle(t: TestApp): Promise<void> {
  const processor = t.app.get(ObligationProcessor);
  while ((await processor.processBatch()) > 0);
}

/** Lets the sweep run until nothing more moves. */
export async function sweep(t: TestApp): Promise<void> {
  const sweeper = t.app.get(ObligationSweeper);
  while ((await sweeper.sweep()) > 0);
}

/** Moves the clock and lets the sweep run until nothing more moves. */
export async function sweepAt(t: TestApp, clock: ManualClock, instant: string): Promise<void> {
  clock.set(new Date(instant));
  await sweep(t);
}
