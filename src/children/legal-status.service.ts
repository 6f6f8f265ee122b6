import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from 'src/auth/principal.js';
import { optionalText, requireNotBefore } from 'src/common/validation/text.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { ChildrenService } from 'src/children/children.service.js';
import { toLegalStatus } from 'src/children/children.mappers.js';
import type { LegalStatusEpisode } from 'src/children/models/child.model.js';
import type { RecordLegalStatusInput } from 'src/children/models/child.inputs.js';
import type { LegalStatusEpisodeEntity } from 'src/children/entities/legal-status-episode.entity.js';
import { LegalStatusRepository } from 'src/children/repositories/legal-status.repository.js';
import { DisclosureService } from 'src/disclosure/disclosure.service.js';
import { AgencyKind, LegalStatusBasis } from 'src/vocabulary/children.enums.js';
import { EventType } from 'src/events/event-type.js';
import { OutboxService } from 'src/events/outbox.service.js';

const REMANDS: ReadonlySet<string> = new Set([
  LegalStatusBasis.REMAND_LOCAL_AUTHORITY_ACCOMMODATION,
  LegalStatusBasis.REMAND_YOUTH_DETENTION_ACCOMMODATION,
]);

/** Legal status as time-ranged episodes: a new status closes the open one on its start date. */
@Injectable()
export class LegalStatusService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(LegalStatusRepository) private readonly episodes: LegalStatusRepository,
    @Inject(ChildrenService) private readonly children: ChildrenService,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(DisclosureService) private readonly disclosure: DisclosureService,
    @Inject(OutboxService) private readonly outbox: OutboxService,
  ) {}

  async record(principal: Principal, input: RecordLegalStatusInput): Promise<LegalStatusEpisode> {
    await this.children.requireVisible(principal, input.childId);
    const sourceEvent = optionalText(input.sourceEvent, 'input.sourceEvent');
    const saved = await this.dataSource.transaction(async (manager) => {
      const alteration = (episode: LegalStatusEpisodeEntity) =>
        this.disclosure.recordAlteration(manager, principal, {
          action: 'recordLegalStatus',
          childId: episode.childId,
          kind: 'LEGAL_STATUS',
          id: episode.id,
          versionBefore: null,
          versionAfter: null,
          owningAgencyId: episode.recordedByAgencyId,
        });
      const open = await this.episodes.findOpenForUpdate(manager, input.childId);
      if (open) {
        requireNotBefore(input.startDate, open.startDate, 'input.startDate');
        await this.episodes.close(manager, open.id, input.startDate);
        await alteration(open);
      }
      const episode = await this.episodes.insert(manager, {
        childId: input.childId,
        basis: input.basis,
        startDate: input.startDate,
        sourceEvent,
        recordedBy: principal.subject,
        recordedByAgencyId: principal.agency.id,
      });
      await alteration(episode);
      const facts = {
        episode: {
          id: episode.id,
          childId: episode.childId,
          basis: episode.basis,
          startDate: episode.startDate,
          endDate: episode.endDate,
          sourceEvent: episode.sourceEvent,
          recordedBy: episode.recordedBy,
          recordedByAgencyId: episode.recordedByAgencyId,
          recordedAt: episode.recordedAt.toISOString(),
        },
        previousBasis: open?.basis ?? null,
      };
      const raise = (type: EventType) =>
        this.outbox.record(manager, principal, {
          type,
          childId: episode.childId,
          subjectKind: 'LEGAL_STATUS',
          subjectId: episode.id,
          subjectVersion: null,
          facts,
        });
      await raise(EventType.LEGAL_STATUS_CHANGED);
      // The YOS tells children's social care of a remand or a custodial sentence (001 §6.2–6.5, §7.5).
      if (principal.agency.kind === AgencyKind.YOUTH_JUSTICE) {
        if (REMANDS.has(episode.basis)) await raise(EventType.REMAND_RECORDED);
        if (episode.basis === LegalStatusBasis.CUSTODIAL_SENTENCE) await raise(EventType.CUSTODY_SENTENCE_RECORDED);
      }
      return episode;
    });
    return toLegalStatus(saved, this.directory);
  }
}
