import type { DomainEventEntity } from 'src/events/domain-event.entity.js';
import { CLOUD_EVENT_TYPE, type EventType } from 'src/events/event-type.js';
import type { AllocatedWorker } from 'src/notifications/notifications.repository.js';

interface AudienceWorker {
  readonly subject: string;
  readonly name: string;
  readonly role: string;
}

export interface Audience {
  /** The receiving agency's first allocated worker (its case holder, usually). */
  readonly allocatedWorker: AudienceWorker | null;
  /** Every worker of the receiving agency allocated to the child: the social worker, IRO, PA… */
  readonly allocatedWorkers: readonly AudienceWorker[];
  /** The receiving team's queue, so an absence never drops a notification (DECISIONS §10). */
  readonly teamQueue: string;
}

/**
 * The allocated workers of the receiving agency, and the queue: the first worker's team, or the
 * agency's front door (its directory team's code) when nobody is allocated.
 */
export function audienceOf(
  workers: readonly AllocatedWorker[],
  agency: { readonly id: string; readonly frontDoorTeam: { readonly code: string } | null },
): Audience {
  const allocated = workers
    .filter((candidate) => candidate.agencyId === agency.id)
    .map((worker) => ({ subject: worker.subject, name: worker.name, role: worker.role, team: worker.team }));
  const [first] = allocated;
  return {
    allocatedWorker: first ? { subject: first.subject, name: first.name, role: first.role } : null,
    allocatedWorkers: allocated.map(({ subject, name, role }) => ({ subject, name, role })),
    teamQueue: first?.team ?? agency.frontDoorTeam?.code ?? 'FRONT_DOOR',
  };
}

const SUBJECT_KEY: Readonly<Record<string, string>> = {
  PLACEMENT: 'placement',
  LEGAL_STATUS: 'legalStatus',
  LOOKED_AFTER_STATUS: 'lookedAfterStatus',
  LEAD_PROFESSIONAL: 'leadProfessional',
  ALLOCATION: 'allocation',
  CHILD_MERGE: 'merge',
  OBLIGATION: 'obligation',
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
