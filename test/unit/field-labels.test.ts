import { describe, expect, it } from 'vitest';
import { fieldLabels, Sensitive } from 'src/vocabulary/sensitivity/sensitive-field.decorator.js';
import { SensitivityClass } from 'src/vocabulary/sensitivity/sensitivity-class.js';

// fieldLabels is asked for every object the policy projects, so it keeps what it found; a label
// registered afterwards (a class declared later, on a type already asked about) must still show.

const label = (sensitivity: SensitivityClass) => Sensitive(sensitivity, () => String, { description: 'a field' });

describe('fieldLabels', () => {
  it("gives a class's labels with its ancestors', the same map again, and labels registered after it was asked", () => {
    class Base {}
    class Child extends Base {}
    label(SensitivityClass.IDENTITY_BASIC)(Base.prototype, 'name');
    label(SensitivityClass.HEALTH)(Child.prototype, 'diagnosis');
    const first = fieldLabels(Child);
    expect([...first.keys()]).toEqual(['name', 'diagnosis']);
    expect(fieldLabels(Child)).toBe(first);

    label(SensitivityClass.EDUCATION)(Base.prototype, 'school');
    expect([...fieldLabels(Child).keys()].sort()).toEqual(['diagnosis', 'name', 'school']);
    expect(fieldLabels(Base).get('school')).toMatchObject({ kind: 'class', sensitivity: SensitivityClass.EDUCATION });
  });

  it('an unlabelled class has none', () => {
    class Plain {}
    expect(fieldLabels(Plain).size).toBe(0);
  });
});
