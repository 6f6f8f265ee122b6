import { z } from 'zod';
import { type DomainEvent, eventOf, eventShape, type StoredEvent } from 'src/events/domain-event.js';
import { EventType } from 'src/events/event-type.js';
import { londonToday } from 'src/common/time/london.js';
import {
  AllocationRole,
  CourtOutcome,
  dimensionOf,
  LegalDimension,
  LegalStatusBasis,
  PlacementStatus,
  PlacementType,
  YroRequirement,
} from 'src/vocabulary/children.enums.js';
import type { LegalStatusEpisodeEntity } from 'src/children/entities/legal-status-episode.entity.js';
import type { PlacementEntity } from 'src/children/entities/placement.entity.js';

/** A placement as committed; dates as ISO strings. */
const placementSnapshot = z.object({
  id: z.string(),
  childId: z.string(),
  status: z.nativeEnum(PlacementStatus),
  placementType: z.nativeEnum(PlacementType),
  placementName: z.string().nullable(),
  address: z.string(),
  postcode: z.string().nullable(),
  areaLocalAuthorityId: z.string(),
  reason: z.string(),
  plannedDate: z.string().nullable(),
  effectiveDate: z.string().nullable(),
  endDate: z.string().nullable(),
  recordedBy: z.string(),
  recordedByAgencyId: z.string(),
  createdAt: z.string(),
  version: z.number(),
});
export type PlacementSnapshot = z.infer<typeof placementSnapshot>;

const placementFacts = z.object({
  placement: placementSnapshot,
  previousPlacementId: z.string().nullable(),
  /** Recorded after the day the move was planned for or took effect, without telling in advance. */
  late: z.boolean(),
  /** The London date it was recorded on. Nothing reads it back; events written straight to the outbox may lack it. */
  recordedOn: z.string().optional(),
});
export type PlacementEventFacts = z.infer<typeof placementFacts>;

/** A legal-status episode as committed; dates as ISO strings. */
const episodeSnapshot = z.object({
  id: z.string(),
  childId: z.string(),
  basis: z.nativeEnum(LegalStatusBasis),
  startDate: z.string(),
  endDate: z.string().nullable(),
  sourceEvent: z.string().nullable(),
  recordedBy: z.string(),
  recordedByAgencyId: z.string(),
  recordedAt: z.string(),
  // Absent from events committed before legal status had two dimensions and court outcomes.
  dimension: z.nativeEnum(LegalDimension).optional(),
  outcome: z.nativeEnum(CourtOutcome).nullable().optional(),
  court: z.string().nullable().optional(),
  hearingDate: z.string().nullable().optional(),
  nextHearingDate: z.string().nullable().optional(),
  conditions: z.string().nullable().optional(),
  placeOfDetentionAgencyId: z.string().nullable().optional(),
  expectedReleaseDate: z.string().nullable().optional(),
  requirements: z.array(z.nativeEnum(YroRequirement)).optional(),
  assetPlusReference: z.string().nullable().optional(),
});
export type LegalStatusSnapshot = z.infer<typeof episodeSnapshot>;

const legalStatusFacts = z.object({ episode: episodeSnapshot, previousBasis: z.nativeEnum(LegalStatusBasis).nullable() });
export type LegalStatusEventFacts = z.infer<typeof legalStatusFacts>;

/** The derived looked-after status at one step (Table 4.2), with the rule that set it. */
const lookedAfterSnapshot = z.object({
  lookedAfter: z.boolean(),
  route: z.string().nullable(),
  formerlyLookedAfterInDetention: z.boolean(),
  since: z.string(),
  date: z.string(),
  trigger: z.string(),
  rule: z.string(),
  citation: z.string(),
  policy: z.string(),
});
export type LookedAfterSnapshot = z.infer<typeof lookedAfterSnapshot>;
const lookedAfterFacts = z.object({ status: lookedAfterSnapshot, previous: lookedAfterSnapshot.nullable() });
export type LookedAfterEventFacts = z.infer<typeof lookedAfterFacts>;

/** The computed lead professional (Table 4.1), with the rule that chose it. */
const leadSnapshot = z.object({
  lead: z.string(),
  agencyId: z.string().nullable(),
  alsoRequired: z.array(z.string()),
  rule: z.string(),
  citation: z.string(),
  policy: z.string(),
});
export type LeadSnapshot = z.infer<typeof leadSnapshot>;
const leadFacts = z.object({ lead: leadSnapshot, previous: leadSnapshot.nullable() });
export type LeadEventFacts = z.infer<typeof leadFacts>;

const allocationFacts = z.object({
  allocation: z.object({
    id: z.string(),
    change: z.enum(['ALLOCATED', 'ENDED']),
    /** The allocating agency (the allocation's owner). */
    agencyId: z.string(),
    practitionerName: z.string().nullable(),
    team: z.string().nullable(),
    role: z.nativeEnum(AllocationRole),
    startDate: z.string(),
    endDate: z.string().nullable(),
  }),
});
export type AllocationEventFacts = z.infer<typeof allocationFacts>;
export type AllocationSnapshot = AllocationEventFacts['allocation'];

const mergeFacts = z.object({
  merge: z.object({
    id: z.string(),
    change: z.enum(['MERGED', 'UNMERGED']),
    survivingChildId: z.string(),
    mergedChildId: z.string(),
    /** Until when the merge can be undone (ISO). */
    undoBefore: z.string(),
  }),
});
export type MergeEventFacts = z.infer<typeof mergeFacts>;
export type MergeSnapshot = MergeEventFacts['merge'];

const PLACEMENT_EVENTS = eventShape({
  types: [EventType.PLACEMENT_CHANGE_PLANNED, EventType.PLACEMENT_CHANGED, EventType.PLACEMENT_CHANGE_CANCELLED],
  kinds: ['PLACEMENT'],
  facts: placementFacts,
});
const LEGAL_STATUS_EVENTS = eventShape({
  types: [
    EventType.LEGAL_STATUS_CHANGED,
    EventType.REMAND_RECORDED,
    EventType.CUSTODY_SENTENCE_RECORDED,
    EventType.RELEASE_RECORDED,
    EventType.COURT_OUTCOME_RECORDED,
  ],
  kinds: ['LEGAL_STATUS'],
  facts: legalStatusFacts,
});
const LOOKED_AFTER_EVENTS = eventShape({
  types: [EventType.LOOKED_AFTER_STATUS_CHANGED],
  kinds: ['LOOKED_AFTER_STATUS'],
  facts: lookedAfterFacts,
});
const LEAD_EVENTS = eventShape({
  types: [EventType.LEAD_PROFESSIONAL_CHANGED],
  kinds: ['LEAD_PROFESSIONAL'],
  facts: leadFacts,
});
const ALLOCATION_EVENTS = eventShape({
  types: [EventType.WORKER_ALLOCATION_CHANGED],
  kinds: ['ALLOCATION'],
  facts: allocationFacts,
});

const MERGE_EVENTS = eventShape({
  types: [EventType.CHILD_MERGED, EventType.CHILD_UNMERGED],
  kinds: ['CHILD_MERGE'],
  facts: mergeFacts,
});

export type PlacementEvent = DomainEvent<
  EventType.PLACEMENT_CHANGE_PLANNED | EventType.PLACEMENT_CHANGED | EventType.PLACEMENT_CHANGE_CANCELLED,
  'PLACEMENT',
  PlacementEventFacts
>;
export type LegalStatusEvent = DomainEvent<
  | EventType.LEGAL_STATUS_CHANGED
  | EventType.REMAND_RECORDED
  | EventType.CUSTODY_SENTENCE_RECORDED
  | EventType.RELEASE_RECORDED
  | EventType.COURT_OUTCOME_RECORDED,
  'LEGAL_STATUS',
  LegalStatusEventFacts
>;
export type LookedAfterEvent = DomainEvent<EventType.LOOKED_AFTER_STATUS_CHANGED, 'LOOKED_AFTER_STATUS', LookedAfterEventFacts>;
export type LeadEvent = DomainEvent<EventType.LEAD_PROFESSIONAL_CHANGED, 'LEAD_PROFESSIONAL', LeadEventFacts>;
export type AllocationEvent = DomainEvent<EventType.WORKER_ALLOCATION_CHANGED, 'ALLOCATION', AllocationEventFacts>;

export type MergeEvent = DomainEvent<EventType.CHILD_MERGED | EventType.CHILD_UNMERGED, 'CHILD_MERGE', MergeEventFacts>;

/** The events the children module raises. */
export type ChildEvent = PlacementEvent | LegalStatusEvent | AllocationEvent | MergeEvent | LookedAfterEvent | LeadEvent;

/** A stored event as one of the children module's, null when it is another module's; throws when malformed. */
export function childEventOf(stored: StoredEvent): ChildEvent | null {
  return (
    eventOf(stored, PLACEMENT_EVENTS) ??
    eventOf(stored, LEGAL_STATUS_EVENTS) ??
    eventOf(stored, ALLOCATION_EVENTS) ??
    eventOf(stored, MERGE_EVENTS) ??
    eventOf(stored, LOOKED_AFTER_EVENTS) ??
    eventOf(stored, LEAD_EVENTS)
  );
}

/**
 * A placement-change event, with the placement as committed. A move recorded on or after the day it
 * was planned for or took effect is late: the YOS must hear in advance, before the day (002 §9.2).
 * Confirming a move planned earlier is not: the YOS heard of it when it was planned. Nor is a
 * cancellation: nobody moves.
 */
export function placementEvent(
  type: PlacementEvent['type'],
  placement: PlacementEntity,
  previousPlacementId: string | null,
  toldInAdvance: boolean,
): PlacementEvent {
  const today = londonToday();
  const moveDate = placement.effectiveDate ?? placement.plannedDate;
  const late = type !== EventType.PLACEMENT_CHANGE_CANCELLED && !toldInAdvance && moveDate !== null && moveDate <= today;
  return {
    type,
    childId: placement.childId,
    subjectKind: 'PLACEMENT',
    subjectId: placement.id,
    subjectVersion: placement.version,
    facts: { placement: placementSnapshotOf(placement), previousPlacementId, late, recordedOn: today },
  };
}

/** A legal-status event, with the new episode as committed and the basis it replaced. */
export function legalStatusEvent(
  type: LegalStatusEvent['type'],
  episode: LegalStatusEpisodeEntity,
  previousBasis: LegalStatusBasis | null,
): LegalStatusEvent {
  return {
    type,
    childId: episode.childId,
    subjectKind: 'LEGAL_STATUS',
    subjectId: episode.id,
    subjectVersion: null,
    facts: { episode: episodeSnapshotOf(episode), previousBasis },
  };
}

/** The derived looked-after status changed (DOMAIN §4.2: every transition is told to those involved). */
export function lookedAfterEvent(
  childId: string,
  status: LookedAfterSnapshot,
  previous: LookedAfterSnapshot | null,
): LookedAfterEvent {
  return {
    type: EventType.LOOKED_AFTER_STATUS_CHANGED,
    childId,
    subjectKind: 'LOOKED_AFTER_STATUS',
    subjectId: childId,
    subjectVersion: null,
    facts: { status, previous },
  };
}

/** The computed lead professional changed (DOMAIN §4.1). */
export function leadEvent(childId: string, lead: LeadSnapshot, previous: LeadSnapshot | null): LeadEvent {
  return {
    type: EventType.LEAD_PROFESSIONAL_CHANGED,
    childId,
    subjectKind: 'LEAD_PROFESSIONAL',
    subjectId: childId,
    subjectVersion: null,
    facts: { lead, previous },
  };
}

/** The other service hears of a change of worker (001 §7.12). */
export function allocationEvent(childId: string, allocation: AllocationSnapshot): AllocationEvent {
  return {
    type: EventType.WORKER_ALLOCATION_CHANGED,
    childId,
    subjectKind: 'ALLOCATION',
    subjectId: allocation.id,
    subjectVersion: null,
    facts: { allocation },
  };
}

/**
 * Every case system involved hears that a child's id changed (a merge) or that two children are
 * separate again (an unmerge, raised once for each of the two), so each can correct its own link.
 */
export function mergeEvent(childId: string, merge: MergeSnapshot): MergeEvent {
  return {
    type: merge.change === 'MERGED' ? EventType.CHILD_MERGED : EventType.CHILD_UNMERGED,
    childId,
    subjectKind: 'CHILD_MERGE',
    subjectId: merge.id,
    subjectVersion: null,
    facts: { merge },
  };
}

function placementSnapshotOf(placement: PlacementEntity): PlacementSnapshot {
  return {
    id: placement.id,
    childId: placement.childId,
    status: placement.status,
    placementType: placement.placementType,
    placementName: placement.placementName,
    address: placement.address,
    postcode: placement.postcode,
    areaLocalAuthorityId: placement.areaLocalAuthorityId,
    reason: placement.reason,
    plannedDate: placement.plannedDate,
    effectiveDate: placement.effectiveDate,
    endDate: placement.endDate,
    recordedBy: placement.recordedBy,
    recordedByAgencyId: placement.recordedByAgencyId,
    createdAt: placement.createdAt.toISOString(),
    version: placement.version,
  };
}

function episodeSnapshotOf(episode: LegalStatusEpisodeEntity): LegalStatusSnapshot {
  return {
    id: episode.id,
    childId: episode.childId,
    basis: episode.basis,
    startDate: episode.startDate,
    endDate: episode.endDate,
    sourceEvent: episode.sourceEvent,
    recordedBy: episode.recordedBy,
    recordedByAgencyId: episode.recordedByAgencyId,
    recordedAt: episode.recordedAt.toISOString(),
    dimension: episode.dimension,
    outcome: episode.outcome,
    court: episode.court,
    hearingDate: episode.hearingDate,
    nextHearingDate: episode.nextHearingDate,
    conditions: episode.conditions,
    placeOfDetentionAgencyId: episode.placeOfDetentionAgencyId,
    expectedReleaseDate: episode.expectedReleaseDate,
    requirements: episode.requirements,
    assetPlusReference: episode.assetPlusReference,
  };
}

/** The placement as it was committed, from its snapshot (what `toPlacement` reads of it). */
export function placementFromSnapshot(snapshot: PlacementSnapshot): PlacementEntity {
  return { ...snapshot, createdAt: new Date(snapshot.createdAt) };
}

/** The episode as it was committed, from its snapshot (what `toLegalStatus` reads of it). */
export function episodeFromSnapshot(snapshot: LegalStatusSnapshot): LegalStatusEpisodeEntity {
  return {
    ...snapshot,
    dimension: snapshot.dimension ?? dimensionOf(snapshot.basis) ?? LegalDimension.CARE,
    outcome: snapshot.outcome ?? null,
    court: snapshot.court ?? null,
    hearingDate: snapshot.hearingDate ?? null,
    nextHearingDate: snapshot.nextHearingDate ?? null,
    conditions: snapshot.conditions ?? null,
    placeOfDetentionAgencyId: snapshot.placeOfDetentionAgencyId ?? null,
    expectedReleaseDate: snapshot.expectedReleaseDate ?? null,
    requirements: snapshot.requirements ?? [],
    assetPlusReference: snapshot.assetPlusReference ?? null,
    recordedAt: new Date(snapshot.recordedAt),
  };
}
