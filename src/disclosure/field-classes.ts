import { fieldLabels } from 'src/vocabulary/sensitivity/sensitive-field.decorator.js';
import type { SensitivityClass } from 'src/vocabulary/sensitivity/sensitivity-class.js';

/**
 * The sensitivity class of a field path of a labelled model ("content.healthNeeds", "author.name"):
 * groups are followed field by field; a class label covers everything below it. Undefined for
 * fields that carry no child data of their own (e.g. `withheld`).
 */
export function classOfPath(model: Function, path: string): SensitivityClass | undefined {
  let paths = cache.get(model);
  if (!paths) {
    paths = new Map();
    cache.set(model, paths);
  }
  if (paths.has(path)) return paths.get(path);
  const found = lookup(model, path);
  paths.set(path, found);
  return found;
}

/** Labels are fixed when the models load: each (model, path) is looked up once. */
const cache = new WeakMap<Function, Map<string, SensitivityClass | undefined>>();

function lookup(model: Function, path: string): SensitivityClass | undefined {
  let type: Function = model;
  for (const segment of path.split('.')) {
    const label = fieldLabels(type).get(segment);
    if (!label) return undefined;
    if (label.kind === 'class') return label.sensitivity;
    type = label.type();
  }
  return undefined;
}
