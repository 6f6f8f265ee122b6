import { describe, expect, it } from 'vitest';
import { disclosedPart } from 'src/disclosure/receipt-parts.js';
import type { Disclosure } from 'src/policy/disclosed.js';
import type { Locating } from 'src/policy/contact-restriction.js';
import { type ClassDecision, project, type Withheld } from 'src/policy/projection.js';
import { Sensitive, SensitiveGroup } from 'src/vocabulary/sensitivity/sensitive-field.decorator.js';
import { SensitivityClass } from 'src/vocabulary/sensitivity/sensitivity-class.js';

// The projection keeps each type's steps per path prefix, and a receipt's classes per shared list of
// paths: what they keep must follow the labels and the list positions exactly, and nothing kept may
// leak from one projection or receipt into another.

const label = (sensitivity: SensitivityClass) => Sensitive(sensitivity, () => String, { description: 'a field' });

class Action {}
label(SensitivityClass.CASE_ADMINISTRATION)(Action.prototype, 'title');
label(SensitivityClass.HEALTH)(Action.prototype, 'note');

class Plan {}
Sensitive(SensitivityClass.IDENTITY_BASIC, () => String, { description: 'an id', required: true })(Plan.prototype, 'id');
label(SensitivityClass.CASE_ADMINISTRATION)(Plan.prototype, 'summary');
label(SensitivityClass.HEALTH)(Plan.prototype, 'health');
SensitiveGroup(() => Action, { description: 'actions', list: true })(Plan.prototype, 'actions');
SensitiveGroup(() => Action, { description: 'the next action' })(Plan.prototype, 'next');

const refuseHealth = (sensitivity: SensitivityClass): ClassDecision =>
  sensitivity === SensitivityClass.HEALTH
    ? { allowed: false, rule: 'DEFAULT-DENY', reason: 'no grant for health' }
    : { allowed: true, rule: 'R1', reason: 'granted' };

function projected(value: object): { value: Record<string, unknown>; withheld: string[] } {
  const withheld: Withheld[] = [];
  const result = project(Plan, value, refuseHealth, withheld) as Record<string, unknown>;
  return { value: result, withheld: withheld.map((item) => item.field) };
}

describe('project', () => {
  it('withholds each refused field at its exact path, list positions included, the same way every time', () => {
    const plan = {
      id: 'p1',
      summary: 'weekly',
      health: 'asthma',
      actions: [
        { title: 'a', note: 'x' },
        { title: 'b', note: 'y' },
      ],
      next: null,
    };
    const expected = {
      value: {
        id: 'p1',
        summary: 'weekly',
        health: null,
        actions: [
          { title: 'a', note: null },
          { title: 'b', note: null },
        ],
        next: null,
      },
      withheld: ['health', 'actions.0.note', 'actions.1.note', 'next.note'],
    };
    expect(projected(plan)).toEqual(expected);
    expect(projected(plan)).toEqual(expected);
    // A longer list the second time: positions past the first list's are named as well.
    const longer = projected({ ...plan, actions: [...plan.actions, { title: 'c', note: 'z' }] });
    expect(longer.withheld).toEqual(['health', 'actions.0.note', 'actions.1.note', 'actions.2.note', 'next.note']);
    // The value given is not changed.
    expect(plan.health).toBe('asthma');
    expect(plan.actions[0]?.note).toBe('x');
  });

  it('follows a label registered after the type was projected', () => {
    class Late {}
    label(SensitivityClass.CASE_ADMINISTRATION)(Late.prototype, 'summary');
    const withheld: Withheld[] = [];
    expect(project(Late, { summary: 's', diagnosis: 'd' }, refuseHealth, withheld)).toEqual({ summary: 's', diagnosis: 'd' });
    label(SensitivityClass.HEALTH)(Late.prototype, 'diagnosis');
    const after: Withheld[] = [];
    expect(project(Late, { summary: 's', diagnosis: 'd' }, refuseHealth, after)).toEqual({ summary: 's', diagnosis: null });
    expect(after.map((item) => item.field)).toEqual(['diagnosis']);
  });
});

class EarlierMove {}
label(SensitivityClass.CASE_ADMINISTRATION)(EarlierMove.prototype, 'kind');
Sensitive(SensitivityClass.CASE_ADMINISTRATION, () => String, { description: 'where to', locates: true })(
  EarlierMove.prototype,
  'area',
);

class Move {}
label(SensitivityClass.CASE_ADMINISTRATION)(Move.prototype, 'kind');
Sensitive(SensitivityClass.CASE_ADMINISTRATION, () => String, { description: 'where to', locates: true })(Move.prototype, 'area');
SensitiveGroup(() => EarlierMove, { description: 'earlier moves', list: true })(Move.prototype, 'earlier');
SensitiveGroup(() => EarlierMove, { description: 'the next move' })(Move.prototype, 'next');

describe('project with a contact restriction (C10)', () => {
  const c10: Locating = {
    refusal: { allowed: false, rule: 'C10', reason: 'restricted' },
    agencies: new Set(),
    ownerLocates: false,
  };
  const move = { kind: 'FOSTER', area: 'Leeds', earlier: [{ kind: 'HOME', area: 'Derby' }], next: null };

  it('withholds every field that locates the child, nested ones included, without asking its class', () => {
    const asked: SensitivityClass[] = [];
    const decide = (sensitivity: SensitivityClass): ClassDecision => {
      asked.push(sensitivity);
      return { allowed: true, rule: 'R1', reason: 'granted' };
    };
    const withheld: Withheld[] = [];
    expect(project(Move, move, decide, withheld, '', c10)).toEqual({
      kind: 'FOSTER',
      area: null,
      earlier: [{ kind: 'HOME', area: null }],
      next: null,
    });
    // A group that holds nothing still names what would be withheld in it.
    expect(withheld.map(({ field, rule }) => [field, rule])).toEqual([
      ['area', 'C10'],
      ['earlier.0.area', 'C10'],
      ['next.area', 'C10'],
    ]);
    // Only the fields shown asked for their class (so only they make it a basis of the receipt).
    expect(asked).toEqual([
      SensitivityClass.CASE_ADMINISTRATION,
      SensitivityClass.CASE_ADMINISTRATION,
      SensitivityClass.CASE_ADMINISTRATION,
    ]);
  });

  it('leaves them to their class when the caller may know where the child is', () => {
    const withheld: Withheld[] = [];
    expect(project(Move, move, refuseHealth, withheld)).toEqual(move);
    expect(withheld).toEqual([]);
  });
});

describe('disclosedPart with a shared list of paths', () => {
  const identity = { rule: 'CHILD-READ', lawfulBasis: 'Children Act 1989 s17', agreement: null };
  const disclosureOf = (model: Function, grants: Disclosure['grants']): Disclosure => ({
    kind: 'CARE_PLAN',
    id: 'r1',
    childId: 'c1',
    version: 1,
    owningAgencyId: 'a1',
    model,
    grants,
    child: { identity, breakGlass: false, afterAllocationEnded: false },
  });

  it("gives each receipt its own copy, and each model's classes for the same list", () => {
    const shared = Object.freeze(['health', 'summary']);
    const health = { rule: 'R-HEALTH', lawfulBasis: 'consent', agreement: null };
    const first = disclosedPart(disclosureOf(Plan, new Map([[SensitivityClass.HEALTH, health]])), shared, []);
    expect(first.disclosed).toEqual(['health', 'summary']);
    expect(first.disclosed).not.toBe(shared);
    expect(first.bases.map((basis) => [basis.class, basis.rule])).toEqual([
      [SensitivityClass.CASE_ADMINISTRATION, 'CHILD-READ'],
      [SensitivityClass.HEALTH, 'R-HEALTH'],
    ]);
    // The shared list is frozen; the receipt's copy may still be written (canonical encoding reads it as its own).
    expect(Object.isFrozen(first.disclosed)).toBe(false);

    // Same list, another model whose labels differ: its own classes, not the first model's.
    class OnlySummary {}
    label(SensitivityClass.EDUCATION)(OnlySummary.prototype, 'summary');
    const second = disclosedPart(disclosureOf(OnlySummary, new Map()), shared, []);
    expect(second.bases.map((basis) => basis.class)).toEqual([SensitivityClass.EDUCATION]);
    // And the first model again, with other grants: the grants are read every time.
    const third = disclosedPart(disclosureOf(Plan, new Map()), shared, []);
    expect(third.bases.map((basis) => [basis.class, basis.rule])).toEqual([
      [SensitivityClass.CASE_ADMINISTRATION, 'CHILD-READ'],
      [SensitivityClass.HEALTH, 'CHILD-READ'],
    ]);
  });
});
