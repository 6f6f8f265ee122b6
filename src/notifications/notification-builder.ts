import type { DomainEventEntity } from 'src/events/domain-event.entity.js';
import { CLOUD_EVENT_TYPE, type EventType } from 'src/events/event-type.js';
import type { AllocatedWorker } from 'src/notifications/notifications.repository.js';

export interface Audience {
  readonly allocatedWorker: { readonly subject: string; readonly name: string; readonly role: string } | null;
  /** The receiving team's queue, so an absence never drops a notification (DECISIONS §10). */
  readonly teamQueue: string;
}

/** The allocated worker of the receiving agency, and the queue: their team, or the front door when nobody is allocated. */
export function audienceOf(workers: readonly AllocatedWorker[], agencyId: string): Audience {
  const worker = workers.find((candidate) => candidate.agencyId === agencyId);
  return {
    allocatedWorker: worker ? { subject: worker.subject, name: worker.name, role: worker.role } : null,
    teamQueue: worker?.team ?? 'FRONT_DOOR',
  };
}

const SUBJECT_KEY: Readonly<Record<string, string>> = {
  PLACEMENT: 'placement',
  LEGAL_STATUS: 'legalStatus',
  ALLOCATION: 'allocation',
  CHILD_MERGE: 'merge',
};

/** A CloudEvents 1.0 (structured JSON) body; `sequence` is the recipient's sequence number. */
export function cloudEvent(input: {
  readonly notificationId: string;
  readonly seq: string;
  readonly type: EventType;
  readonly event: DomainEventEntity;
  readonly recipient: { readonly caseSystem: string; readonly agency: string };
  readonly data: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: input.notificationId,
    source: 'urn:tandem:gateway',
    type: CLOUD_EVENT_TYPE[input.type],
    subject: `child/${input.event.childId}`,
    time: input.event.occurredAt.toISOString(),
    datacontenttype: 'application/json',
    sequence: input.seq,
    tandemeventid: input.event.eventId,
    tandemrecipient: input.recipient.caseSystem,
    data: input.data,
  };
}

export function subjectKey(subjectKind: string): string {
  return SUBJECT_KEY[subjectKind] ?? 'record';
}
