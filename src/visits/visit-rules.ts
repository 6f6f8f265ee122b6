import { TandemError } from 'src/common/errors/tandem-error.js';
import { AgencyKind, AllocationRole } from 'src/vocabulary/children.enums.js';
import { VisitKind } from 'src/visits/models/visit-kind.js';

/** A visitor as the rules see them: their agency's kind and their role. */
export interface VisitorFacts {
  readonly role: string;
  readonly agencyKind: AgencyKind;
}

const K = AgencyKind;

/** Which agencies record each kind of visit. */
const RECORDING_AGENCIES: Readonly<Record<VisitKind, readonly AgencyKind[]>> = {
  STATUTORY_LOOKED_AFTER: [K.CHILDRENS_SOCIAL_CARE],
  FORMER_LOOKED_AFTER_IN_DETENTION: [K.CHILDRENS_SOCIAL_CARE],
  // A personal adviser works for leaving care or for CSC (as the allocation roles allow).
  PERSONAL_ADVISER: [K.LEAVING_CARE, K.CHILDRENS_SOCIAL_CARE],
  JOINT: [K.CHILDRENS_SOCIAL_CARE],
  YOS_SUPERVISION: [K.YOUTH_JUSTICE],
};

/** Whose worker may lead each kind (a visiting representative may come from leaving care). */
const LEADING_AGENCIES: Readonly<Record<VisitKind, readonly AgencyKind[]>> = {
  STATUTORY_LOOKED_AFTER: [K.CHILDRENS_SOCIAL_CARE, K.LEAVING_CARE],
  FORMER_LOOKED_AFTER_IN_DETENTION: [K.CHILDRENS_SOCIAL_CARE, K.LEAVING_CARE],
  PERSONAL_ADVISER: [K.LEAVING_CARE, K.CHILDRENS_SOCIAL_CARE],
  JOINT: [K.CHILDRENS_SOCIAL_CARE],
  YOS_SUPERVISION: [K.YOUTH_JUSTICE],
};

/** The local authority's own visits, made by its social worker or visiting representative. */
const LOCAL_AUTHORITY_VISITS: ReadonlySet<VisitKind> = new Set([
  VisitKind.STATUTORY_LOOKED_AFTER,
  VisitKind.FORMER_LOOKED_AFTER_IN_DETENTION,
]);

/** C17 (001 §7.5, §9.3): the first of these after the child entered custody is not by the YOS worker. */
const FIRST_NOT_BY_YOS: ReadonlySet<VisitKind> = new Set([...LOCAL_AUTHORITY_VISITS, VisitKind.PERSONAL_ADVISER]);

const YOS_ROLES: ReadonlySet<string> = new Set([AllocationRole.YOS_CASE_MANAGER, 'YOS_MANAGER', 'YOS_PARENTING_WORKER']);

/** A YOS worker: someone of a youth justice agency, or named in a YOS role whatever agency is given. */
export function isYosWorker(visitor: VisitorFacts): boolean {
  return visitor.agencyKind === K.YOUTH_JUSTICE || YOS_ROLES.has(visitor.role);
}

/** Whether the caller's agency records this kind; C17 forbids a YOS to record the local authority's visits. */
export function checkRecorder(kind: VisitKind, agencyKind: AgencyKind): void {
  if (agencyKind === K.YOUTH_JUSTICE && LOCAL_AUTHORITY_VISITS.has(kind)) {
    throw TandemError.forbidden(
      "C17: a YOS worker is never the local authority's visiting representative; CSC records statutory visits (001 §7.5)",
    );
  }
  if (!RECORDING_AGENCIES[kind].includes(agencyKind)) {
    throw TandemError.badInput(`A ${agencyKind} agency does not record ${kind} visits`, 'input.kind');
  }
}

/**
 * Who made the visit, lead first: C17 first (FORBIDDEN), then who may lead the kind and, for a
 * joint visit, that the YOS worker who came is named (BAD_USER_INPUT). `custodySince` is when the
 * custody the visit was made in began, null outside custody; `first` whether it is the first of
 * its kind since then.
 */
export function checkVisitors(
  kind: VisitKind,
  visitors: readonly VisitorFacts[],
  custody: { readonly first: boolean; readonly custodySince: string | null },
): void {
  const [lead, ...others] = visitors;
  if (!lead) throw TandemError.badInput('Name who made the visit', 'input.leadVisitor');
  if (isYosWorker(lead) && FIRST_NOT_BY_YOS.has(kind)) {
    if (custody.first && custody.custodySince !== null) {
      throw TandemError.forbidden(
        `C17: the first visit after the child entered custody (${custody.custodySince}) is not made by the YOS worker (001 §7.5, §9.3)`,
      );
    }
    if (LOCAL_AUTHORITY_VISITS.has(kind)) {
      throw TandemError.forbidden("C17: a YOS worker is never the local authority's visiting representative (001 §7.5)");
    }
  }
  if (!LEADING_AGENCIES[kind].includes(lead.agencyKind)) {
    throw TandemError.badInput(`A ${kind} visit is not led by a ${lead.agencyKind} worker`, 'input.leadVisitor.agencyCode');
  }
  if (kind === VisitKind.JOINT && !others.some(isYosWorker)) {
    throw TandemError.badInput('A joint visit names the YOS worker who came (003 §7.4)', 'input.otherVisitors');
  }
}

/**
 * Seen alone (001 §7.8: "in private unless they refuse"): the local authority's visits must say;
 * a refusal means the child was not seen alone.
 */
export function seenAloneOf(
  kind: VisitKind,
  seenAlone: boolean | null | undefined,
  refused: boolean | null | undefined,
): { readonly seenAlone: boolean | null; readonly refusedToBeSeenAlone: boolean } {
  if (refused) {
    if (seenAlone === true) {
      throw TandemError.badInput('A child who refused to be seen alone was not seen alone', 'input.seenAlone');
    }
    return { seenAlone: false, refusedToBeSeenAlone: true };
  }
  if ((seenAlone === null || seenAlone === undefined) && LOCAL_AUTHORITY_VISITS.has(kind)) {
    throw TandemError.badInput('Say whether the child was seen alone (001 §7.8)', 'input.seenAlone');
  }
  return { seenAlone: seenAlone ?? null, refusedToBeSeenAlone: false };
}

/** The allocation roles a caller who led a visit of each kind most likely visited in, best first. */
const LEAD_ROLES: Readonly<Record<VisitKind, readonly string[]>> = {
  STATUTORY_LOOKED_AFTER: [AllocationRole.VISITING_REPRESENTATIVE, AllocationRole.SOCIAL_WORKER],
  FORMER_LOOKED_AFTER_IN_DETENTION: [AllocationRole.VISITING_REPRESENTATIVE, AllocationRole.SOCIAL_WORKER],
  PERSONAL_ADVISER: [AllocationRole.PERSONAL_ADVISER],
  JOINT: [AllocationRole.SOCIAL_WORKER, AllocationRole.VISITING_REPRESENTATIVE],
  YOS_SUPERVISION: [AllocationRole.YOS_CASE_MANAGER],
};

/**
 * The role the caller visited in, when they led: their allocation to the child that fits the kind
 * best, else any allocation, else `fallback` (a manager seeing the child through their team).
 */
export function leadRoleOf(kind: VisitKind, allocationRoles: readonly string[], fallback: string): string {
  return LEAD_ROLES[kind].find((role) => allocationRoles.includes(role)) ?? allocationRoles[0] ?? fallback;
}
