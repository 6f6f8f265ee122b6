/** Sex as the agency's system records it (NHS Data Dictionary "person stated gender" values). */
export enum RecordedSex {
  FEMALE = 'FEMALE',
  MALE = 'MALE',
  INDETERMINATE = 'INDETERMINATE',
  NOT_KNOWN = 'NOT_KNOWN',
}

/** A name a child has gone by: given names (first, then middle, space-separated) and family name. */
export interface ChildName {
  readonly givenNames?: string | null;
  readonly familyName?: string | null;
}

/**
 * What one agency knows about a child, as its case system holds it. Identifiers are raw strings:
 * the matcher checks them, and one that fails its check is not evidence either way.
 */
export interface ChildDescription extends ChildName {
  /** Previous and alternative names: birth or pre-adoption names, aliases, names used at school. */
  readonly otherNames?: readonly ChildName[];
  /** YYYY-MM-DD. */
  readonly dateOfBirth?: string | null;
  readonly sex?: RecordedSex | null;
  readonly nhsNumber?: string | null;
  readonly pncId?: string | null;
  readonly upn?: string | null;
  /** The child's current postcode. */
  readonly postcode?: string | null;
}
