import { z } from 'zod';
import { type DomainEvent, eventOf, eventShape, type StoredEvent } from 'src/events/domain-event.js';
import { EventType } from 'src/events/event-type.js';
import { ObligationState } from 'src/obligations/obligation-state.js';
import type { ObligationEntity } from 'src/obligations/entities/obligation.entity.js';

/** A duty as one of its transitions left it; who must hear (the owner, or the next level up). */
const obligationSnapshot = z.object({
  id: z.string(),
  childId: z.string(),
  definitionId: z.string(),
  policy: z.string(),
  title: z.string(),
  citation: z.string(),
  state: z.nativeEnum(ObligationState),
  previousState: z.nativeEnum(ObligationState).nullable(),
  dueAt: z.string(),
  dueExplanation: z.string(),
  ownerAgencyId: z.string(),
  ownerName: z.string().nullable(),
  ownerTeam: z.string().nullable(),
  escalationLevel: z.number(),
  /** OWNER, or the escalation level that must act: TEAM_MANAGER, HEAD_OF_SERVICE. */
  audience: z.string(),
  reason: z.string(),
});
export type ObligationSnapshot = z.infer<typeof obligationSnapshot>;

const OBLIGATION_EVENTS = eventShape({
  types: [EventType.OBLIGATION_CHANGED],
  kinds: ['OBLIGATION'],
  facts: z.object({ obligation: obligationSnapshot }),
});

export type ObligationEvent = DomainEvent<EventType.OBLIGATION_CHANGED, 'OBLIGATION', { obligation: ObligationSnapshot }>;

export function obligationEventOf(stored: StoredEvent): ObligationEvent | null {
  return eventOf(stored, OBLIGATION_EVENTS);
}

export function obligationChanged(
  row: ObligationEntity,
  previousState: ObligationState | null,
  audience: string,
  reason: string,
): ObligationEvent {
  return {
    type: EventType.OBLIGATION_CHANGED,
    childId: row.childId,
    subjectKind: 'OBLIGATION',
    subjectId: row.id,
    subjectVersion: null,
    facts: {
      obligation: {
        id: row.id,
        childId: row.childId,
        definitionId: row.definitionId,
        policy: row.policy,
        title: row.title,
        citation: row.citation,
        state: row.state,
        previousState,
        dueAt: row.dueAt.toISOString(),
        dueExplanation: row.dueExplanation,
        ownerAgencyId: row.ownerAgencyId,
        ownerName: row.ownerName,
        ownerTeam: row.ownerTeam,
        escalationLevel: row.escalationLevel,
        audience,
        reason,
      },
    },
  };
}
