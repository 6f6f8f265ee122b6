import type { InvolvementRole } from 'src/vocabulary/children.enums.js';
import type { RecordKind } from 'src/vocabulary/record-kind.js';
import type { Relationship } from 'src/policy/relationship.js';

/** What the policy decides about: a child, a child's placement or legal status, or a shared record. */
export type SubjectType = 'Child' | 'ChildDetail' | 'SharedRecord';
export type PolicyAction = 'read' | 'create' | 'update' | 'acknowledge';

/** The caller's connection to one child, loaded per request for the children being returned. */
export interface ChildAccess {
  readonly relationship: readonly Relationship[];
  /** The caller's agency's open involvement roles with the child (home or host YOS, CSC, …). */
  readonly agencyRoles: readonly InvolvementRole[];
  /** C10: a contact restriction names the caller or the caller's agency. */
  readonly contactRestricted: boolean;
  /** C3: when an open police investigation into harmful sexual behaviour started, if one is open. */
  readonly policeInvestigationSince: Date | null;
  /** The caller's allocation to the child has ended and only its grace period lets them in. */
  readonly allocationEnded: boolean;
  /**
   * Every open involvement with the child, as "agencyId:ROLE": an emergency clause reaches the
   * children the agencies it names are involved with.
   */
  readonly childInvolvements?: readonly string[];
}

/**
 * The attributes CASL conditions are written against. Each has a SQL counterpart
 * (policy-sql.ts), so the same rules filter rows in the database and decide fields in memory.
 */
export interface SubjectAttributes {
  readonly __type: SubjectType;
  readonly relationship: readonly Relationship[];
  readonly agencyRoles: readonly InvolvementRole[];
  readonly contactRestricted: boolean;
  /** C6–C9: allocated, or the establishment or police under their own rules, or the owner's manager. */
  readonly needToKnow: boolean;
  readonly owningAgencyId?: string | null;
  readonly kind?: RecordKind;
  readonly hasCourtOrderOrConsent?: boolean;
  readonly hasThirdPartyPermission?: boolean;
  readonly createdDuringPoliceInvestigation?: boolean;
  readonly childInvolvements?: readonly string[];
}
