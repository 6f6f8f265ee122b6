import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { optionalText, requireNotBefore } from 'src/common/validation/text.js';
import { londonToday } from 'src/common/time/london.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { ChildrenService } from 'src/children/children.service.js';
import { toLegalStatus } from 'src/children/children.mappers.js';
import { type LegalStatusEvent, legalStatusEvent } from 'src/children/children.events.js';
import type { LegalStatusEpisode } from 'src/children/models/child.model.js';
import type { RecordCourtOutcomeInput, RecordLegalStatusInput } from 'src/children/models/child.inputs.js';
import type { LegalStatusEpisodeEntity } from 'src/children/entities/legal-status-episode.entity.js';
import { LegalStatusRepository, type NewEpisode } from 'src/children/repositories/legal-status.repository.js';
import { ChildResponsibilityService } from 'src/children/responsibility.service.js';
import type { Alteration } from 'src/disclosure/disclosure.service.js';
import { EventType } from 'src/events/event-type.js';
import { UnitOfWork } from 'src/events/unit-of-work.js';
import { Discloser } from 'src/policy/discloser.service.js';
import { recordingRule } from 'src/responsibility/recording.js';
import { ResponsibilityRegistry } from 'src/responsibility/responsibility-registry.service.js';
import {
  AgencyKind,
  CourtOutcome,
  dimensionOf,
  LegalDimension,
  LegalStatusBasis,
  OUTCOME_BASIS,
} from 'src/vocabulary/children.enums.js';

/** The notice each justice basis gives the other service when the YOS records it (001 §6.2–6.5, §7.5; 002 §8.1). */
const NOTICE: Partial<Record<LegalStatusBasis, LegalStatusEvent['type']>> = {
  REMAND_LOCAL_AUTHORITY_ACCOMMODATION: EventType.REMAND_RECORDED,
  REMAND_YOUTH_DETENTION_ACCOMMODATION: EventType.REMAND_RECORDED,
  CUSTODIAL_SENTENCE: EventType.CUSTODY_SENTENCE_RECORDED,
  RELEASED_ON_LICENCE: EventType.RELEASE_RECORDED,
};

/**
 * The justice status each ending outcome follows: a release ends a custodial sentence, the end of a
 * remand ends a remand. Anything else would leave the derived status wrong (a release recorded over
 * a remand would keep the child looked after through it), so it is refused.
 */
const FOLLOWS: Partial<Record<CourtOutcome, readonly (LegalStatusBasis | null)[]>> = {
  RELEASED: [LegalStatusBasis.CUSTODIAL_SENTENCE],
  REMAND_ENDED: [LegalStatusBasis.REMAND_LOCAL_AUTHORITY_ACCOMMODATION, LegalStatusBasis.REMAND_YOUTH_DETENTION_ACCOMMODATION],
  ACQUITTED: [
    null,
    LegalStatusBasis.NONE,
    LegalStatusBasis.BAIL,
    LegalStatusBasis.BAIL_TO_RESIDE_AS_DIRECTED,
    LegalStatusBasis.REMAND_LOCAL_AUTHORITY_ACCOMMODATION,
    LegalStatusBasis.REMAND_YOUTH_DETENTION_ACCOMMODATION,
  ],
  ORDER_COMPLETED: [
    LegalStatusBasis.COMMUNITY_ORDER,
    LegalStatusBasis.RELEASED_ON_LICENCE,
    LegalStatusBasis.OUT_OF_COURT_DISPOSAL,
  ],
};

/**
 * What a justice basis recorded bare (`recordLegalStatus`) may follow: whatever one of the outcomes
 * that give it may follow (a release only a custodial sentence; NONE what an acquittal, the end of a
 * remand or a completed order ends); undefined when some outcome giving it follows anything.
 */
function followsOfBasis(basis: LegalStatusBasis): readonly (LegalStatusBasis | null)[] | undefined {
  // NONE recorded bare closes whatever is open: a sentence quashed on appeal, one recorded in error.
  if (basis === LegalStatusBasis.NONE) return undefined;
  const outcomes = Object.values(CourtOutcome).filter((outcome) => OUTCOME_BASIS[outcome] === basis);
  const lists = outcomes.map((outcome) => FOLLOWS[outcome]);
  if (lists.length === 0 || lists.some((list) => list === undefined)) return undefined;
  return [...new Set(lists.flatMap((list) => list ?? []))];
}

/**
 * The care bases that may follow an open care order: a care order (interim or final) ends only by
 * the court, recorded as NONE (discharged), the order that replaces it, or s20 accommodation the
 * child stays in after the discharge. A child protection
 * enquiry, a child-in-need plan or early help for a child in care is not a change of legal basis: it
 * closed the care order, and the child stopped being looked after (DOMAIN T7, L5; s31, s38).
 */
const CARE_ORDER_FOLLOWED_BY: Partial<Record<LegalStatusBasis, readonly LegalStatusBasis[]>> = {
  INTERIM_CARE_ORDER: [
    LegalStatusBasis.NONE,
    LegalStatusBasis.INTERIM_CARE_ORDER,
    LegalStatusBasis.S31_CARE_ORDER,
    LegalStatusBasis.S20_ACCOMMODATED,
  ],
  S31_CARE_ORDER: [LegalStatusBasis.NONE, LegalStatusBasis.S31_CARE_ORDER, LegalStatusBasis.S20_ACCOMMODATED],
};

const DETENTION: ReadonlySet<LegalStatusBasis> = new Set([
  LegalStatusBasis.REMAND_YOUTH_DETENTION_ACCOMMODATION,
  LegalStatusBasis.CUSTODIAL_SENTENCE,
]);

/**
 * Legal status in the two dimensions the law keeps apart: care bases (recorded by CSC) and
 * justice status (recorded by the YOS, from court outcomes), each a time-ranged history in which a
 * new episode closes the open one of its own dimension only. Who may record which dimension is the
 * authority's policy; looked-after status and the lead professional are derived, never typed in.
 */
@Injectable()
export class LegalStatusService {
  constructor(
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(LegalStatusRepository) private readonly episodes: LegalStatusRepository,
    @Inject(ChildrenService) private readonly children: ChildrenService,
    @Inject(ChildResponsibilityService) private readonly responsibility: ChildResponsibilityService,
    @Inject(ResponsibilityRegistry) private readonly registry: ResponsibilityRegistry,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(Discloser) private readonly discloser: Discloser,
  ) {}

  async record(principal: Principal, input: RecordLegalStatusInput): Promise<LegalStatusEpisode> {
    const own = dimensionOf(input.basis);
    if (own && input.dimension && input.dimension !== own) {
      throw TandemError.badInput(`${input.basis} is a ${own} basis`, 'input.dimension');
    }
    const dimension = own ?? input.dimension;
    if (!dimension) throw TandemError.badInput('Say which dimension NONE closes: CARE or JUSTICE', 'input.dimension');
    const follows = dimension === LegalDimension.JUSTICE ? followsOfBasis(input.basis) : undefined;
    return this.change(
      principal,
      input.childId,
      'recordLegalStatus',
      'input.startDate',
      { label: input.basis, follows },
      {
        dimension,
        basis: input.basis,
        startDate: input.startDate,
        sourceEvent: optionalText(input.sourceEvent, 'input.sourceEvent'),
        outcome: null,
        court: null,
        hearingDate: null,
        nextHearingDate: null,
        conditions: null,
        placeOfDetentionAgencyId: null,
        expectedReleaseDate: null,
        requirements: [],
        assetPlusReference: null,
      },
    );
  }

  /** A court outcome (or release) sets the justice status and tells the other service what the protocols say it must. */
  async recordCourtOutcome(principal: Principal, input: RecordCourtOutcomeInput): Promise<LegalStatusEpisode> {
    const basis = OUTCOME_BASIS[input.outcome];
    const hearingDate = input.hearingDate ?? (input.outcome === CourtOutcome.RELEASED ? null : input.effectiveDate);
    if (hearingDate) requireNotBefore(input.effectiveDate, hearingDate, 'input.effectiveDate');
    if (input.nextHearingDate) requireNotBefore(input.nextHearingDate, input.effectiveDate, 'input.nextHearingDate');
    if (input.expectedReleaseDate) {
      if (basis !== LegalStatusBasis.CUSTODIAL_SENTENCE)
        throw TandemError.badInput('Only a custodial sentence has an expected release date', 'input.expectedReleaseDate');
      requireNotBefore(input.expectedReleaseDate, input.effectiveDate, 'input.expectedReleaseDate');
    }
    if (input.requirements?.length && basis !== LegalStatusBasis.COMMUNITY_ORDER)
      throw TandemError.badInput('Only a community sentence has requirements', 'input.requirements');
    const placeOfDetentionAgencyId = await this.placeOfDetention(input.placeOfDetention ?? null, basis);
    const court = optionalText(input.court, 'input.court');
    if (!court && input.outcome !== CourtOutcome.RELEASED) throw TandemError.badInput('Name the court', 'input.court');
    const follows = { label: input.outcome, follows: FOLLOWS[input.outcome], outcome: input.outcome };
    return this.change(principal, input.childId, 'recordCourtOutcome', 'input.effectiveDate', follows, {
      dimension: LegalDimension.JUSTICE,
      basis,
      startDate: input.effectiveDate,
      sourceEvent: court ? `${input.outcome} at ${court}` : input.outcome,
      outcome: input.outcome,
      court,
      hearingDate,
      nextHearingDate: input.nextHearingDate ?? null,
      conditions: optionalText(input.conditions, 'input.conditions'),
      placeOfDetentionAgencyId,
      expectedReleaseDate: input.expectedReleaseDate ?? null,
      requirements: [...new Set(input.requirements ?? [])],
      assetPlusReference: optionalText(input.assetPlusReference, 'input.assetPlusReference'),
    });
  }

  private async change(
    principal: Principal,
    childId: string,
    action: string,
    startField: string,
    ending: {
      readonly label: string;
      readonly follows: readonly (LegalStatusBasis | null)[] | undefined;
      readonly outcome?: CourtOutcome;
    },
    episode: Omit<NewEpisode, 'childId' | 'recordedBy' | 'recordedByAgencyId'>,
  ): Promise<LegalStatusEpisode> {
    const child = await this.children.get(principal, childId, { forWrite: true });
    if (episode.startDate < child.dateOfBirth) {
      throw TandemError.badInput('A legal status cannot start before the child was born', startField);
    }
    // Derived status is computed from what has happened: a court date to come is a next hearing, a release to come an expected release date.
    if (episode.startDate > londonToday()) {
      throw TandemError.badInput('A legal status is recorded once it has started (today or earlier)', startField);
    }
    await this.requireRecorder(principal, childId, episode.dimension);
    const saved = await this.unitOfWork.run(principal, (work) =>
      this.responsibility.tracking(work, childId, async () => {
        const open = await this.episodes.findOpenForUpdate(work.manager, childId, episode.dimension);
        if (ending.follows && !ending.follows.includes(open?.basis ?? null)) {
          throw TandemError.badInput(
            `${ending.label} cannot follow ${open ? `the current ${open.basis}` : 'no current justice status'}`,
            ending.outcome ? 'input.outcome' : 'input.basis',
          );
        }
        const afterOrder = open ? CARE_ORDER_FOLLOWED_BY[open.basis] : undefined;
        if (afterOrder && !afterOrder.includes(episode.basis)) {
          throw TandemError.badInput(
            `${episode.basis} cannot follow the current ${open?.basis ?? ''}: a care order ends by the court (record NONE when it is discharged, or the order that replaces it)`,
            'input.basis',
          );
        }
        if (open) {
          requireNotBefore(episode.startDate, open.startDate, startField);
          await this.episodes.close(work.manager, open.id, episode.startDate);
          work.altered(alteration(action, open));
        }
        const inserted = await this.episodes.insert(work.manager, {
          ...episode,
          childId,
          recordedBy: principal.subject,
          recordedByAgencyId: principal.agency.id,
        });
        work.altered(alteration(action, inserted));
        const previousBasis = open?.basis ?? null;
        work.emit(legalStatusEvent(EventType.LEGAL_STATUS_CHANGED, inserted, previousBasis));
        // The YOS tells children's social care of what the court decided (001 §6.2–6.5, §7.5; 002 §8.1).
        if (principal.agency.kind === AgencyKind.YOUTH_JUSTICE && inserted.dimension === LegalDimension.JUSTICE) {
          const notice = NOTICE[inserted.basis] ?? (ending.outcome ? EventType.COURT_OUTCOME_RECORDED : undefined);
          if (notice) work.emit(legalStatusEvent(notice, inserted, previousBasis));
        }
        return inserted;
      }),
    );
    return this.discloser.discloseWritten(principal, await toLegalStatus(saved, this.directory));
  }

  /** Care bases by CSC, justice status by the YOS, as the child's authority's policy says (refused otherwise). */
  private async requireRecorder(principal: Principal, childId: string, dimension: LegalDimension): Promise<void> {
    const recorder = await this.responsibility.recorderOf(childId, principal.agency.id);
    const policy = this.registry.forAuthority(recorder.authority);
    if (
      !recordingRule(policy, dimension, {
        agencyKind: principal.agency.kind,
        involvementRoles: recorder.involvementRoles,
        heldRoles: recorder.heldRoles,
        authorityId: principal.agency.localAuthorityId,
        childsAuthorityId: recorder.homeAuthorityId,
      })
    ) {
      throw TandemError.forbidden(
        `${principal.agency.kind} may not record the ${dimension} dimension of legal status under ${policy.id}@v${policy.version} (${dimension === LegalDimension.CARE ? 'care bases are recorded by children’s social care' : 'justice status is recorded by the home YOS, not a host YOS caretaking'})`,
      );
    }
  }

  private async placeOfDetention(code: string | null, basis: LegalStatusBasis): Promise<string | null> {
    if (!code) return null;
    if (!DETENTION.has(basis))
      throw TandemError.badInput(
        'A place of detention goes with a remand to YDA or a custodial sentence',
        'input.placeOfDetention',
      );
    const agency = await this.directory.agencyByCode(code);
    if (!agency || agency.kind !== AgencyKind.SECURE_ESTATE)
      throw TandemError.badInput('Not a secure establishment in the directory', 'input.placeOfDetention');
    return agency.id;
  }
}

/** Episodes are not versioned: closing one or opening one is logged without versions. */
function alteration(action: string, episode: LegalStatusEpisodeEntity): Alteration {
  return {
    action,
    childId: episode.childId,
    kind: 'LEGAL_STATUS',
    id: episode.id,
    versionBefore: null,
    versionAfter: null,
    owningAgencyId: episode.recordedByAgencyId,
  };
}
