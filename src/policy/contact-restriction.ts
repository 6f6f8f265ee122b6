import type { ChildAccess } from 'src/policy/access-subject.js';
import type { ClassDecision } from 'src/policy/projection.js';
import { InvolvementRole } from 'src/vocabulary/children.enums.js';

/** C10's refusal: what a contact restriction withholds (PLACEMENT_LOCATION, and fields that locate the child) is refused so. */
export const CONTACT_RESTRICTION: ClassDecision = {
  allowed: false,
  rule: 'C10',
  reason: 'A contact restriction hides where the child lives from the restricted party',
};

/**
 * Involvements whose agency says where the child is: the YOS of the area the child lives in while
 * placed away (the host), and the establishment holding the child. Naming either is naming the
 * place, so C10 withholds them as it withholds the address.
 */
export const LOCATING_ROLES: ReadonlySet<InvolvementRole> = new Set([InvolvementRole.YOS_HOST, InvolvementRole.SECURE_ESTATE]);
const LOCATING_ROLE_NAMES: ReadonlySet<string> = new Set<string>(LOCATING_ROLES);

/**
 * What a contact restriction withholds from one caller about one child: fields labelled `locates`,
 * and any field that names an agency where the child is now.
 */
export interface Locating {
  readonly refusal: ClassDecision;
  /** Agencies with an open locating involvement (LOCATING_ROLES), the caller's own excepted: it knows itself. */
  readonly agencies: ReadonlySet<string>;
  /** The thing's owning agency is one of them: fields naming the owner's staff (`locates: 'owner'`) are withheld too. */
  readonly ownerLocates: boolean;
}

/** C10 for a caller: null when no contact restriction names them or their agency. */
export function locatingFor(
  access: Pick<ChildAccess, 'contactRestricted' | 'childInvolvements'>,
  callerAgencyId: string,
  owningAgencyId: string | null = null,
): Locating | null {
  if (!access.contactRestricted) return null;
  const agencies = locatingAgencies(access.childInvolvements ?? [], callerAgencyId);
  return { refusal: CONTACT_RESTRICTION, agencies, ownerLocates: owningAgencyId !== null && agencies.has(owningAgencyId) };
}

/** The agencies of open locating involvements, from the access row's "agencyId:ROLE" entries. */
function locatingAgencies(involvements: readonly string[], callerAgencyId: string): ReadonlySet<string> {
  const agencies = new Set<string>();
  for (const entry of involvements) {
    const split = entry.lastIndexOf(':');
    const agencyId = entry.slice(0, split);
    if (agencyId !== callerAgencyId && LOCATING_ROLE_NAMES.has(entry.slice(split + 1))) agencies.add(agencyId);
  }
  return agencies;
}

/** Deeper than any value Tandem discloses; past it a value counts as naming one (fail closed). */
const MAX_DEPTH = 16;

/**
 * Whether `value` names one of `agencies` anywhere within it: the agency (an object with its id),
 * or its id alone, at any depth.
 */
export function namesAgency(value: unknown, agencies: ReadonlySet<string>, depth = 0): boolean {
  if (agencies.size === 0 || value === null || value === undefined) return false;
  if (typeof value === 'string') return agencies.has(value);
  if (typeof value !== 'object' || value instanceof Date) return false;
  if (depth > MAX_DEPTH) return true;
  const items: readonly unknown[] = Array.isArray(value) ? value : Object.values(value);
  return items.some((item) => namesAgency(item, agencies, depth + 1));
}
