import { z } from 'zod';
import { type DomainEvent, eventOf, eventShape, type StoredEvent } from 'src/events/domain-event.js';
import { EventType } from 'src/events/event-type.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import type { SharedRecordEntity } from 'src/records/entities/shared-record.entity.js';

const recordFacts = z.object({
  recordId: z.string(),
  kind: z.nativeEnum(RecordKind),
  version: z.number(),
  owningAgencyId: z.string(),
  /** The mutation that published the version. */
  action: z.string(),
});
export type RecordEventFacts = z.infer<typeof recordFacts>;

const RECORD_EVENTS = eventShape({
  types: [EventType.RECORD_PUBLISHED],
  kinds: Object.values(RecordKind),
  facts: recordFacts,
});

/** A record's new version, published to the agencies whose policy lets them see the record. */
export type RecordEvent = DomainEvent<EventType.RECORD_PUBLISHED, RecordKind, RecordEventFacts>;

/** A stored event as one of the records module's, null when it is another module's; throws when malformed. */
export function recordEventOf(stored: StoredEvent): RecordEvent | null {
  return eventOf(stored, RECORD_EVENTS);
}

export function recordPublished(record: SharedRecordEntity, version: number, action: string): RecordEvent {
  return {
    type: EventType.RECORD_PUBLISHED,
    childId: record.childId,
    subjectKind: record.kind,
    subjectId: record.id,
    subjectVersion: version,
    facts: { recordId: record.id, kind: record.kind, version, owningAgencyId: record.owningAgencyId, action },
  };
}
