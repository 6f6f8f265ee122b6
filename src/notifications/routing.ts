import { AgencyKind, InvolvementRole } from 'src/vocabulary/children.enums.js';
import { EventType } from 'src/events/event-type.js';

export interface Involvement {
  readonly agencyId: string;
  readonly role: InvolvementRole;
}

export interface DirectoryAgency {
  readonly id: string;
  readonly kind: AgencyKind;
  readonly localAuthorityId: string | null;
}

export interface RoutingInput {
  readonly type: EventType;
  readonly recordedByAgencyId: string;
  /** The agency that owns what changed (a record's owner, an allocation's agency). */
  readonly ownerAgencyId: string | null;
  /** For placement events: the local authority area the child moves to. */
  readonly placementAreaId: string | null;
  readonly involvements: readonly Involvement[];
  readonly agencies: readonly DirectoryAgency[];
}

export interface Route {
  readonly agencyId: string;
  readonly why: string;
}

export interface Routing {
  readonly routes: readonly Route[];
  /** An out-of-borough move whose host YOS is not yet involved: the home YOS must arrange caretaking. */
  readonly caretaking: { readonly hostAgencyId: string; readonly homeAgencyId: string | null } | null;
}

const YOS_ROLES: ReadonlySet<InvolvementRole> = new Set([InvolvementRole.YOS_HOME, InvolvementRole.YOS_HOST]);
const SOCIAL_CARE_ROLES: ReadonlySet<InvolvementRole> = new Set([InvolvementRole.CSC, InvolvementRole.LEAVING_CARE]);

/**
 * Who must hear of an event, as the protocols say (DOMAIN §2.3, §4.4; DECISIONS §10). Each
 * recipient then gets only what its own policy allows, and nothing if it may not see the child.
 */
export function route(input: RoutingInput): Routing {
  const routes = new Map<string, string>();
  const add = (agencyId: string, why: string) => {
    if (agencyId !== input.recordedByAgencyId && !routes.has(agencyId)) routes.set(agencyId, why);
  };
  const involvedWith = (roles: ReadonlySet<InvolvementRole>) =>
    input.involvements.filter((involvement) => roles.has(involvement.role));
  let caretaking: Routing['caretaking'] = null;
  switch (input.type) {
    case EventType.PLACEMENT_CHANGE_PLANNED:
    case EventType.PLACEMENT_CHANGED: {
      // The YOS case manager hears of every move, before it happens (001 §5.7, 002 §4.4, §9.2).
      for (const involvement of involvedWith(YOS_ROLES)) {
        add(involvement.agencyId, involvement.role === InvolvementRole.YOS_HOME ? 'home YOS' : 'host YOS');
      }
      // Out of borough, the YOS where the child will live must be told too (002 §4.4, DOMAIN §4.4 H7).
      const home = input.involvements.find((involvement) => involvement.role === InvolvementRole.YOS_HOME);
      const homeAgency = home ? input.agencies.find((agency) => agency.id === home.agencyId) : undefined;
      if (input.placementAreaId && homeAgency && homeAgency.localAuthorityId !== input.placementAreaId) {
        const host = input.agencies.find(
          (agency) => agency.kind === AgencyKind.YOUTH_JUSTICE && agency.localAuthorityId === input.placementAreaId,
        );
        if (host) {
          add(host.id, 'host YOS: the move is out of borough');
          const involved = input.involvements.some((involvement) => involvement.agencyId === host.id);
          if (!involved) caretaking = { hostAgencyId: host.id, homeAgencyId: homeAgency.id };
        }
      }
      break;
    }
    case EventType.REMAND_RECORDED:
    case EventType.CUSTODY_SENTENCE_RECORDED:
      // Recorded by the YOS; children's social care must hear (001 §6.2–6.5, §7.5; 002 §8.1).
      for (const involvement of involvedWith(SOCIAL_CARE_ROLES)) add(involvement.agencyId, 'children’s social care');
      break;
    case EventType.LEGAL_STATUS_CHANGED:
      for (const involvement of input.involvements) add(involvement.agencyId, 'involved with the child');
      break;
    case EventType.WORKER_ALLOCATION_CHANGED:
    case EventType.RECORD_PUBLISHED:
      // The other services (001 §7.12); the owner already knows.
      for (const involvement of input.involvements) {
        if (involvement.agencyId !== input.ownerAgencyId) add(involvement.agencyId, 'involved with the child');
      }
      break;
    case EventType.CHILD_MERGED:
    case EventType.CHILD_UNMERGED:
      // Every involved case system holds a link to the child, the merging agency's included.
      for (const involvement of input.involvements) {
        if (!routes.has(involvement.agencyId)) routes.set(involvement.agencyId, 'involved with the child: its id changed');
      }
      break;
    case EventType.ACKNOWLEDGEMENT_OVERDUE:
      break;
  }
  return { routes: [...routes].map(([agencyId, why]) => ({ agencyId, why })), caretaking };
}
