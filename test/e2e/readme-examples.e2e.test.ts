import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The README's "Try it" examples, each run as its own user under its own purpose, print what the
 * README shows (the worklist has a test of its own: demo-worklist.e2e.test.ts).
 */
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const TRY_IT = README.slice(README.indexOf('## Try it'), README.indexOf('### A social worker’s worklist'));

/** The query of the first curl after `marker` in "Try it", as its `-d '…'` sends it. */
function queryAfter(marker: string): string {
  const from = TRY_IT.indexOf(marker);
  if (from < 0) throw new Error(`README.md's "Try it" has no ${marker}`);
  const payload = /-d '(\{"query":.*?\})'/.exec(TRY_IT.slice(from))?.[1];
  if (!payload) throw new Error(`no curl after ${marker}`);
  return (JSON.parse(payload) as { query: string }).query;
}

/** The JSON printed as `# …` comment lines after `marker`, joined. */
function printedAfter(marker: string): unknown {
  const from = TRY_IT.indexOf(marker);
  const lines = TRY_IT.slice(from).split('\n');
  const start = lines.findIndex((line) => line.startsWith('# {'));
  const printed: string[] = [];
  for (const line of lines.slice(start)) {
    if (!line.startsWith('#')) break;
    printed.push(line.replace(/^# ?/, ''));
  }
  return JSON.parse(printed.join(''));
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe("the README's examples", () => {
  it('reads Jordan’s care plan by the Derby YOS reference, as printed', async () => {
    const query = queryAfter('TOKEN=$(npm run -s token -- dana.hughes)');
    const printed = /```json\n([\s\S]*?)\n```/.exec(TRY_IT)?.[1];
    if (!printed) throw new Error('no printed JSON');
    const response = await t.gql('dana.hughes', query, {}, { purpose: 'CASE_MANAGEMENT' });
    expect(response.body).toEqual(JSON.parse(printed));
  });

  it('matches Jordan for Islington’s front door, as printed', async () => {
    const marker = 'TOKEN=$(npm run -s token -- islington.icat)';
    const response = await t.gql('islington.icat', queryAfter(marker), {}, { purpose: 'SAFEGUARDING' });
    expect(response.body).toEqual(printedAfter(marker));
  });

  it('says Jordan stays looked after and who leads, as printed', async () => {
    const marker = 'he stays looked\nafter (T4)';
    const response = await t.gql('dana.hughes', queryAfter(marker), {}, { purpose: 'CASE_MANAGEMENT' });
    expect(response.body).toEqual(printedAfter(marker));
  });
});
