import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import { Role } from 'src/auth/roles.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * An allocation is to a practitioner of an agency: a token of another agency that carries the same
 * subject (another identity provider's user, or a subject an agency pre-allocated) is not allocated,
 * and sees the child only by its own agency's relationships.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const READ = `query($id: ID!) { child(id: $id) { givenName } }`;

async function readAs(token: string, childId: string) {
  const response = await request(t.app.getHttpServer())
    .post('/graphql')
    .set('content-type', 'application/json')
    .set('authorization', `Bearer ${token}`)
    .set('x-purpose-of-use', 'CASE_MANAGEMENT')
    .send({ query: READ, variables: { id: childId } });
  return response.body as { data?: { child: { givenName: string } | null }; errors?: { extensions: { code: string } }[] };
}

describe('an allocation belongs to the practitioner at their agency', () => {
  it("does not reach a token of another agency with the allocated practitioner's subject", async () => {
    // Known only to Derby YOS, with Dana (a Derby YOS practitioner) allocated.
    const child = aChild();
    await t.app.get(DataSource).transaction((manager) => insertChild(manager, child));
    const dana = await readAs(t.token('dana.hughes'), child.id);
    expect(dana.data?.child?.givenName).toBe(child.givenName);
    // A Derby CSC social worker's token whose subject is also "dana.hughes": Derby CSC is not
    // involved, so only the allocation could connect it, and that allocation is not theirs.
    const sameSubject = t.token('dana.hughes', {
      agency: 'derby-csc',
      case_system: 'derby-csc-liquidlogic',
      roles: [Role.CSC_SOCIAL_WORKER],
    });
    const other = await readAs(sameSubject, child.id);
    expect(other.errors?.map((error) => error.extensions.code)).toEqual(['NOT_FOUND']);
    expect(other.data?.child ?? null).toBeNull();
    // Nor does a list of children decided by the policy's row filter show it to them.
    const list = await request(t.app.getHttpServer())
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', `Bearer ${sameSubject}`)
      .set('x-purpose-of-use', 'CASE_MANAGEMENT')
      .send({ query: `{ children(first: 100) { edges { node { id } } } }` });
    const listed = (list.body as { data?: { children: { edges: { node: { id: string } }[] } } }).data?.children.edges;
    expect(listed?.map((edge) => edge.node.id)).not.toContain(child.id);
    const danaList = await request(t.app.getHttpServer())
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', `Bearer ${t.token('dana.hughes')}`)
      .set('x-purpose-of-use', 'CASE_MANAGEMENT')
      .send({ query: `{ children(first: 100) { edges { node { id } } } }` });
    const danas = (danaList.body as { data?: { children: { edges: { node: { id: string } }[] } } }).data?.children.edges;
    expect(danas?.map((edge) => edge.node.id)).toContain(child.id);
  });
});
