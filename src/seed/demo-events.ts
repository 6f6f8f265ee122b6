import type { EntityManager } from 'typeorm';
import { Principal } from 'src/auth/principal.js';
import { legalStatusEvent } from 'src/children/children.events.js';
import { LegalStatusEpisodeEntity } from 'src/children/entities/legal-status-episode.entity.js';
import { DomainEventEntity } from 'src/events/domain-event.entity.js';
import { OutboxService } from 'src/events/outbox.service.js';
import { derivedId } from 'src/seed/child-factory.js';
import type { DemoChild } from 'src/seed/demo-children.js';
import { DEMO_AGENCIES, DEMO_CASE_SYSTEMS, demoUser } from 'src/seed/demo-directory.js';
import { dimensionOf, LegalDimension } from 'src/vocabulary/children.enums.js';
import { PurposeOfUse } from 'src/vocabulary/purpose.js';

/**
 * Writes the events of the demo history recorded through Tandem (legal-status episodes with
 * `raises`, already inserted by `insertChild`) as the legal-status service writes them: built by
 * the same event builder from the committed episode, through the outbox, in the seed's transaction,
 * recorded by the demo user who recorded the episode. Whatever reads the outbox then reads them like
 * any other: the duties engine opens the duties they trigger, the change feed lists them.
 *
 * They are written as already routed: in the demo's story the other service was told when it
 * happened, before this database existed, so no case system is notified (or asked to acknowledge)
 * again at every start, and the webhook and feed counts of the tests that load the demo data stay
 * their own. Returns how many events were written.
 */
export async function recordDemoEvents(manager: EntityManager, children: readonly DemoChild[]): Promise<number> {
  const outbox = new OutboxService();
  const written: string[] = [];
  for (const child of children) {
    for (const [index, episode] of child.legalStatus.entries()) {
      if (!episode.raises?.length) continue;
      // The row as `insertChild` committed it, so the event carries exactly what is stored.
      const row = await manager.getRepository(LegalStatusEpisodeEntity).findOneByOrFail({ id: derivedId(child.id, 4, index) });
      // The basis it replaced in its own dimension, as the service reads the open episode it closes.
      const previous = child.legalStatus
        .slice(0, index)
        .filter((earlier) => (dimensionOf(earlier.basis) ?? LegalDimension.CARE) === row.dimension)
        .at(-1);
      const principal = recorderOf(episode.by, `demo-seed-${row.id}`);
      for (const type of episode.raises) {
        written.push(await outbox.record(manager, principal, legalStatusEvent(type, row, previous?.basis ?? null)));
      }
    }
  }
  if (written.length > 0) {
    await manager
      .createQueryBuilder()
      .update(DomainEventEntity)
      .set({ routedAt: () => 'now()' })
      .where('event_id IN (:...written)', { written })
      .execute();
  }
  return written.length;
}

/** The demo user as the principal of the request that recorded the episode, at their case system. */
function recorderOf(subject: string, correlationId: string): Principal {
  const user = demoUser(subject);
  const agency = DEMO_AGENCIES.find((candidate) => candidate.code === user?.agency);
  const caseSystem = DEMO_CASE_SYSTEMS.find((candidate) => candidate.code === user?.caseSystem);
  if (!user || !agency || !caseSystem) throw new Error(`Demo data refers to unknown user ${subject}`);
  return new Principal(
    user.subject,
    user.name,
    { id: agency.id, code: agency.code, kind: agency.kind, localAuthorityId: agency.localAuthorityId },
    { id: caseSystem.id, code: caseSystem.code },
    user.roles,
    { header: PurposeOfUse.CASE_MANAGEMENT, justification: undefined, correlationId },
  );
}
