import { describe, expect, it } from 'vitest';
import { locatingFor, namesAgency, type Locating } from 'src/policy/contact-restriction.js';
import { type ClassDecision, project, type Withheld } from 'src/policy/projection.js';
import { Sensitive, SensitiveGroup } from 'src/vocabulary/sensitivity/sensitive-field.decorator.js';
import { SensitivityClass } from 'src/vocabulary/sensitivity/sensitivity-class.js';

// C10 beyond labelled fields: a field that names an agency where the child is (a host YOS, the
// establishment) tells the restricted party where the child is, whatever its class.

const label = (sensitivity: SensitivityClass) => Sensitive(sensitivity, () => String, { description: 'a field' });

class Move {}
label(SensitivityClass.CASE_ADMINISTRATION)(Move.prototype, 'kind');
Sensitive(SensitivityClass.CASE_ADMINISTRATION, () => String, { description: 'where to', locates: true })(Move.prototype, 'area');

class Agencyish {
  constructor(
    readonly id: string,
    readonly name: string,
  ) {}
}
class Visit {}
label(SensitivityClass.CASE_ADMINISTRATION)(Visit.prototype, 'kind');
Sensitive(SensitivityClass.CASE_ADMINISTRATION, () => Agencyish, { description: 'recorded by' })(Visit.prototype, 'recordedBy');
Sensitive(SensitivityClass.CASE_ADMINISTRATION, () => String, { description: 'history', locates: 'owner' })(
  Visit.prototype,
  'history',
);
SensitiveGroup(() => Move, { description: 'moves', list: true })(Visit.prototype, 'moves');

describe('project with a contact restriction (C10) and agencies where the child is', () => {
  const HOST = 'a-host';
  const allow = (): ClassDecision => ({ allowed: true, rule: 'R1', reason: 'granted' });
  const locating = (ownerLocates: boolean): Locating => ({
    refusal: { allowed: false, rule: 'C10', reason: 'restricted' },
    agencies: new Set([HOST]),
    ownerLocates,
  });

  it('withholds a field that names such an agency, at any depth or by its id alone, and no other', () => {
    const withheld: Withheld[] = [];
    const visit = {
      kind: 'STATUTORY',
      recordedBy: { who: 'A', at: [{ agency: new Agencyish(HOST, 'Host YOS') }] },
      history: 'h',
      moves: [
        { kind: HOST, area: null },
        { kind: 'HOME', area: null },
      ],
    };
    expect(project(Visit, visit, allow, withheld, '', locating(false))).toEqual({
      kind: 'STATUTORY',
      recordedBy: null,
      history: 'h',
      moves: [
        { kind: null, area: null },
        { kind: 'HOME', area: null },
      ],
    });
    expect(withheld.map(({ field, rule }) => [field, rule])).toEqual([
      ['recordedBy', 'C10'],
      ['moves.0.kind', 'C10'],
      ['moves.0.area', 'C10'],
      ['moves.1.area', 'C10'],
    ]);
    const elsewhere: Withheld[] = [];
    const other = { kind: 'STATUTORY', recordedBy: new Agencyish('another', 'Another'), history: 'h', moves: [] };
    expect(project(Visit, other, allow, elsewhere, '', locating(false))).toEqual(other);
    expect(elsewhere).toEqual([]);
  });

  it('leaves a field its class refuses to that refusal, so the C10 marker never says what it named', () => {
    const refuse = (): ClassDecision => ({ allowed: false, rule: 'DEFAULT-DENY', reason: 'no' });
    const withheld: Withheld[] = [];
    const visit = { kind: 'STATUTORY', recordedBy: new Agencyish(HOST, 'Host YOS'), history: 'h', moves: [] };
    project(Visit, visit, refuse, withheld, '', locating(true));
    expect(withheld.map(({ field, rule }) => [field, rule])).toEqual([
      ['kind', 'DEFAULT-DENY'],
      ['recordedBy', 'DEFAULT-DENY'],
      ['history', 'DEFAULT-DENY'],
    ]);
  });

  it("withholds a field labelled locates: 'owner' only when the owner is such an agency", () => {
    const visit = { kind: 'STATUTORY', recordedBy: null, history: 'h', moves: [] };
    const withheld: Withheld[] = [];
    expect(project(Visit, visit, allow, withheld, '', locating(true)).history).toBeNull();
    expect(withheld).toContainEqual(expect.objectContaining({ field: 'history', rule: 'C10' }));
    expect(project(Visit, visit, allow, [], '', locating(false)).history).toBe('h');
  });
});

describe('locatingFor', () => {
  const access = (contactRestricted: boolean) => ({
    contactRestricted,
    childInvolvements: ['csc:CSC', 'home:YOS_HOME', 'host:YOS_HOST', 'yoi:SECURE_ESTATE'],
  });

  it('is null unless a contact restriction names the caller', () => {
    expect(locatingFor(access(false), 'csc')).toBeNull();
  });

  it('names the agencies of open host-YOS and secure-estate involvements, the caller’s own excepted', () => {
    expect([...(locatingFor(access(true), 'csc')?.agencies ?? [])].sort()).toEqual(['host', 'yoi']);
    expect([...(locatingFor(access(true), 'host')?.agencies ?? [])]).toEqual(['yoi']);
    expect(locatingFor(access(true), 'csc', 'yoi')?.ownerLocates).toBe(true);
    expect(locatingFor(access(true), 'csc', 'home')?.ownerLocates).toBe(false);
    expect(locatingFor({ contactRestricted: true }, 'csc')?.agencies.size).toBe(0);
  });
});

describe('namesAgency', () => {
  const agencies = new Set(['x']);
  it('finds an agency by its id anywhere in a value, and counts a value deeper than any disclosed as naming one', () => {
    expect(namesAgency({ a: [{ b: { id: 'x' } }] }, agencies)).toBe(true);
    expect(namesAgency('x', agencies)).toBe(true);
    expect(namesAgency({ a: new Date(), b: 'y', c: 3, d: null }, agencies)).toBe(false);
    expect(namesAgency({ id: 'x' }, new Set())).toBe(false);
    let deep: unknown = 'y';
    for (let depth = 0; depth < 20; depth++) deep = { deep };
    expect(namesAgency(deep, agencies)).toBe(true);
  });
});
