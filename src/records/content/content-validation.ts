import { TandemError } from 'src/common/errors/tandem-error.js';
import { fieldLabels, type InputLimits } from 'src/vocabulary/sensitivity/sensitive-field.decorator.js';

/**
 * Checks record content against the limits declared beside each field's label and returns a plain
 * copy without absent fields. GraphQL has already checked types, enums and dates; this adds lengths
 * and ranges, reported with the path of the offending field.
 */
export function validateContent(type: Function, value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw TandemError.badInput('Expected an object', path);
  }
  const labels = fieldLabels(type);
  const result: Record<string, unknown> = {};
  for (const [key, fieldValue] of Object.entries(value)) {
    if (fieldValue === undefined) continue;
    const fieldPath = `${path}.${key}`;
    const label = labels.get(key);
    if (!label) throw TandemError.badInput('Unknown field', fieldPath);
    if (fieldValue === null) {
      result[key] = null;
      continue;
    }
    if (label.kind === 'group') {
      result[key] = label.list
        ? asList(fieldValue, fieldPath).map((item, index) => validateContent(label.type(), item, `${fieldPath}.${index}`))
        : validateContent(label.type(), fieldValue, fieldPath);
      continue;
    }
    const declared = label.type() as unknown;
    const itemType = Array.isArray(declared) ? (declared[0] as unknown) : declared;
    result[key] = Array.isArray(declared)
      ? asList(fieldValue, fieldPath).map((item, index) => checkValue(itemType, item, label.limits, `${fieldPath}.${index}`))
      : checkValue(itemType, fieldValue, label.limits, fieldPath);
  }
  return result;
}

function asList(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw TandemError.badInput('Expected a list', path);
  if (value.length > 200) throw TandemError.badInput('At most 200 items', path);
  return value;
}

function checkValue(type: unknown, value: unknown, limits: InputLimits, path: string): unknown {
  if (typeof value === 'string') {
    if (limits.maxLength !== undefined && value.length > limits.maxLength) {
      throw TandemError.badInput(`At most ${limits.maxLength} characters`, path);
    }
    return value;
  }
  if (typeof value === 'number') {
    if ((limits.min !== undefined && value < limits.min) || (limits.max !== undefined && value > limits.max)) {
      throw TandemError.badInput(`Must be between ${limits.min ?? '-∞'} and ${limits.max ?? '∞'}`, path);
    }
    return value;
  }
  if (typeof value === 'object' && value !== null && typeof type === 'function' && fieldLabels(type).size > 0) {
    return validateContent(type, value, path);
  }
  return value;
}
