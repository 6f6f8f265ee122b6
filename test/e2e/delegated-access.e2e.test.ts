import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { SealerService } from 'src/disclosure/chain/sealer.service.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN, recordOf } from '../support/demo-ids.js';
import { delegatedToken, gqlAs, receiptsOf, YOS_CLIENT } from '../support/delegation.js';

let t: TestApp;
let db: DataSource;
beforeAll(async () => {
  t = await startTestApp();
  db = t.app.get(DataSource);
});
afterAll(() => t.close());

const CARE_PLAN = `query($id: ID!) { record(id: $id) { kind version ... on CarePlan { content { summary } } withheld { field } } }`;
type PlanRead = { record: { kind: string; content: { summary: string | null } | null; withheld: { field: string }[] } };

describe('delegated access (RFC 8693: sub is the person, act.sub the case system)', () => {
  it('a delegated token reads a care plan as its practitioner would; the receipt names system and person', async () => {
    const id = recordOf(JORDAN, RecordKind.CARE_PLAN);
    const asDana = await gqlAs<PlanRead>(t, t.token('dana.hughes'), CARE_PLAN, { id });
    const delegated = await gqlAs<PlanRead>(t, delegatedToken(t, 'dana.hughes', ['YOS_CASE_MANAGER']), CARE_PLAN, { id });
    expect(delegated.body.errors).toBeUndefined();
    expect(delegated.body.data).toEqual(asDana.body.data);
    expect(delegated.body.data?.record.content?.summary).toEqual(expect.any(String));

    const [receipt] = await receiptsOf(db, delegated.correlationId);
    expect(receipt?.user).toEqual({ subject: 'dana.hughes', name: 'Dana Hughes', roles: ['YOS_CASE_MANAGER'] });
    expect(receipt?.actor).toEqual({ subject: YOS_CLIENT });
    expect(receipt?.recipient.caseSystemCode).toBe('derby-yos-childview');
    // A receipt made without delegation has no actor part at all, so its bytes are as before.
    const [plain] = await receiptsOf(db, asDana.correlationId);
    expect(plain && 'actor' in plain).toBe(false);

    // The auditors' API shows both, and the sealed log still verifies.
    await t.app.get(SealerService).sealAll();
    type Entries = {
      disclosures: { edges: { node: { correlationId: string; recipient: { subject: string; actor: string | null } } }[] };
    };
    const audit = await t.gql<Entries>(
      'audrey.fox',
      `query($id: ID!) { disclosures(filter: { userSubject: "dana.hughes", recordId: $id }, first: 100) { edges { node { correlationId recipient { subject actor } } } } }`,
      { id },
      { purpose: 'AUDIT' },
    );
    expect(audit.body.errors).toBeUndefined();
    const entries = audit.body.data?.disclosures.edges.map((edge) => edge.node) ?? [];
    expect(entries.find((entry) => entry.correlationId === delegated.correlationId)?.recipient).toEqual({
      subject: 'dana.hughes',
      actor: YOS_CLIENT,
    });
    expect(entries.find((entry) => entry.correlationId === asDana.correlationId)?.recipient.actor).toBeNull();
  });

  it('refuses a system acting for a person of another agency', async () => {
    const response = await gqlAs(t, delegatedToken(t, 'sam.okafor', ['YOS_CASE_MANAGER']), '{ me { subject } }');
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a system acting for a person the directory does not know', async () => {
    const response = await gqlAs(t, delegatedToken(t, 'nobody.known', ['YOS_CASE_MANAGER']), '{ me { subject } }');
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a delegated token that claims SYSTEM, or roles that do not fit the agency', async () => {
    for (const roles of [['SYSTEM'], ['CSC_SOCIAL_WORKER']]) {
      const response = await gqlAs(t, delegatedToken(t, 'dana.hughes', roles), '{ me { subject } }');
      expect(codes(response)).toEqual(['UNAUTHENTICATED']);
    }
    const malformed = await gqlAs(t, delegatedToken(t, 'dana.hughes', ['YOS_CASE_MANAGER'], { act: 'x' }), '{ me { subject } }');
    expect(codes(malformed)).toEqual(['UNAUTHENTICATED']);
  });

  it('a plain SYSTEM token still cannot read plan content', async () => {
    const response = await gqlAs<PlanRead>(t, t.token('derby-yos-integration'), CARE_PLAN, {
      id: recordOf(JORDAN, RecordKind.CARE_PLAN),
    });
    expect(response.body.data?.record.content?.summary ?? null).toBeNull();
    const [receipt] = await receiptsOf(db, response.correlationId);
    expect(receipt && 'actor' in receipt).toBe(false);
  });

  it('a plain SYSTEM token of the owning agency reads its own plan’s content, as the owner does', async () => {
    const response = await gqlAs<PlanRead>(t, t.token('derby-csc-integration'), CARE_PLAN, {
      id: recordOf(JORDAN, RecordKind.CARE_PLAN),
    });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.record.content?.summary).toEqual(expect.any(String));
  });
});
