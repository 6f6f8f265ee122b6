import type { SensitivityClass } from 'src/vocabulary/sensitivity/sensitivity-class.js';

/** The rule, agreement clause and lawful basis under which one sensitivity class was disclosed. */
export interface ClassGrant {
  readonly rule: string;
  readonly lawfulBasis: string | null;
  readonly agreement: { readonly id: string; readonly version: number; readonly clause: string } | null;
}

/** What a receipt says about the thing disclosed, attached where the value is made. */
export interface DisclosureFacts {
  /** CHILD, PLACEMENT, LEGAL_STATUS, RISK_FLAG or a record kind such as CARE_PLAN. */
  readonly kind: string;
  readonly id: string;
  readonly childId: string;
  readonly version: number | null;
  readonly owningAgencyId: string | null;
  /** The class (as labelled with @Sensitive) of each field, by field name, for the labelled model. */
  readonly model: Function;
  /** Per class the caller received: the deciding rule; absent classes fall back to `defaultGrant`. */
  readonly grants?: ReadonlyMap<SensitivityClass, ClassGrant>;
  /** The caller's relationship came only from an allocation that has ended (within its grace period). */
  readonly afterAllocationEnded?: boolean;
  readonly breakGlass?: boolean;
}

const FACTS = Symbol('disclosureFacts');

/** Marks a value as disclosable; object spread keeps the mark, so projected copies carry it. */
export function withFacts<T extends object>(value: T, facts: DisclosureFacts): T {
  Object.defineProperty(value, FACTS, { value: facts, enumerable: true, configurable: true, writable: true });
  return value;
}

export function factsOf(value: unknown): DisclosureFacts | undefined {
  return value !== null && typeof value === 'object' ? ((value as Record<symbol, unknown>)[FACTS] as DisclosureFacts) : undefined;
}

/** Adds what the projection decided (grants) to a value's facts. */
export function addGrants<T extends object>(
  value: T,
  grants: ReadonlyMap<SensitivityClass, ClassGrant>,
  extra: Partial<DisclosureFacts> = {},
): T {
  const facts = factsOf(value);
  if (facts) withFacts(value, { ...facts, grants, ...extra });
  return value;
}
