import type { SensitivityClass } from 'src/vocabulary/sensitivity/sensitivity-class.js';
import { type FieldLabel, fieldLabels } from 'src/vocabulary/sensitivity/sensitive-field.decorator.js';
import { type Locating, namesAgency } from 'src/policy/contact-restriction.js';

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

/** One labelled field of a type as projected under one path prefix: its key, its full path and its label. */
interface Step {
  readonly key: string;
  readonly field: string;
  /** The prefix of a group's own fields (`field.`). */
  readonly within: string;
  readonly label: FieldLabel;
}

/**
 * Each type's steps per path prefix, made once: projecting is on every read's path, and walking the
 * labels' map and joining each field's path again made most of what a read allocated there. Keyed
 * by the labels' map itself, which fieldLabels replaces whenever a class registers labels.
 */
const plans = new WeakMap<ReadonlyMap<string, FieldLabel>, Map<string, readonly Step[]>>();
/** Prefixes kept per labelled type (list positions make prefixes too); past this, steps are made per call. */
const MAX_PREFIXES = 256;

function stepsOf(type: Function, path: string): readonly Step[] {
  const labels = fieldLabels(type);
  let byPath = plans.get(labels);
  if (!byPath) {
    byPath = new Map();
    plans.set(labels, byPath);
  }
  let steps = byPath.get(path);
  if (!steps) {
    steps = [...labels].map(([key, label]) => ({ key, field: `${path}${key}`, within: `${path}${key}.`, label }));
    if (byPath.size < MAX_PREFIXES) byPath.set(path, steps);
  }
  return steps;
}

/**
 * A copy of `value` in which every labelled field whose class `decide` refuses is null, listing
 * each such field (whether or not it held a value, so the list itself reveals nothing). Fields
 * declared `required` (ids) are never withheld; a group field is projected field by field.
 * `locating`: what a contact restriction (C10) withholds from the caller, or null when none names
 * them: a field labelled `locates` is refused by it whatever its class; one labelled `locates:
 * 'owner'` when the owner is where the child is, and any field whose value names an agency where
 * the child is, are refused by it once their class would show them.
 */
export function project<T extends object>(
  type: Function,
  value: T,
  decide: (sensitivity: SensitivityClass) => ClassDecision,
  withheld: Withheld[],
  path = '',
  locating: Locating | null = null,
): T {
  const steps = stepsOf(type, path);
  const result: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (let index = 0; index < steps.length; index++) {
    const { key, field, within, label } = steps[index] as Step;
    const current = result[key];
    if (label.kind === 'group') {
      const nested = label.type();
      if (current === null || current === undefined) {
        // Nothing to hide, but the list still names what would be withheld.
        project(nested, {}, decide, withheld, within, locating);
        continue;
      }
      result[key] = Array.isArray(current)
        ? current.map((item: object, position) => project(nested, item, decide, withheld, `${within}${position}.`, locating))
        : project(nested, current, decide, withheld, within, locating);
      continue;
    }
    if (label.required) continue;
    // A field that always locates the child is refused before its class is asked, so it lends its
    // class no grant in the receipt. One that locates it only here (it names an agency where the
    // child is) is refused once its class allows it: a C10 marker on a field the caller could not
    // read anyway would say what it named.
    let decision = locating && label.locates === true ? locating.refusal : decide(label.sensitivity);
    if (decision.allowed && locating && locatesHere(label, current, locating)) decision = locating.refusal;
    if (decision.allowed) continue;
    result[key] = null;
    withheld.push({ field, sensitivityClass: label.sensitivity, reason: decision.reason, rule: decision.rule });
  }
  return result as T;
}

/** Whether this field's value tells where the child is: it names the owner's staff where the owner does, or names such an agency. */
function locatesHere(label: FieldLabel & { kind: 'class' }, value: unknown, locating: Locating): boolean {
  return (label.locates === 'owner' && locating.ownerLocates) || namesAgency(value, locating.agencies);
}
