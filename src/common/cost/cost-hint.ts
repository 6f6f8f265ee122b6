/**
 * What the query-cost rule cannot read from the schema alone, declared on a field with Nest's
 * `@Extensions(costHint({ … }))`: how many items it produces, and how often an operation may ask
 * for it.
 */
export interface CostHint {
  /** A list without a size argument holds up to this many items. */
  readonly listSize?: number;
  /** The field produces as many items as this argument says: `default` when absent, `max` when a variable. */
  readonly sizeArgument?: { readonly name: string; readonly default: number; readonly max: number };
  /** At most this many of the field in one operation (aliases and fragments included). */
  readonly perOperation?: number;
}

const KEY = 'tandemCost';

/** Field extensions carrying a cost hint. */
export function costHint(hint: CostHint): Record<string, CostHint> {
  return { [KEY]: hint };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

function isSizeArgument(value: unknown): value is NonNullable<CostHint['sizeArgument']> {
  return (
    typeof value === 'object' &&
    value !== null &&
    'name' in value &&
    typeof value.name === 'string' &&
    'default' in value &&
    isCount(value.default) &&
    'max' in value &&
    isCount(value.max)
  );
}

/** The cost hint in a field's extensions, if it has a well-formed one. */
export function costHintOf(extensions: Readonly<Record<string, unknown>> | null | undefined): CostHint | undefined {
  const hint = extensions?.[KEY];
  if (typeof hint !== 'object' || hint === null) return undefined;
  const listSize = 'listSize' in hint && isCount(hint.listSize) ? hint.listSize : undefined;
  const sizeArgument = 'sizeArgument' in hint && isSizeArgument(hint.sizeArgument) ? hint.sizeArgument : undefined;
  const perOperation = 'perOperation' in hint && isCount(hint.perOperation) ? hint.perOperation : undefined;
  return { listSize, sizeArgument, perOperation };
}
