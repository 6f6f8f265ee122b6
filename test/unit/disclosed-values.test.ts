import { describe as suite, expect, it } from 'vitest';
import { Placement } from 'src/children/models/child.model.js';
import { disclosedPart } from 'src/disclosure/receipt-parts.js';
import { describe, type Disclosure, isDisclosed } from 'src/policy/disclosed.js';
import { SensitivityClass } from 'src/vocabulary/sensitivity/sensitivity-class.js';

const FACTS = { kind: 'PLACEMENT', id: 'p1', childId: 'c1', version: 2, owningAgencyId: 'a1', model: Placement };
const IDENTITY = { rule: 'CHILD-READ', lawfulBasis: 'Children Act 1989 s17', agreement: null };
const LOCATION = {
  rule: 'derby-yos-csc 2.1',
  lawfulBasis: 'public task',
  agreement: { id: 'derby-yos-csc', version: 2, clause: '2.1' },
};

suite('disclosed values', () => {
  it('carry what they are where types see it, and nowhere a copy or a payload does', () => {
    const value = describe({ id: 'p1', address: '1 High Street' }, FACTS);
    expect(value.disclosure.kind).toBe('PLACEMENT');
    expect(JSON.stringify(value)).toBe('{"id":"p1","address":"1 High Street"}');
    expect(Object.keys({ ...value })).toEqual(['id', 'address']);
    // Described by its mapper is not yet decided by the policy: it may not leave.
    expect(isDisclosed(value)).toBe(false);
  });

  it('give one receipt part for every channel: each class under its grant, the rest under the child identity grant', () => {
    const disclosure: Disclosure = {
      ...FACTS,
      grants: new Map([[SensitivityClass.PLACEMENT_LOCATION, LOCATION]]),
      child: { identity: IDENTITY, breakGlass: true, afterAllocationEnded: false },
    };
    const part = disclosedPart(
      disclosure,
      ['address', 'placementType'],
      [{ field: 'reason', reason: 'no grant', rule: 'DEFAULT-DENY' }],
      {
        alongside: ['child.id'],
        alongsideClasses: [SensitivityClass.IDENTITY_BASIC],
      },
    );
    expect(part.record).toEqual({ kind: 'PLACEMENT', id: 'p1', version: 2, owningAgencyId: 'a1' });
    expect(part.child).toBe('c1');
    expect(part.breakGlass).toBe(true);
    expect(part.disclosed).toEqual(['child.id', 'address', 'placementType']);
    expect(part.bases).toEqual([
      { class: 'IDENTITY_BASIC', rule: 'CHILD-READ', lawfulBasis: 'Children Act 1989 s17', agreement: null },
      // placementType is CARE_PLANNING, which no grant names here: it left with the child's identity.
      { class: 'CARE_PLANNING', ...IDENTITY },
      { class: 'PLACEMENT_LOCATION', ...LOCATION },
    ]);
    // Built in canonical key order, so canonicalJson sorts nothing on the hot path.
    const inOrder = (value: object) => expect(Object.keys(value)).toEqual(Object.keys(value).sort());
    if (part.record) inOrder(part.record);
    for (const basis of part.bases) inOrder(basis);
  });
});
