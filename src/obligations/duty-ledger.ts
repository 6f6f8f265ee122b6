import type { Work } from 'src/events/unit-of-work.js';
import type { ObligationEntity } from 'src/obligations/entities/obligation.entity.js';
import type { ObligationRepository } from 'src/obligations/obligation.repository.js';
import { type ObligationState } from 'src/obligations/obligation-state.js';
import { obligationChanged } from 'src/obligations/obligations.events.js';

/** The subject the clock and the evidence act as in a duty's history. */
export const DUTIES_ACTOR = 'tandem:obligations';

/**
 * Writes one transition of a duty inside the change: the row, its history entry, its alteration
 * receipt and the OBLIGATION_CHANGED event that tells whoever must act (the owner, or the level an
 * escalation reaches).
 */
export async function recordTransition(
  repository: ObligationRepository,
  work: Work,
  row: ObligationEntity,
  from: ObligationState | null,
  at: Date,
  by: string,
  reason: string,
  audience = 'OWNER',
): Promise<ObligationEntity> {
  const saved = from === null ? row : await repository.save(work.manager, row);
  await repository.transition(work.manager, { obligationId: saved.id, fromState: from, toState: saved.state, at, by, reason });
  work.altered({
    action: from === null ? 'openObligation' : `obligation${saved.state}`,
    childId: saved.childId,
    kind: 'OBLIGATION',
    id: saved.id,
    versionBefore: from === null ? null : saved.version - 1,
    versionAfter: saved.version,
    owningAgencyId: saved.ownerAgencyId,
  });
  work.emit(obligationChanged(saved, from, audience, reason));
  return saved;
}
