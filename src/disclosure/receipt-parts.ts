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
    disclosed: [...(options.alongside ?? []), ...paths],
    withheld: [...withheld],
    bases: basesOf(disclosure, paths, options.alongsideClasses ?? []),
  };
}

/** The rule, lawful basis and agreement clause of each class the paths carry, each class once. */
export function basesOf(disclosure: Disclosure, paths: readonly string[], leading: readonly SensitivityClass[]): ReceiptBasis[] {
  const identity = disclosure.child.identity;
  const classes = new Set<SensitivityClass>();
  for (const path of paths) {
    const found = classOfPath(disclosure.model, path);
    if (found) classes.add(found);
  }
  const bases = new Map<string, ReceiptBasis>();
  for (const sensitivity of leading) bases.set(sensitivity, basisOf(sensitivity, identity));
  for (const sensitivity of [...classes].sort()) {
    if (!bases.has(sensitivity)) bases.set(sensitivity, basisOf(sensitivity, disclosure.grants.get(sensitivity) ?? identity));
  }
  return [...bases.values()];
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
