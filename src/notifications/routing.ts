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

/**
 * An agency not involved with the child that must still hear, by a protocol notice: it asks
 * `fromAgencyId` (involved) to be let in as `role` by a sharing agreement's notice clause, which
 * decides what it hears; without such a clause it hears nothing.
 */
export interface Notice {
  readonly fromAgencyId: string;
  readonly role: InvolvementRole;
  /** Whether this event opens the referral (a cancellation or a repeat to one told before does not). */
  readonly opensReferral: boolean;
}

/** An agency told of an earlier version of a planned move, and how (by notice, or as an involved agency). */
export interface ToldOfPlan {
  readonly agencyId: string;
  readonly notice: Pick<Notice, 'fromAgencyId' | 'role'> | null;
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
  /** For a corrected or cancelled plan: who was told of it before (they are told again). */
  readonly toldOfPlan?: readonly ToldOfPlan[];
}

export interface Route {
  readonly agencyId: string;
  readonly why: string;
  /** Set when the agency is not involved and hears only by notice. */
  readonly notice: Notice | null;
}

export interface Routing {
  readonly routes: readonly Route[];
  /** An out-of-borough move whose host YOS is not yet involved: the home YOS hears that caretaking is asked. */
  readonly caretaking: { readonly hostAgencyId: string; readonly homeAgencyId: string } | null;
}

const YOS_ROLES: ReadonlySet<InvolvementRole> = new Set([InvolvementRole.YOS_HOME, InvolvementRole.YOS_HOST]);
const SOCIAL_CARE_ROLES: ReadonlySet<InvolvementRole> = new Set([InvolvementRole.CSC, InvolvementRole.LEAVING_CARE]);
const LEAVING_CARE_ROLES: ReadonlySet<InvolvementRole> = new Set([InvolvementRole.LEAVING_CARE]);
const SECURE_ESTATE_ROLES: ReadonlySet<InvolvementRole> = new Set([InvolvementRole.SECURE_ESTATE]);

/** The events a placement change raises; a cancellation goes wherever the plan went. */
const PLACEMENT_EVENTS: ReadonlySet<EventType> = new Set([
  EventType.PLACEMENT_CHANGE_PLANNED,
  EventType.PLACEMENT_CHANGED,
  EventType.PLACEMENT_CHANGE_CANCELLED,
]);

/**
 * The event type a notice clause must name for this event to be noticed: a cancellation or a
 * correction is noticed under the clause its plan was (it tells those told of the plan).
 */
export function noticeTypeOf(type: EventType): EventType {
  return type === EventType.PLACEMENT_CHANGE_CANCELLED ? EventType.PLACEMENT_CHANGE_PLANNED : type;
}

/**
 * Who must hear of an event, as the protocols say (DOMAIN §2.3, §4.4; DECISIONS §10). Each
 * involved recipient then gets only what its own policy allows, and nothing if it may not see the
 * child; a recipient not involved (`notice`) gets only what a notice clause gives, or nothing.
 */
export function route(input: RoutingInput): Routing {
  const routes = new Map<string, Route>();
  const add = (agencyId: string, why: string, notice: Notice | null = null, recorderToo = false) => {
    if ((recorderToo || agencyId !== input.recordedByAgencyId) && !routes.has(agencyId)) {
      routes.set(agencyId, { agencyId, why, notice });
    }
  };
  const involvedWith = (roles: ReadonlySet<InvolvementRole>) =>
    input.involvements.filter((involvement) => roles.has(involvement.role));
  const involved = (agencyId: string) => input.involvements.some((involvement) => involvement.agencyId === agencyId);
  const areaOf = (agencyId: string) => input.agencies.find((agency) => agency.id === agencyId)?.localAuthorityId ?? null;
  let caretaking: Routing['caretaking'] = null;
  if (PLACEMENT_EVENTS.has(input.type)) {
    // The YOS case manager hears of every move, before it happens (001 §5.7, 002 §4.4, §9.2); a host
    // YOS of a move into (or within) its own area (H7): where the child goes elsewhere is not its to know.
    for (const involvement of involvedWith(YOS_ROLES)) {
      if (involvement.role === InvolvementRole.YOS_HOME) add(involvement.agencyId, 'home YOS');
      else if (areaOf(involvement.agencyId) === input.placementAreaId) add(involvement.agencyId, 'host YOS');
    }
    // The leaving-care service of a child it holds hears of moves (001 §9.6).
    for (const involvement of involvedWith(LEAVING_CARE_ROLES)) add(involvement.agencyId, 'leaving care');
    caretaking = routeHost(input, add, involved);
    // A correction or cancellation reaches everyone told of the plan, as they were told (a notice opens nothing again).
    for (const told of input.toldOfPlan ?? []) {
      const byNotice = told.notice !== null && !involved(told.agencyId);
      // A host told only by notice hears no more of a plan corrected to another area: the new address
      // is not its to know, and its caretaking request was withdrawn with the correction.
      if (byNotice && input.type === EventType.PLACEMENT_CHANGE_PLANNED && areaOf(told.agencyId) !== input.placementAreaId)
        continue;
      add(told.agencyId, 'told of the plan', byNotice && told.notice ? { ...told.notice, opensReferral: false } : null);
    }
    return done(routes, input.type === EventType.PLACEMENT_CHANGE_CANCELLED ? null : caretaking);
  }
  switch (input.type) {
    case EventType.REMAND_RECORDED:
    case EventType.CUSTODY_SENTENCE_RECORDED:
    case EventType.RELEASE_RECORDED:
    case EventType.COURT_OUTCOME_RECORDED: {
      // Recorded by the YOS; children's social care must hear (001 §6.2–6.5, §7.5; 002 §8.1).
      const socialCare = involvedWith(SOCIAL_CARE_ROLES);
      for (const involvement of socialCare) add(involvement.agencyId, 'children’s social care');
      if (!socialCare.some((involvement) => involvement.role === InvolvementRole.CSC)) {
        const frontDoor = frontDoorOf(input);
        if (frontDoor) {
          add(frontDoor, 'front door: children’s social care is not yet involved', {
            fromAgencyId: input.recordedByAgencyId,
            role: InvolvementRole.CSC,
            opensReferral: true,
          });
        }
      }
      break;
    }
    case EventType.LEGAL_STATUS_CHANGED:
      for (const involvement of input.involvements) add(involvement.agencyId, 'involved with the child');
      break;
    case EventType.LOOKED_AFTER_STATUS_CHANGED:
    case EventType.LEAD_PROFESSIONAL_CHANGED:
      // Derived by Tandem, not recorded by anyone: every involved agency hears, the one whose change led to it too.
      for (const involvement of input.involvements) add(involvement.agencyId, 'involved with the child', null, true);
      break;
    case EventType.OBLIGATION_CHANGED:
      // A duty's owner hears of each change of its state, and on escalation its managers (the audience says which).
      if (input.ownerAgencyId) add(input.ownerAgencyId, 'owns the duty', null, true);
      break;
    case EventType.WORKER_ALLOCATION_CHANGED:
    case EventType.RECORD_PUBLISHED:
      // The other services (001 §7.12); the owner already knows.
      for (const involvement of input.involvements) {
        if (involvement.agencyId !== input.ownerAgencyId) add(involvement.agencyId, 'involved with the child');
      }
      break;
    case EventType.RELEASE_PLAN_AGREED:
    case EventType.RELEASE_PLAN_NOT_AGREED:
      // The YJS that owns the plan hears the CSC operations manager's decision; a plan not agreed
      // also reaches the establishment's governor, so agreement is reached before release (003 §8.3).
      if (input.ownerAgencyId) add(input.ownerAgencyId, 'owns the release plan');
      if (input.type === EventType.RELEASE_PLAN_NOT_AGREED) {
        for (const involvement of involvedWith(SECURE_ESTATE_ROLES))
          add(involvement.agencyId, 'holds the child: the plan is not agreed');
      }
      break;
    case EventType.RECORD_COPY_SENT:
      // The establishment holding the child receives the copy (001 §6.10).
      for (const involvement of involvedWith(SECURE_ESTATE_ROLES)) add(involvement.agencyId, 'holds the child: a copy was sent');
      break;
    case EventType.CHILD_MERGED:
    case EventType.CHILD_UNMERGED:
      // Every involved case system holds a link to the child, the merging agency's included.
      for (const involvement of input.involvements)
        add(involvement.agencyId, 'involved with the child: its id changed', null, true);
      break;
    case EventType.PLACEMENT_CHANGE_PLANNED:
    case EventType.PLACEMENT_CHANGED:
    case EventType.PLACEMENT_CHANGE_CANCELLED:
    case EventType.ACKNOWLEDGEMENT_OVERDUE:
      break;
  }
  return done(routes, null);
}

/**
 * Out of borough, the YOS where the child will live must be told too (002 §4.4, DOMAIN §4.4 H7):
 * involved, as host YOS; not yet involved, by notice from the home YOS, which asks it to take on
 * caretaking.
 */
function routeHost(
  input: RoutingInput,
  add: (agencyId: string, why: string, notice?: Notice | null) => void,
  involved: (agencyId: string) => boolean,
): Routing['caretaking'] {
  const home = input.involvements.find((involvement) => involvement.role === InvolvementRole.YOS_HOME);
  const homeAgency = home ? input.agencies.find((agency) => agency.id === home.agencyId) : undefined;
  if (!input.placementAreaId || !homeAgency || homeAgency.localAuthorityId === input.placementAreaId) return null;
  const host = input.agencies.find(
    (agency) => agency.kind === AgencyKind.YOUTH_JUSTICE && agency.localAuthorityId === input.placementAreaId,
  );
  if (!host) return null;
  if (involved(host.id)) {
    add(host.id, 'host YOS: the move is out of borough');
    return null;
  }
  add(host.id, 'host YOS: the move is out of borough, and caretaking is asked', {
    fromAgencyId: homeAgency.id,
    role: InvolvementRole.YOS_HOST,
    opensReferral: input.type !== EventType.PLACEMENT_CHANGE_CANCELLED,
  });
  return { hostAgencyId: host.id, homeAgencyId: homeAgency.id };
}

/** The children's social care of the recording YOS's local authority (the child's, here), if the recorder is a YOS. */
function frontDoorOf(input: RoutingInput): string | null {
  const recorder = input.agencies.find((agency) => agency.id === input.recordedByAgencyId);
  if (recorder?.kind !== AgencyKind.YOUTH_JUSTICE || !recorder.localAuthorityId) return null;
  const csc = input.agencies.find(
    (agency) => agency.kind === AgencyKind.CHILDRENS_SOCIAL_CARE && agency.localAuthorityId === recorder.localAuthorityId,
  );
  return csc?.id ?? null;
}

function done(routes: ReadonlyMap<string, Route>, caretaking: Routing['caretaking']): Routing {
  return { routes: [...routes.values()], caretaking };
}
