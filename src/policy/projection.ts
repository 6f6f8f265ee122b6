import type { SensitivityClass } from 'src/vocabulary/sensitivity/sensitivity-class.js';
import { fieldLabels } from 'src/vocabulary/sensitivity/sensitive-field.decorator.js';

export interface ClassDecision {
  readonly allowed: boolean;
  readonly rule: string;
  readonly reason: string;
}

export interface Withheld {
  readonly field: string;
  readonly sensitivityClass: SensitivityClass;
  readonly reason: string;
  readonly rule: string;
}

/**
 * A copy of `value` in which every labelled field whose class `decide` refuses is null, listing
 * each such field (whether or not it held a value, so the list itself reveals nothing). Fields
 * declared `required` (ids) are never withheld; a group field is projected field by field.
 */
export function project<T extends object>(
  type: Function,
  value: T,
  decide: (sensitivity: SensitivityClass) => ClassDecision,
  withheld: Withheld[],
  path = '',
): T {
  const labels = fieldLabels(type);
  const result: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [key, label] of labels) {
    const field = `${path}${key}`;
    const current = result[key];
    if (label.kind === 'group') {
      const nested = label.type();
      if (current === null || current === undefined) {
        // Nothing to hide, but the list still names what would be withheld.
        project(nested, {}, decide, withheld, `${field}.`);
        continue;
      }
      result[key] = Array.isArray(current)
        ? current.map((item: object, index) => project(nested, item, decide, withheld, `${field}.${index}.`))
        : project(nested, current, decide, withheld, `${field}.`);
      continue;
    }
    if (label.required) continue;
    const decision = decide(label.sensitivity);
    if (decision.allowed) continue;
    result[key] = null;
    withheld.push({ field, sensitivityClass: label.sensitivity, reason: decision.reason, rule: decision.rule });
  }
  return result as T;
}
