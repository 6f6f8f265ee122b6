import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import { AllocationRole, InvolvementRole } from 'src/vocabulary/children.enums.js';
import { type GraphQLResponse, startTestApp, type TestApp } from '../support/test-app.js';
import { loggedReceipts } from '../support/logged-receipts.js';

/**
 * Review 13: the derived fields (lookedAfterStatus, lookedAfterHistory, leadProfessional) are
 * decided as if owned by whichever agency recorded the latest legal-status episode, so they carry
 * the other agency's legal status to callers whose policy withholds it.
 */
let t: TestApp;
let db: DataSource;
beforeAll(async () => {
  t = await startTestApp();
  db = t.app.get(DataSource);
});
afterAll(() => t.close());

const CARE = `mutation($input: RecordLegalStatusInput!) { recordLegalStatus(input: $input) { id } }`;
const COURT = `mutation($input: RecordCourtOutcomeInput!) { recordCourtOutcome(input: $input) { id } }`;

function ok<T>(response: GraphQLResponse<T>): T {
  expect(response.body.errors).toBeUndefined();
  if (!response.body.data) throw new Error('no data');
  return response.body.data;
}

async function derbyChild(extra: { police?: boolean; priya?: boolean } = {}): Promise<string> {
  const child = aChild({
    involvements: [
      { agency: 'derby-yos', role: InvolvementRole.YOS_HOME, startDate: '2026-01-05' },
      { agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2026-01-05' },
      ...(extra.police ? [{ agency: 'derbyshire-police' as const, role: InvolvementRole.POLICE, startDate: '2026-01-05' }] : []),
    ],
    allocations: [
      { user: 'dana.hughes', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2026-01-05' },
      { user: 'sam.okafor', role: AllocationRole.SOCIAL_WORKER, startDate: '2026-01-05' },
      ...(extra.priya ? [{ user: 'priya.shah', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2026-01-05' }] : []),
    ],
  });
  await db.transaction((manager) => insertChild(manager, child));
  return child.id;
}

async function careBasis(childId: string, basis: string, startDate: string) {
  ok(await t.gql('sam.okafor', CARE, { input: { childId, basis, startDate } }));
}

async function bailed(childId: string, effectiveDate: string) {
  ok(await t.gql('dana.hughes', COURT, { input: { childId, outcome: 'BAILED', effectiveDate, court: 'Derby Youth Court' } }));
}

async function remanded(childId: string, effectiveDate: string) {
  ok(
    await t.gql('dana.hughes', COURT, {
      input: { childId, outcome: 'REMANDED_YOUTH_DETENTION_ACCOMMODATION', effectiveDate, court: 'Derby Youth Court' },
    }),
  );
}

describe('derived fields leave only as far as every contributing agency’s legal status may', () => {
  it('a YOS parenting worker (no clause for CSC legal status) cannot read CSC’s s47 basis through leadProfessional.inputs', async () => {
    const id = await derbyChild({ priya: true });
    await careBasis(id, 'S47_CHILD_PROTECTION', '2026-03-02');
    await bailed(id, '2026-04-01');
    const data = ok(
      await t.gql<{
        child: {
          legalStatusHistory: { basis: string | null }[];
          leadProfessional: { rule: string | null; inputs: { careBasis: string | null; childProtection: boolean | null } };
        };
      }>(
        'priya.shah',
        `query($id: ID!) { child(id: $id) {
          legalStatusHistory { basis }
          leadProfessional { rule inputs { careBasis childProtection } }
        } }`,
        { id },
      ),
    );
    // Precondition: her policy withholds CSC's episode from her (no clause names her role); the YOS's bail she sees.
    expect(data.child.legalStatusHistory.map((episode) => episode.basis)).toEqual(['BAIL', null]);
    // Defect: the same basis leaves through the derived inputs, decided as the YOS's own (the YOS recorded the bail).
    expect(data.child.leadProfessional.inputs.careBasis).toBeNull();
    expect(data.child.leadProfessional.inputs.childProtection).toBeNull();
  });

  it('a YOS parenting worker cannot read CSC’s s20 accommodation through lookedAfterStatus, even after the YOS records later', async () => {
    const id = await derbyChild({ priya: true });
    await careBasis(id, 'S20_ACCOMMODATED', '2026-03-02');
    await remanded(id, '2026-04-01');
    const data = ok(
      await t.gql<{
        child: {
          legalStatusHistory: { basis: string | null }[];
          lookedAfterStatus: { lookedAfter: boolean | null; route: string | null } | null;
        };
      }>(
        'priya.shah',
        `query($id: ID!) { child(id: $id) { legalStatusHistory { basis } lookedAfterStatus { lookedAfter route } } }`,
        {
          id,
        },
      ),
    );
    expect(data.child.legalStatusHistory.map((episode) => episode.basis)).toEqual(['REMAND_YOUTH_DETENTION_ACCOMMODATION', null]);
    expect(data.child.lookedAfterStatus?.route ?? null).toBeNull();
  });

  it('police (no LEGAL_STATUS under any clause) cannot learn of an open child-protection basis from leadProfessional.rule', async () => {
    const id = await derbyChild({ police: true });
    await careBasis(id, 'S47_CHILD_PROTECTION', '2026-03-02');
    await bailed(id, '2026-04-01');
    const data = ok(
      await t.gql<{
        child: {
          legalStatusHistory: { basis: string | null }[];
          leadProfessional: {
            rule: string | null;
            citation: string | null;
            lead: string | null;
            inputs: { childProtection: boolean | null };
          };
        };
      }>(
        'ds.khan',
        `query($id: ID!) { child(id: $id) {
          legalStatusHistory { basis }
          leadProfessional { rule citation lead inputs { childProtection } }
        } }`,
        { id },
        { purpose: 'SAFEGUARDING' },
      ),
    );
    // Precondition: every legal-status basis is withheld from the police.
    expect(data.child.legalStatusHistory.map((episode) => episode.basis)).toEqual([null, null]);
    expect(data.child.leadProfessional.inputs.childProtection).toBeNull();
    // Defect: L11 is "child protection: always a CSC social worker" — a LEGAL_STATUS fact released as CASE_ADMINISTRATION.
    expect(data.child.leadProfessional.rule).not.toBe('L11');
  });

  it('gives a derived field a receipt of its own that names what left under which basis and what was withheld', async () => {
    const id = await derbyChild({ police: true });
    await careBasis(id, 'S47_CHILD_PROTECTION', '2026-03-02');
    await bailed(id, '2026-04-01');
    const response = await t.gql<{
      child: { leadProfessional: { rule: string | null; inputs: { childProtection: boolean | null } } };
    }>(
      'ds.khan',
      `query DerivedReceipt($id: ID!) { child(id: $id) { leadProfessional { rule inputs { childProtection } } } }`,
      { id },
      { purpose: 'SAFEGUARDING' },
    );
    const data = ok(response);
    expect(data.child.leadProfessional.inputs.childProtection).toBeNull();
    const receipts = (await loggedReceipts(db, { childId: id, entryKind: 'DISCLOSURE' }))
      .map((row) => row.body)
      .filter((receipt) => receipt.operation.name === 'DerivedReceipt');
    // The lead professional is a subject of its own: its receipt names its paths, the child's none of them.
    const lead = receipts.find((receipt) => receipt.record?.kind === 'LEAD_PROFESSIONAL');
    const child = receipts.find((receipt) => receipt.record?.kind === 'CHILD');
    expect(child?.disclosed.filter((path) => path.startsWith('leadProfessional')) ?? []).toEqual([]);
    // Police hold no LEGAL_STATUS: the rule and the input are both withheld, and nothing of them is listed as disclosed.
    expect(lead?.withheld.map((item) => item.field).sort()).toEqual(['inputs.childProtection', 'rule']);
    expect(lead?.disclosed ?? []).toEqual([]);
    expect(data.child.leadProfessional.rule).toBeNull();
  });

  it('a CSC head of service (no clause for YOS legal status) cannot read the remand through lookedAfterHistory, even after CSC records later', async () => {
    const id = await derbyChild();
    await remanded(id, '2026-03-02');
    await careBasis(id, 'S17_CHILD_IN_NEED', '2026-04-01');
    const data = ok(
      await t.gql<{
        child: {
          legalStatusHistory: { basis: string | null }[];
          lookedAfterHistory: { trigger: string | null; route: string | null; rule: string | null }[];
        };
      }>(
        'helen.grant',
        `query($id: ID!) { child(id: $id) { legalStatusHistory { basis } lookedAfterHistory { trigger route rule } } }`,
        { id },
      ),
    );
    expect(data.child.legalStatusHistory.map((episode) => episode.basis)).toEqual(['S17_CHILD_IN_NEED', null]);
    expect(data.child.lookedAfterHistory.map((step) => step.trigger)).not.toContain('REMAND_YOUTH_DETENTION_ACCOMMODATION');
  });

  it('the police case system’s change feed does not name LOOKED_AFTER_STATUS_CHANGED for a child whose legal status it may not see', async () => {
    const id = await derbyChild({ police: true });
    await careBasis(id, 'S20_ACCOMMODATED', '2026-03-02');
    const token = t.token('ds.khan', {
      sub: 'derbyshire-police-integration',
      name: 'Police records integration',
      roles: ['SYSTEM'],
    });
    const response = await request(t.app.getHttpServer())
      .post('/graphql')
      .set('authorization', `Bearer ${token}`)
      .set('x-purpose-of-use', 'CASE_MANAGEMENT')
      .send({
        query: `{ changes(after: null, first: 100) { edges { node { eventType child { id } legalStatus { basis } } } } }`,
      });
    const body = response.body as {
      errors?: unknown;
      data: {
        changes: {
          edges: { node: { eventType: string; child: { id: string }; legalStatus: { basis: string | null } | null } }[];
        };
      };
    };
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    const mine = body.data.changes.edges.map((edge) => edge.node).filter((node) => node.child.id === id);
    // Precondition: the legal status itself is withheld from the police.
    expect(mine.filter((node) => node.legalStatus).map((node) => node.legalStatus?.basis)).toEqual([null]);
    // Defect: the event type itself says the child's looked-after status changed (a LEGAL_STATUS fact).
    expect(mine.map((node) => node.eventType)).not.toContain('LOOKED_AFTER_STATUS_CHANGED');
  });
});
