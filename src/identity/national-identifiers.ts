import type { ChildDescription } from 'src/identity/child-description.js';
import { MatchAttribute } from 'src/identity/match-result.js';
import { validateNhsNumber } from 'src/identity/nhs-number.js';
import { validatePncId } from 'src/identity/pnc-id.js';
import { validateUpn } from 'src/identity/upn.js';

export interface IdentifierEvidence {
  /** Kinds of identifier both sides hold, valid, and equal. */
  readonly same: readonly MatchAttribute[];
  /** Kinds both sides hold, valid, and different. */
  readonly different: readonly MatchAttribute[];
}

/**
 * Compares the national identifiers both descriptions hold. One that fails its check is ignored:
 * a mistyped number proves nothing either way. Two different UPNs prove nothing when one is
 * temporary, since the school replaces a temporary UPN with the permanent one once it is traced.
 */
export function compareNationalIdentifiers(a: ChildDescription, b: ChildDescription): IdentifierEvidence {
  const same: MatchAttribute[] = [];
  const different: MatchAttribute[] = [];
  const weigh = (attribute: MatchAttribute, first: string | null, second: string | null, conclusive = true) => {
    if (first === null || second === null) return;
    if (first === second) same.push(attribute);
    else if (conclusive) different.push(attribute);
  };
  weigh(MatchAttribute.NHS_NUMBER, checked(a.nhsNumber, validateNhsNumber), checked(b.nhsNumber, validateNhsNumber));
  weigh(MatchAttribute.PNC_ID, checked(a.pncId, validatePncId), checked(b.pncId, validatePncId));
  const upnOfA = a.upn ? validateUpn(a.upn) : null;
  const upnOfB = b.upn ? validateUpn(b.upn) : null;
  if (upnOfA?.valid && upnOfB?.valid) {
    weigh(MatchAttribute.UPN, upnOfA.value.value, upnOfB.value.value, !upnOfA.value.temporary && !upnOfB.value.temporary);
  }
  return { same, different };
}

function checked(
  input: string | null | undefined,
  validate: (value: string) => { valid: true; value: string } | { valid: false },
): string | null {
  if (!input) return null;
  const result = validate(input);
  return result.valid ? result.value : null;
}
