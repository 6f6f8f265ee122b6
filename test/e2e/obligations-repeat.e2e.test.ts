import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from 'src/common/clock/clock.js';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import { AllocationRole, InvolvementRole } from 'src/vocabulary/children.enums.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { ok, settle, sweepAt } from '../support/duties.js';

/**
 * The same trigger again while its duty runs (a second remand within one spell of custody) leaves
 * the duty's clock where it was: before, it cancelled the running duty ("superseded"), an overdue
 * visit with it, and opened it again from the later date, hiding the breach and putting the
 * review back.
 */
const clock = new ManualClock(new Date('2024-05-03T15:00:00Z'));
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { clock });
});
afterAll(() => t.close());

type Duty = { definitionId: string; state: string; dueAt: string };

async function duties(childId: string): Promise<Duty[]> {
  const data = ok(
    await t.gql<{ child: { obligations: Duty[] } }>(
      'tara.nolan',
      `query($id: ID!) { child(id: $id) { obligations { definitionId state dueAt } } }`,
      { id: childId },
    ),
  );
  return data.child.obligations.filter((duty) => duty.definitionId.endsWith('-REMAND'));
}

describe('a second remand in one spell of custody', () => {
  it('keeps the running duties, an overdue one overdue, due from the first', async () => {
    const child = aChild({
      dateOfBirth: '2009-02-11',
      involvements: [
        { agency: 'derby-yos', role: InvolvementRole.YOS_HOME, startDate: '2024-01-08' },
        { agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2024-01-08' },
      ],
      allocations: [
        { user: 'dana.hughes', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2024-01-08' },
        { user: 'tara.nolan', role: AllocationRole.TEAM_MANAGER, startDate: '2024-01-08' },
      ],
    });
    await t.app.get(DataSource).transaction((manager) => insertChild(manager, child));
    const remand = (effectiveDate: string) =>
      t.gql('dana.hughes', `mutation($input: RecordCourtOutcomeInput!) { recordCourtOutcome(input: $input) { id } }`, {
        input: {
          childId: child.id,
          outcome: 'REMANDED_YOUTH_DETENTION_ACCOMMODATION',
          effectiveDate,
          court: 'Derby Youth Court',
          placeOfDetention: 'wetherby-yoi',
        },
      });
    ok(await remand('2024-05-03'));
    await settle(t);
    const first = await duties(child.id);
    // The first visit was due within a week (Fri 10 May); nobody recorded it.
    await sweepAt(t, clock, '2024-05-20T09:00:00Z');
    const overdue = await duties(child.id);
    ok(await remand('2024-05-20'));
    await settle(t);
    const after = await duties(child.id);
    const of = (list: Duty[], id: string) => list.filter((duty) => duty.definitionId === id && duty.state !== 'CANCELLED');
    // The overdue first visit stays, as it was; past its window, the new remand opens its own.
    const visits = of(after, 'D31-REMAND');
    expect(of(overdue, 'D31-REMAND')[0]?.state).toMatch(/OVERDUE|ESCALATED/);
    expect(visits).toContainEqual(of(overdue, 'D31-REMAND')[0]);
    expect(visits.filter((duty) => !/OVERDUE|ESCALATED/.test(duty.state))).toHaveLength(1);
    // The review keeps the clock of the first remand, once.
    expect(of(after, 'D30-REMAND')).toEqual(of(first, 'D30-REMAND'));
    expect(after.filter((duty) => duty.state === 'CANCELLED')).toEqual([]);
  });
});

describe('the allocation duty (L2) at a remand', () => {
  it('does not open for a child CSC holds with a social worker allocated already', async () => {
    const child = aChild({
      dateOfBirth: '2009-02-11',
      involvements: [
        { agency: 'derby-yos', role: InvolvementRole.YOS_HOME, startDate: '2024-01-08' },
        { agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2020-01-08' },
      ],
      allocations: [
        { user: 'dana.hughes', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2024-01-08' },
        { user: 'sam.okafor', role: AllocationRole.SOCIAL_WORKER, startDate: '2020-01-08' },
        { user: 'tara.nolan', role: AllocationRole.TEAM_MANAGER, startDate: '2020-01-08' },
      ],
    });
    await t.app.get(DataSource).transaction((manager) => insertChild(manager, child));
    ok(
      await t.gql('dana.hughes', `mutation($input: RecordCourtOutcomeInput!) { recordCourtOutcome(input: $input) { id } }`, {
        input: {
          childId: child.id,
          outcome: 'REMANDED_YOUTH_DETENTION_ACCOMMODATION',
          effectiveDate: '2024-05-03',
          court: 'Derby Youth Court',
          placeOfDetention: 'wetherby-yoi',
        },
      }),
    );
    await settle(t);
    const data = ok(
      await t.gql<{ child: { obligations: { definitionId: string }[] } }>(
        'tara.nolan',
        `query($id: ID!) { child(id: $id) { obligations { definitionId } } }`,
        { id: child.id },
      ),
    );
    const ids = data.child.obligations.map((duty) => duty.definitionId);
    expect(ids).toContain('D30-REMAND');
    expect(ids).not.toContain('L2-ALLOCATE');
  });
});
