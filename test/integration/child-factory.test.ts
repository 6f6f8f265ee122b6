import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});

afterAll(async () => {
  await t.close();
});

const CHILD = `query($id: ID!) { child(id: $id) { id givenName familyName records { edges { node { kind version } } } } }`;

describe('the child factory the demo seed uses', () => {
  it('makes a child that its own YOS reads and another agency is refused', async () => {
    const child = aChild({
      records: [
        {
          id: crypto.randomUUID(),
          kind: RecordKind.INTERVENTION_PLAN,
          owner: 'derby-yos',
          author: 'dana.hughes',
          versions: [{ riskTargets: ['Peer association'], protectiveFactors: [], interventions: [] }],
        },
      ],
    });
    await t.app.get(DataSource).transaction((manager) => insertChild(manager, child));

    const own = await t.gql('dana.hughes', CHILD, { id: child.id });
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data?.child).toEqual({
      id: child.id,
      givenName: child.givenName,
      familyName: child.familyName,
      records: { edges: [{ node: { kind: 'INTERVENTION_PLAN', version: 1 } }] },
    });

    const other = await t.gql('olu.bakare', CHILD, { id: child.id });
    expect(codes(other)).toEqual(['NOT_FOUND']);
  });

  it('inserts nothing twice: a second insert of the same child leaves it as it was', async () => {
    const child = aChild();
    const dataSource = t.app.get(DataSource);
    await dataSource.transaction((manager) => insertChild(manager, child));
    await dataSource.transaction((manager) => insertChild(manager, child));
    const [row] = await dataSource.query<{ count: string }[]>('SELECT count(*)::text AS count FROM child WHERE id = $1', [
      child.id,
    ]);
    expect(row?.count).toBe('1');
  });
});
