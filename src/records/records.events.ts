import { z } from 'zod';
import { type DomainEvent, eventOf, eventShape, type StoredEvent } from 'src/events/domain-event.js';
import { EventType } from 'src/events/event-type.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import type { SharedRecordEntity } from 'src/records/entities/shared-record.entity.js';
import type { RecordSignatureEntity } from 'src/records/entities/record-signature.entity.js';
import type { RecordCopyEntity } from 'src/records/entities/record-copy.entity.js';

const recordFacts = z.object({
  recordId: z.string(),
  kind: z.nativeEnum(RecordKind),
  version: z.number(),
  owningAgencyId: z.string(),
  /** The mutation that published the version. */
  action: z.string(),
});
export type RecordEventFacts = z.infer<typeof recordFacts>;

/** The lifecycle events name the child in their facts too, so a consumer needs nothing else. */
const lifecycleFacts = recordFacts.extend({ childId: z.string() });

const finalisedFacts = lifecycleFacts.extend({
  /** The FINAL version this one supersedes, if any. */
  supersedesVersion: z.number().nullable(),
});
export type RecordFinalisedFacts = z.infer<typeof finalisedFacts>;

/** `version`: the record's latest version when it was withdrawn. The reason stays on the record, behind the policy. */
const withdrawnFacts = lifecycleFacts;
export type RecordWithdrawnFacts = z.infer<typeof withdrawnFacts>;

const signedFacts = lifecycleFacts.extend({
  signatureId: z.string(),
  /** The establishment that signed. */
  signerAgencyId: z.string(),
  signerRole: z.string(),
  signedAt: z.string(),
});
export type PlanSignedFacts = z.infer<typeof signedFacts>;

/** The CSC operations manager's decision on a FINAL release plan (003 §8.3); the reason stays on the record. */
const decidedFacts = lifecycleFacts.extend({
  signatureId: z.string(),
  deciderAgencyId: z.string(),
  deciderRole: z.string(),
  decidedAt: z.string(),
});
export type ReleasePlanDecidedFacts = z.infer<typeof decidedFacts>;

const copyFacts = lifecycleFacts.extend({
  copyId: z.string(),
  recipientAgencyId: z.string(),
  sentAt: z.string(),
});
export type RecordCopySentFacts = z.infer<typeof copyFacts>;

const RECORD_EVENTS = eventShape({
  types: [EventType.RECORD_PUBLISHED],
  kinds: Object.values(RecordKind),
  facts: recordFacts,
});
const FINALISED_EVENTS = eventShape({
  types: [EventType.RECORD_FINALISED],
  kinds: Object.values(RecordKind),
  facts: finalisedFacts,
});
const WITHDRAWN_EVENTS = eventShape({
  types: [EventType.RECORD_WITHDRAWN],
  kinds: Object.values(RecordKind),
  facts: withdrawnFacts,
});
const SIGNED_EVENTS = eventShape({
  types: [EventType.DETENTION_PLACEMENT_PLAN_SIGNED],
  kinds: [RecordKind.DETENTION_PLACEMENT_PLAN],
  facts: signedFacts,
});
const DECIDED_EVENTS = eventShape({
  types: [EventType.RELEASE_PLAN_AGREED, EventType.RELEASE_PLAN_NOT_AGREED],
  kinds: [RecordKind.RELEASE_PLAN],
  facts: decidedFacts,
});
const COPY_EVENTS = eventShape({
  types: [EventType.RECORD_COPY_SENT],
  kinds: Object.values(RecordKind),
  facts: copyFacts,
});

/** A record's new version, published to the agencies whose policy lets them see the record (FINAL versions only). */
export type RecordPublishedEvent = DomainEvent<EventType.RECORD_PUBLISHED, RecordKind, RecordEventFacts>;
/** A version reached FINAL: evidence that can satisfy a duty (kind + version). Raised beside its RECORD_PUBLISHED. */
export type RecordFinalisedEvent = DomainEvent<EventType.RECORD_FINALISED, RecordKind, RecordFinalisedFacts>;
/** The owner withdrew the record, with a reason. */
export type RecordWithdrawnEvent = DomainEvent<EventType.RECORD_WITHDRAWN, RecordKind, RecordWithdrawnFacts>;
/** The establishment's governor signed a FINAL detention placement plan (001 §6.11). */
export type PlanSignedEvent = DomainEvent<
  EventType.DETENTION_PLACEMENT_PLAN_SIGNED,
  RecordKind.DETENTION_PLACEMENT_PLAN,
  PlanSignedFacts
>;

/** The CSC operations manager agreed (or did not agree) a FINAL release plan (003 §8.3). */
export type ReleasePlanDecidedEvent = DomainEvent<
  EventType.RELEASE_PLAN_AGREED | EventType.RELEASE_PLAN_NOT_AGREED,
  RecordKind.RELEASE_PLAN,
  ReleasePlanDecidedFacts
>;
/** The owner sent a FINAL version to another agency, which then reads that version (001 §6.10). */
export type RecordCopySentEvent = DomainEvent<EventType.RECORD_COPY_SENT, RecordKind, RecordCopySentFacts>;

export type RecordEvent =
  | RecordPublishedEvent
  | RecordFinalisedEvent
  | RecordWithdrawnEvent
  | PlanSignedEvent
  | ReleasePlanDecidedEvent
  | RecordCopySentEvent;

/** A stored event as one of the records module's, null when it is another module's; throws when malformed. */
export function recordEventOf(stored: StoredEvent): RecordEvent | null {
  return (
    eventOf(stored, RECORD_EVENTS) ??
    eventOf(stored, FINALISED_EVENTS) ??
    eventOf(stored, WITHDRAWN_EVENTS) ??
    eventOf(stored, SIGNED_EVENTS) ??
    eventOf(stored, DECIDED_EVENTS) ??
    eventOf(stored, COPY_EVENTS)
  );
}

function subjectOf(record: SharedRecordEntity, version: number) {
  return { childId: record.childId, subjectKind: record.kind, subjectId: record.id, subjectVersion: version };
}

function factsOf(record: SharedRecordEntity, version: number, action: string): RecordEventFacts {
  return { recordId: record.id, kind: record.kind, version, owningAgencyId: record.owningAgencyId, action };
}

export function recordPublished(record: SharedRecordEntity, version: number, action: string): RecordPublishedEvent {
  return { type: EventType.RECORD_PUBLISHED, ...subjectOf(record, version), facts: factsOf(record, version, action) };
}

export function recordFinalised(
  record: SharedRecordEntity,
  version: number,
  action: string,
  supersedesVersion: number | null,
): RecordFinalisedEvent {
  return {
    type: EventType.RECORD_FINALISED,
    ...subjectOf(record, version),
    facts: { ...factsOf(record, version, action), childId: record.childId, supersedesVersion },
  };
}

export function recordWithdrawn(record: SharedRecordEntity, version: number, action: string): RecordWithdrawnEvent {
  return {
    type: EventType.RECORD_WITHDRAWN,
    ...subjectOf(record, version),
    facts: { ...factsOf(record, version, action), childId: record.childId },
  };
}

export function planSigned(record: SharedRecordEntity, signature: RecordSignatureEntity, action: string): PlanSignedEvent {
  return {
    type: EventType.DETENTION_PLACEMENT_PLAN_SIGNED,
    childId: record.childId,
    subjectKind: RecordKind.DETENTION_PLACEMENT_PLAN,
    subjectId: record.id,
    subjectVersion: signature.version,
    facts: {
      ...factsOf(record, signature.version, action),
      childId: record.childId,
      signatureId: signature.id,
      signerAgencyId: signature.signerAgencyId,
      signerRole: signature.signerRole,
      signedAt: signature.signedAt.toISOString(),
    },
  };
}

export function releasePlanDecided(
  record: SharedRecordEntity,
  decision: RecordSignatureEntity,
  agreed: boolean,
  action: string,
): ReleasePlanDecidedEvent {
  return {
    type: agreed ? EventType.RELEASE_PLAN_AGREED : EventType.RELEASE_PLAN_NOT_AGREED,
    childId: record.childId,
    subjectKind: RecordKind.RELEASE_PLAN,
    subjectId: record.id,
    subjectVersion: decision.version,
    facts: {
      ...factsOf(record, decision.version, action),
      childId: record.childId,
      signatureId: decision.id,
      deciderAgencyId: decision.signerAgencyId,
      deciderRole: decision.signerRole,
      decidedAt: decision.signedAt.toISOString(),
    },
  };
}

export function recordCopySent(record: SharedRecordEntity, copy: RecordCopyEntity, action: string): RecordCopySentEvent {
  return {
    type: EventType.RECORD_COPY_SENT,
    ...subjectOf(record, copy.version),
    facts: {
      ...factsOf(record, copy.version, action),
      childId: record.childId,
      copyId: copy.id,
      recipientAgencyId: copy.recipientAgencyId,
      sentAt: copy.sentAt.toISOString(),
    },
  };
}
