import type { Principal } from 'src/auth/principal.js';
import { Role } from 'src/auth/roles.js';
import type { ClassGrant } from 'src/policy/disclosed.js';

/**
 * The rule under which the agency that owns a protocol duty reads it before it is involved with the
 * child (e.g. Derby CSC's L2-ALLOCATE after a remand of a child only the YOS knows): the duty is the
 * agency's own work, so it must be able to see it to do it.
 */
export const DUTY_OWNER = 'DUTY-OWNER';

/** The roles that work an agency's queue of duties: its front door, its managers, its heads of service. */
const QUEUE_ROLES: ReadonlySet<Role> = new Set([
  Role.CSC_FRONT_DOOR,
  Role.YOS_MANAGER,
  Role.CSC_TEAM_MANAGER,
  Role.HEAD_OF_SERVICE,
]);

/** A duty as DUTY-OWNER reads it: whose it is, and the source that imposes it. */
export interface OwnedDuty {
  readonly ownerAgencyId: string;
  /** The allocated worker who owns it; null when it sits in a team queue (or a notification does not say). */
  readonly ownerSubject: string | null;
  readonly citation: string;
}

/** What a receipt names for what DUTY-OWNER lets out: no agreement, the duty's own source as the basis. */
export function dutyOwnerGrant(duty: Pick<OwnedDuty, 'citation'>): ClassGrant {
  return {
    rule: DUTY_OWNER,
    lawfulBasis: `Protocol duty owned by the recipient's agency: ${duty.citation}`,
    agreement: null,
  };
}

/**
 * Whether the caller works the duty for its owning agency: of that agency, and either the duty's
 * owner or in a role that works the agency's queue, or the agency's own case system (SYSTEM, with
 * `ownCaseSystem` saying the caller's case system is one of the agency's). Everyone else, other
 * workers of the agency included, gets nothing through this rule.
 */
export function worksDuty(principal: Principal, duty: OwnedDuty, ownCaseSystem: boolean): boolean {
  if (principal.agency.id !== duty.ownerAgencyId) return false;
  if (duty.ownerSubject !== null && principal.subject === duty.ownerSubject) return true;
  if (principal.roles.some((role) => QUEUE_ROLES.has(role))) return true;
  return principal.roles.includes(Role.SYSTEM) && ownCaseSystem;
}
