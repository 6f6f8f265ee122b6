import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { optionalText, requireNotBefore } from 'src/common/validation/text.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { ChildrenService } from 'src/children/children.service.js';
import { toLegalStatus } from 'src/children/children.mappers.js';
import { legalStatusEvent } from 'src/children/children.events.js';
import type { LegalStatusEpisode } from 'src/children/models/child.model.js';
import type { RecordLegalStatusInput } from 'src/children/models/child.inputs.js';
import type { LegalStatusEpisodeEntity } from 'src/children/entities/legal-status-episode.entity.js';
import { LegalStatusRepository } from 'src/children/repositories/legal-status.repository.js';
import type { Alteration } from 'src/disclosure/disclosure.service.js';
import { AgencyKind, LegalStatusBasis } from 'src/vocabulary/children.enums.js';
import { EventType } from 'src/events/event-type.js';
import { Discloser } from 'src/policy/discloser.service.js';
import { UnitOfWork } from 'src/events/unit-of-work.js';

const REMANDS: ReadonlySet<string> = new Set([
  LegalStatusBasis.REMAND_LOCAL_AUTHORITY_ACCOMMODATION,
  LegalStatusBasis.REMAND_YOUTH_DETENTION_ACCOMMODATION,
]);

/** Legal status as time-ranged episodes: a new status closes the open one on its start date. */
@Injectable()
export class LegalStatusService {
  constructor(
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(LegalStatusRepository) private readonly episodes: LegalStatusRepository,
    @Inject(ChildrenService) private readonly children: ChildrenService,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(Discloser) private readonly discloser: Discloser,
  ) {}

  async record(principal: Principal, input: RecordLegalStatusInput): Promise<LegalStatusEpisode> {
    await this.children.requireVisible(principal, input.childId);
    const sourceEvent = optionalText(input.sourceEvent, 'input.sourceEvent');
    const saved = await this.unitOfWork.run(principal, async (work) => {
      const open = await this.episodes.findOpenForUpdate(work.manager, input.childId);
      if (open) {
        requireNotBefore(input.startDate, open.startDate, 'input.startDate');
        await this.episodes.close(work.manager, open.id, input.startDate);
        work.altered(alteration(open));
      }
      const episode = await this.episodes.insert(work.manager, {
        childId: input.childId,
        basis: input.basis,
        startDate: input.startDate,
        sourceEvent,
        recordedBy: principal.subject,
        recordedByAgencyId: principal.agency.id,
      });
      work.altered(alteration(episode));
      const previousBasis = open?.basis ?? null;
      work.emit(legalStatusEvent(EventType.LEGAL_STATUS_CHANGED, episode, previousBasis));
      // The YOS tells children's social care of a remand or a custodial sentence (001 §6.2–6.5, §7.5).
      if (principal.agency.kind === AgencyKind.YOUTH_JUSTICE) {
        if (REMANDS.has(episode.basis)) work.emit(legalStatusEvent(EventType.REMAND_RECORDED, episode, previousBasis));
        if (episode.basis === LegalStatusBasis.CUSTODIAL_SENTENCE) {
          work.emit(legalStatusEvent(EventType.CUSTODY_SENTENCE_RECORDED, episode, previousBasis));
        }
      }
      return episode;
    });
    return this.discloser.discloseWritten(principal, await toLegalStatus(saved, this.directory));
  }
}

/** Episodes are not versioned: closing one or opening one is logged without versions. */
function alteration(episode: LegalStatusEpisodeEntity): Alteration {
  return {
    action: 'recordLegalStatus',
    childId: episode.childId,
    kind: 'LEGAL_STATUS',
    id: episode.id,
    versionBefore: null,
    versionAfter: null,
    owningAgencyId: episode.recordedByAgencyId,
  };
}
