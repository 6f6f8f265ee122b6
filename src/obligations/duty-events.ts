import { londonToday } from 'src/common/time/london.js';
import { childEventOf } from 'src/children/children.events.js';
import type { DomainEventEntity } from 'src/events/domain-event.entity.js';
import { EventType } from 'src/events/event-type.js';
import { recordEventOf } from 'src/records/records.events.js';
import { visitEventOf } from 'src/visits/visits.events.js';

/**
 * A committed event as the duties read it: its type, the day it happened on (day 0 of a duty it
 * opens: the remand's date, not the day it was typed in) and the facts triggers and evidence test.
 */
export interface DutyEvent {
  readonly eventId: string;
  /** Its place in commit order (the outbox's id). */
  readonly position: string;
  readonly type: string;
  readonly childId: string;
  readonly occurredAt: Date;
  readonly recordedByAgencyId: string;
  /** London date the event took effect. */
  readonly date: string;
  readonly basis: string | null;
  readonly outcome: string | null;
  readonly expectedReleaseDate: string | null;
  readonly recordKind: string | null;
  readonly visitKind: string | null;
  readonly seenAlone: boolean;
  readonly allocatedRole: string | null;
}

const NONE = {
  basis: null,
  outcome: null,
  expectedReleaseDate: null,
  recordKind: null,
  visitKind: null,
  seenAlone: false,
  allocatedRole: null,
};

/** The duties' own events, and reminders: no duty reads them. */
const IGNORED: ReadonlySet<string> = new Set([EventType.OBLIGATION_CHANGED, EventType.ACKNOWLEDGEMENT_OVERDUE]);

/** The event's duty facts; null for events no duty reads (obligations' own, merges, …). */
export function dutyEventOf(stored: DomainEventEntity): DutyEvent | null {
  if (IGNORED.has(stored.type)) return null;
  const base = {
    eventId: stored.eventId,
    position: stored.id,
    type: stored.type,
    childId: stored.childId,
    occurredAt: stored.occurredAt,
    recordedByAgencyId: stored.recordedByAgencyId,
  };
  const occurredOn = londonToday(stored.occurredAt);
  const visit = visitEventOf(stored);
  if (visit) {
    const facts = visit.facts.visit;
    return {
      ...base,
      ...NONE,
      date: facts.visitDate,
      visitKind: facts.kind,
      // D13: in private "unless they refuse" (001 §7.8): a refusal counts.
      seenAlone: facts.seenAlone === true || facts.refusedToBeSeenAlone,
    };
  }
  const record = recordEventOf(stored);
  if (record) return { ...base, ...NONE, date: occurredOn, recordKind: record.facts.kind };
  const child = childEventOf(stored);
  if (!child) return null;
  switch (child.type) {
    case EventType.LEGAL_STATUS_CHANGED:
    case EventType.REMAND_RECORDED:
    case EventType.CUSTODY_SENTENCE_RECORDED:
    case EventType.RELEASE_RECORDED:
    case EventType.COURT_OUTCOME_RECORDED: {
      const episode = child.facts.episode;
      return {
        ...base,
        ...NONE,
        date: episode.startDate,
        basis: episode.basis,
        outcome: episode.outcome ?? null,
        expectedReleaseDate: episode.expectedReleaseDate ?? null,
      };
    }
    case EventType.WORKER_ALLOCATION_CHANGED: {
      const allocation = child.facts.allocation;
      return {
        ...base,
        ...NONE,
        date: allocation.change === 'ALLOCATED' ? allocation.startDate : (allocation.endDate ?? occurredOn),
        allocatedRole: allocation.change === 'ALLOCATED' ? allocation.role : null,
      };
    }
    case EventType.PLACEMENT_CHANGE_PLANNED:
    case EventType.PLACEMENT_CHANGED:
    case EventType.PLACEMENT_CHANGE_CANCELLED: {
      const placement = child.facts.placement;
      return { ...base, ...NONE, date: placement.effectiveDate ?? placement.plannedDate ?? occurredOn };
    }
    case EventType.LOOKED_AFTER_STATUS_CHANGED:
      return { ...base, ...NONE, date: child.facts.status.date };
    case EventType.LEAD_PROFESSIONAL_CHANGED:
    case EventType.CHILD_MERGED:
    case EventType.CHILD_UNMERGED:
      return { ...base, ...NONE, date: occurredOn };
  }
}
