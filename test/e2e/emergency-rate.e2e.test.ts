import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';
import { KAYLA } from '../support/demo-ids.js';
import { emergency } from '../support/emergency.js';

/** Break-glass reaches a handful of children an hour per user (POLICY_BREAK_GLASS_MAX_CHILDREN_PER_HOUR). */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ POLICY_BREAK_GLASS_MAX_CHILDREN_PER_HOUR: '3' });
});
afterAll(() => t.close());

const NAME = `query($id: ID!) { child(id: $id) { givenName } }`;

describe('the hourly rate of break-glass reads', () => {
  it('refuses one child more than the rate, whether it exists, is in reach or not, and flags every refusal for the auditors', async () => {
    const children = [aChild(), aChild(), aChild(), aChild()];
    await t.app.get(DataSource).transaction(async (manager) => {
      for (const child of children) await insertChild(manager, child);
    });
    const [first, second, third, fourth] = children.map((child) => child.id);
    for (const id of [first, second, third]) {
      const read = await t.gql('derby.csct', NAME, { id }, emergency());
      expect(read.body.errors, id).toBeUndefined();
    }
    const over = await t.gql('derby.csct', NAME, { id: fourth }, emergency());
    expect(codes(over)).toEqual(['FORBIDDEN']);
    expect(over.body.data?.child ?? null).toBeNull();
    // The same answer for a child that does not exist and one out of reach: the refusal tells nothing of either.
    for (const id of [randomUUID(), KAYLA.id]) {
      const refused = await t.gql('derby.csct', NAME, { id }, emergency());
      expect(codes(refused), id).toEqual(['FORBIDDEN']);
      expect(refused.body.errors?.[0]?.message).toBe(over.body.errors?.[0]?.message);
    }
    // A child already read this hour can be read again.
    expect((await t.gql('derby.csct', NAME, { id: first }, emergency())).body.errors).toBeUndefined();
    const [grants] = await t.app
      .get(DataSource)
      .query<{ count: number }[]>(`SELECT count(*)::int AS count FROM break_glass_access WHERE subject = 'derby.csct'`);
    expect(grants?.count).toBe(3);

    const audit = { purpose: 'AUDIT' };
    const detected = await t.gql('audrey.fox', 'mutation { detectAnomalies }', {}, audit);
    expect(detected.body.errors).toBeUndefined();
    const flags = await t.gql<{ disclosureAnomalies: { edges: { node: { userSubject: string; childId: string | null } }[] } }>(
      'audrey.fox',
      '{ disclosureAnomalies(kind: BREAK_GLASS_REFUSED) { edges { node { userSubject childId } } } }',
      {},
      audit,
    );
    expect(flags.body.errors).toBeUndefined();
    const refused = (flags.body.data?.disclosureAnomalies.edges ?? []).filter((edge) => edge.node.userSubject === 'derby.csct');
    expect(refused.map((edge) => edge.node.childId)).toEqual(expect.arrayContaining([fourth, KAYLA.id, null]));
  });
});
