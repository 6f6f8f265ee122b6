import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { syncCarePlans } from '../../examples/sync-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN, recordOf } from '../support/demo-ids.js';
import { delegatedToken } from '../support/delegation.js';

let t: TestApp;
let url: string;
beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen(0, '127.0.0.1');
  url = `${await t.app.getUrl()}/graphql`.replace('[::1]', '127.0.0.1');
});
afterAll(() => t.close());

describe('the reference change-feed client', () => {
  it('matches the child, links its reference and keeps CSC plans in a local file, resuming where it stopped', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tandem-sync-')), 'case-file.json');
    const options = {
      url,
      token: delegatedToken(t, 'dana.hughes', ['YOS_CASE_MANAGER']),
      file,
      child: { givenName: 'Jordan', familyName: 'Pryce', dateOfBirth: '2010-03-14', reference: 'CV-88231' },
    };
    const carePlan = recordOf(JORDAN, RecordKind.CARE_PLAN);
    const first = await syncCarePlans(options);
    expect(first.childId).toBe(JORDAN.id);
    expect(first.matchedBy).toBe('matchChild');
    expect(first.state.plans[carePlan]).toMatchObject({ kind: 'CARE_PLAN', version: 2, owningAgency: 'derby-csc' });
    expect(first.state.plans[carePlan]?.summary).toEqual(expect.any(String));

    const updated = await t.gql(
      'sam.okafor',
      `mutation($input: UpdateRecordInput!) { updateRecord(input: $input) { version } }`,
      {
        input: { recordId: carePlan, expectedVersion: 2, content: { carePlan: { summary: 'Plan after the review' } } },
      },
    );
    expect(updated.body.errors).toBeUndefined();

    const second = await syncCarePlans(options);
    expect(second.changesRead).toBe(1);
    expect(second.state.plans[carePlan]).toMatchObject({ version: 3, summary: 'Plan after the review' });
    expect((await syncCarePlans(options)).changesRead).toBe(0);
  });
});
