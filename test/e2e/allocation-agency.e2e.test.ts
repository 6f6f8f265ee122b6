import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import { Role } from 'src/auth/roles.js';
import { AllocationRole, InvolvementRole, LegalStatusBasis } from 'src/vocabulary/children.enums.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';

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

describe("writes that ask whether the caller is allocated (C16's signature, a visit's role)", () => {
  // Looked after, with a social worker allocated at Islington CSC (Ben) and one at Derby CSC (Sam);
  // Derby CSC's front door reaches Derby YOS's plan by involvement (derby-yos-csc §2.5), not allocation.
  const child = aChild({
    involvements: [
      { agency: 'islington-csc', role: InvolvementRole.CSC, startDate: '2024-01-08' },
      { agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2026-08-04' },
      { agency: 'derby-yos', role: InvolvementRole.YOS_HOME, startDate: '2026-01-05' },
    ],
    allocations: [
      { user: 'ben.carter', role: AllocationRole.SOCIAL_WORKER, startDate: '2024-01-08' },
      { user: 'sam.okafor', role: AllocationRole.SOCIAL_WORKER, startDate: '2026-08-04' },
      { user: 'dana.hughes', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2026-01-05' },
    ],
    legalStatus: [
      { basis: LegalStatusBasis.S31_CARE_ORDER, startDate: '2024-01-08', sourceEvent: 'Final care order', by: 'ben.carter' },
    ],
    records: [
      {
        id: randomUUID(),
        kind: RecordKind.INTERVENTION_PLAN,
        owner: 'derby-yos',
        author: 'dana.hughes',
        versions: [{ riskTargets: ['Peer association'], protectiveFactors: ['Engaged in education'], interventions: [] }],
      },
    ],
  });
  const plan = child.records[0]?.id ?? '';
  // A Derby CSC token (a social worker on the front door) with Ben's subject: someone else, not allocated.
  const sameSubject = () =>
    t.token('ben.carter', {
      agency: 'derby-csc',
      case_system: 'derby-csc-liquidlogic',
      roles: [Role.CSC_SOCIAL_WORKER, Role.CSC_FRONT_DOOR],
    });

  beforeAll(async () => {
    await t.app.get(DataSource).transaction((manager) => insertChild(manager, child));
  });

  async function as(token: string, query: string, variables: Record<string, unknown> = {}) {
    return request(t.app.getHttpServer())
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', `Bearer ${token}`)
      .set('x-purpose-of-use', 'CASE_MANAGEMENT')
      .send({ query, variables });
  }

  it('C16: only the allocated social worker signs as parent/carer, not a same-subject token of another agency', async () => {
    const read = await as(sameSubject(), `query($id: ID!) { record(id: $id) { id latestVersion } }`, { id: plan });
    expect((read.body as { data?: { record: { id: string } | null } }).data?.record?.id).toBe(plan);
    const sign = `mutation($id: ID!) { signInterventionPlanAsParentCarer(input: { recordId: $id, expectedVersion: 1 }) { version } }`;
    const refused = await as(sameSubject(), sign, { id: plan });
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    expect((refused.body as { errors: { message: string }[] }).errors[0]?.message).toMatch(/^C16/);
    // Derby CSC's own allocated social worker signs (Ben's allocation is at Islington, whose CSC
    // the plan's agreement does not reach).
    const signed = await as(t.token('sam.okafor'), sign, { id: plan });
    expect((signed.body as { data?: { signInterventionPlanAsParentCarer: { version: number } } }).data).toEqual({
      signInterventionPlanAsParentCarer: { version: 2 },
    });
  });

  it("a visit is recorded only by the allocated worker, in their allocation's role", async () => {
    const visit = `mutation($input: RecordVisitInput!) { recordVisit(input: $input) { visitors { role lead agency { code } } } }`;
    const input = {
      childId: child.id,
      kind: 'STATUTORY_LOOKED_AFTER',
      visitDate: '2026-11-20',
      seenAlone: true,
      location: 'Home',
    };
    expect(codes(await as(sameSubject(), visit, { input }))).toEqual(['FORBIDDEN']);
    const recorded = await as(t.token('ben.carter'), visit, { input });
    expect((recorded.body as { data?: { recordVisit: { visitors: unknown[] } } }).data?.recordVisit.visitors).toEqual([
      { role: AllocationRole.SOCIAL_WORKER, lead: true, agency: { code: 'islington-csc' } },
    ]);
  });
});
