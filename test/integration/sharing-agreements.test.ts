import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from 'src/app.js';
import { AppConfig } from 'src/config/app-config.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { readAgreementFiles } from 'src/policy/agreements/agreement-files.js';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN, recordOf } from '../support/demo-ids.js';
import { testDatabase } from '../support/test-database.js';

function agreementsCopy(change?: (agreement: Record<string, unknown>) => void): string {
  const directory = mkdtempSync(join(tmpdir(), 'tandem-agreements-'));
  cpSync('policy/agreements', directory, { recursive: true });
  if (change) {
    const file = join(directory, 'derby-yos-csc.json');
    const agreement = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    change(agreement);
    writeFileSync(file, JSON.stringify(agreement, null, 2));
  }
  return directory;
}

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('sharing agreements', () => {
  it('are loaded from the reviewed files with an audit entry each, once', async () => {
    t = await startTestApp();
    const database = await testDatabase();
    const files = readAgreementFiles('policy/agreements');
    const changes = await database.dataSource.query<{ agreement_id: string; action: string; actor: string }[]>(
      'SELECT agreement_id, action, actor FROM sharing_agreement_change ORDER BY agreement_id',
    );
    expect(changes.map((change) => change.agreement_id)).toEqual(files.map((file) => file.agreement.id).sort());
    expect(changes.every((change) => change.action === 'LOADED' && change.actor.startsWith('start-up'))).toBe(true);
    // A second gateway on the same database loads nothing new.
    const again = await createApp(
      AppConfig.fromEnvironment({ NODE_ENV: 'test', DATA_DIR: mkdtempSync(join(tmpdir(), 'tandem-')) }),
      {
        database,
        logger: false,
      },
    );
    await again.close();
    const [count] = await database.dataSource.query<{ count: number }[]>(
      'SELECT count(*)::int AS count FROM sharing_agreement_change',
    );
    expect(count?.count).toBe(files.length);
  });

  it('refuse to start when a stored version was edited without a new version', async () => {
    t = await startTestApp();
    const edited = agreementsCopy((agreement) => {
      agreement.title = 'Quietly edited';
    });
    const config = AppConfig.fromEnvironment({
      NODE_ENV: 'test',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'tandem-')),
      POLICY_AGREEMENTS_DIR: edited,
    });
    await expect(createApp(config, { database: await testDatabase(), logger: false })).rejects.toThrow(
      /give the change a new version/,
    );
  });

  it('stop sharing when expired, and the denial says so', async () => {
    const expired = agreementsCopy((agreement) => {
      agreement.version = 2;
      agreement.reviewDate = '2025-12-31';
    });
    t = await startTestApp({ POLICY_AGREEMENTS_DIR: expired });
    const records = await t.gql<{ child: { records: { edges: { node: { kind: string } }[] } } }>(
      'dana.hughes',
      `{ child(id: "${JORDAN.id}") { records { edges { node { kind } } } } }`,
    );
    expect(records.body.data?.child.records.edges.map((edge) => edge.node.kind).sort()).toEqual(['ASSET_PLUS']);
    expect(codes(await t.gql('dana.hughes', `{ record(id: "${recordOf(JORDAN, RecordKind.CARE_PLAN)}") { id } }`))).toEqual([
      'NOT_FOUND',
    ]);
    const explanation = await t.gql<{
      explainAccess: {
        entries: {
          owningAgency: { code: string };
          decisions: { sensitivityClass: string; allowed: boolean; reason: string }[];
        }[];
      };
    }>(
      'dana.hughes',
      `{ explainAccess(childId: "${JORDAN.id}", purpose: CASE_MANAGEMENT) { entries { owningAgency { code } decisions { sensitivityClass allowed reason } } } }`,
    );
    const fromCsc = explanation.body.data?.explainAccess.entries.find((entry) => entry.owningAgency.code === 'derby-csc');
    const care = fromCsc?.decisions.find((decision) => decision.sensitivityClass === 'CARE_PLANNING');
    expect(care).toMatchObject({ allowed: false });
    expect(care?.reason).toMatch(/expired on 2025-12-31/);
  });
});
