import { classOfPath } from 'src/disclosure/field-classes.js';
import type { ReceiptBasis, ReceiptBody, ReceiptWithheld } from 'src/disclosure/receipt.js';
import type { Disclosure } from 'src/policy/disclosed.js';
import type { SensitivityClass } from 'src/vocabulary/sensitivity/sensitivity-class.js';

/**
 * What a receipt says of one disclosed thing, from the policy's decision on it and the field paths
 * that left: every channel (GraphQL responses, webhooks, subscriptions, the catch-up feed) builds
 * this part of its receipts here.
 */
export type DisclosedPart = Pick<
  ReceiptBody,
  'breakGlass' | 'afterAllocationEnded' | 'child' | 'record' | 'disclosed' | 'withheld' | 'bases'
>;

export interface PartOptions {
  /** Paths disclosed beside the thing's own (e.g. the child's identity in a notification), kept as given. */
  readonly alongside?: readonly string[];
  /** Classes those paths carry, listed first under the child's identity grant. */
  readonly alongsideClasses?: readonly SensitivityClass[];
}

/** In the order given: each channel orders its own paths and withheld fields. */
export function disclosedPart(
  disclosure: Disclosure,
  paths: readonly string[],
  withheld: readonly ReceiptWithheld[],
  options: PartOptions = {},
): DisclosedPart {
  return {
    breakGlass: disclosure.child.breakGlass,
    afterAllocationEnded: disclosure.child.afterAllocationEnded,
    child: disclosure.childId,
    // Keys in canonical order here and in the bases: canonicalJson then sorts nothing.
    record: {
      id: disclosure.id,
      kind: disclosure.kind,
      owningAgencyId: disclosure.owningAgencyId,
      version: disclosure.version,
    },
    // Copies (a selection's list is shared by the receipts that take it), without iterators.
    disclosed: options.alongside ? options.alongside.concat(paths) : paths.slice(),
    withheld: withheld.slice(),
    bases: basesOf(disclosure, paths, options.alongsideClasses ?? []),
  };
}

/** The rule, lawful basis and agreement clause of each class the paths carry, each class once. */
export function basesOf(disclosure: Disclosure, paths: readonly string[], leading: readonly SensitivityClass[]): ReceiptBasis[] {
  const identity = disclosure.child.identity;
  const classes = classesOf(disclosure.model, paths);
  if (leading.length === 0)
    return classes.map((sensitivity) => basisOf(sensitivity, disclosure.grants.get(sensitivity) ?? identity));
  const bases = new Map<string, ReceiptBasis>();
  for (const sensitivity of leading) bases.set(sensitivity, basisOf(sensitivity, identity));
  for (const sensitivity of classes) {
    if (!bases.has(sensitivity)) bases.set(sensitivity, basisOf(sensitivity, disclosure.grants.get(sensitivity) ?? identity));
  }
  return [...bases.values()];
}

/** The classes of a frozen list of paths (a query's selection, shared by its responses), per model. */
const classesOfShared = new WeakMap<readonly string[], Map<Function, readonly SensitivityClass[]>>();

/** The classes the paths carry, sorted, each once. */
function classesOf(model: Function, paths: readonly string[]): readonly SensitivityClass[] {
  const byModel = Object.isFrozen(paths) ? classesOfShared.get(paths) : undefined;
  const known = byModel?.get(model);
  if (known) return known;
  const classes = new Set<SensitivityClass>();
  for (const path of paths) {
    const found = classOfPath(model, path);
    if (found) classes.add(found);
  }
  const sorted = [...classes].sort();
  if (Object.isFrozen(paths)) {
    if (byModel) byModel.set(model, sorted);
    else classesOfShared.set(paths, new Map([[model, sorted]]));
  }
  return sorted;
}

/** Written out property by property (a spread into the literal costs far more on this path). */
function basisOf(sensitivity: SensitivityClass, grant: Disclosure['child']['identity']): ReceiptBasis {
  const { permission } = grant;
  return permission
    ? {
        agreement: grant.agreement,
        class: sensitivity,
        lawfulBasis: grant.lawfulBasis,
        permission: { id: permission.id, kind: permission.kind, reference: permission.reference },
        rule: grant.rule,
      }
    : { agreement: grant.agreement, class: sensitivity, lawfulBasis: grant.lawfulBasis, rule: grant.rule };
}
