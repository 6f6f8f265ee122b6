/**
 * What every identifier check returns: the normalised value, or why the input was refused. Checks
 * never throw, because identifiers arrive from other agencies' systems and a bad one is data, not a
 * fault.
 */
export type Validated<T, Reason extends string> = { valid: true; value: T } | { valid: false; reason: Reason };

export function accept<T>(value: T): { valid: true; value: T } {
  return { valid: true, value };
}

export function refuse<Reason extends string>(reason: Reason): { valid: false; reason: Reason } {
  return { valid: false, reason };
}
