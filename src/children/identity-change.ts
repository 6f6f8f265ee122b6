import type { StoredChildName } from 'src/children/entities/child.entity.js';
import type { RecordedSex } from 'src/identity/child-description.js';

/** What a correction may set of who the child is. */
export interface IdentityPatch {
  readonly givenName?: string;
  readonly familyName?: string;
  readonly dateOfBirth?: string;
  readonly otherNames?: readonly StoredChildName[];
  readonly sex?: RecordedSex | null;
}

/** The child as the caller read it (a field withheld from it reads as null). */
export interface IdentityNow {
  readonly givenName: string | null;
  readonly familyName: string | null;
  readonly dateOfBirth: string | null;
  readonly otherNames: readonly { readonly givenNames: string | null; readonly familyName: string | null }[] | null;
  readonly sex: RecordedSex | null;
}

const namesKey = (names: IdentityNow['otherNames']): string =>
  JSON.stringify((names ?? []).map((name) => [name.givenNames, name.familyName]));

/**
 * Whether a correction changes who the child is: its names (other names too, which matching scores
 * against), date of birth or sex. Only a change counts: a case system sending its whole record sends
 * them unchanged.
 */
export function changesWhoTheChildIs(patch: IdentityPatch, now: IdentityNow): boolean {
  return (
    (patch.givenName !== undefined && patch.givenName !== now.givenName) ||
    (patch.familyName !== undefined && patch.familyName !== now.familyName) ||
    (patch.dateOfBirth !== undefined && patch.dateOfBirth !== now.dateOfBirth) ||
    (patch.sex !== undefined && patch.sex !== now.sex) ||
    (patch.otherNames !== undefined && namesKey(patch.otherNames) !== namesKey(now.otherNames))
  );
}
