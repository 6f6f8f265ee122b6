import { z } from 'zod';
import { type DomainEvent, eventOf, eventShape, type StoredEvent } from 'src/events/domain-event.js';
import { EventType } from 'src/events/event-type.js';
import { VisitKind } from 'src/visits/models/visit-kind.js';

const visitFacts = z.object({
  visit: z.object({
    id: z.string(),
    childId: z.string(),
    kind: z.nativeEnum(VisitKind),
    visitDate: z.string(),
    seenAlone: z.boolean().nullable(),
    /** D13 asks for the child in private "unless they refuse": a refusal satisfies it too. */
    refusedToBeSeenAlone: z.boolean(),
    /** Each visitor's agency, the lead visitor's first. */
    visitorAgencyIds: z.array(z.string()),
    /** Each visitor's role, in the same order. */
    visitorRoles: z.array(z.string()),
    recordedByAgencyId: z.string(),
    /** The first visit of its kind since the child entered the custody spell it was made in. */
    first: z.boolean(),
    /** When the custody spell the visit was made in began (remand to YDA or sentence); null outside custody. */
    custodySince: z.string().nullable(),
  }),
});
export type VisitEventFacts = z.infer<typeof visitFacts>;

/** The subject kind of a visit, in events and receipts. */
export const VISIT = 'VISIT';

const VISIT_EVENTS = eventShape({ types: [EventType.VISIT_RECORDED], kinds: [VISIT], facts: visitFacts });

/** A visit was recorded: evidence for the visit duties (D13, D15, D17, D29, D31, D32). Not notified. */
export type VisitEvent = DomainEvent<EventType.VISIT_RECORDED, typeof VISIT, VisitEventFacts>;

/** A stored event as one of the visits module's, null when it is another module's; throws when malformed. */
export function visitEventOf(stored: StoredEvent): VisitEvent | null {
  return eventOf(stored, VISIT_EVENTS);
}

export function visitRecorded(visit: VisitEventFacts['visit']): VisitEvent {
  return {
    type: EventType.VISIT_RECORDED,
    childId: visit.childId,
    subjectKind: VISIT,
    subjectId: visit.id,
    subjectVersion: null,
    facts: { visit },
  };
}
