import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from 'src/common/pagination/connection.js';
import { pageSize } from 'src/common/pagination/cursor.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { ChildrenService } from 'src/children/children.service.js';
import { toLegalStatus, toPlacement } from 'src/children/children.mappers.js';
import {
  childEventOf,
  episodeFromSnapshot,
  type LegalStatusEvent,
  type PlacementEvent,
  placementFromSnapshot,
} from 'src/children/children.events.js';
import type { Child, LegalStatusEpisode, Placement } from 'src/children/models/child.model.js';
import { EventType } from 'src/events/event-type.js';
import { Discloser } from 'src/policy/discloser.service.js';
import { PolicyService } from 'src/policy/policy.service.js';
import type { RecordView } from 'src/records/records.mappers.js';
import { RecordReader } from 'src/records/record-reader.service.js';
import { recordEventOf } from 'src/records/records.events.js';
import { PurposeOfUse } from 'src/vocabulary/purpose.js';
import { ChangeFeedRepository, type FeedEvent } from 'src/sync/change-feed.repository.js';
import { ChangeKind } from 'src/sync/change.model.js';

/** A change as the resolver returns it: the values are the policy's disclosed ones. */
export interface ChangeView {
  readonly position: string;
  readonly kind: ChangeKind;
  readonly eventType: string;
  readonly eventId: string;
  readonly occurredAt: Date;
  readonly child: Child;
  readonly record: RecordView | null;
  readonly placement: Placement | null;
  readonly legalStatus: LegalStatusEpisode | null;
}

export interface ChangePage {
  readonly edges: readonly { readonly cursor: string; readonly node: ChangeView }[];
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string };
}

/**
 * Events that are not a change of their own to the child's data: an allocation is who works with
 * the child, an overdue acknowledgement is a reminder, a remand, custodial sentence, release or
 * other court outcome is raised beside the LEGAL_STATUS_CHANGED of the same episode (which the feed
 * carries), and a version reaching FINAL beside the RECORD_PUBLISHED of that version.
 */
const NOT_CHANGES: readonly string[] = [
  EventType.RECORD_FINALISED,
  EventType.WORKER_ALLOCATION_CHANGED,
  EventType.ACKNOWLEDGEMENT_OVERDUE,
  EventType.REMAND_RECORDED,
  EventType.CUSTODY_SENTENCE_RECORDED,
  EventType.RELEASE_RECORDED,
  EventType.COURT_OUTCOME_RECORDED,
  // Derived: the feed carries the legal-status change they follow from, decided field by field;
  // the event type alone would tell a system that may not see legal status that it changed.
  EventType.LOOKED_AFTER_STATUS_CHANGED,
  EventType.LEAD_PROFESSIONAL_CHANGED,
  // A duty's clock is not the child's data: worklists and notifications carry it.
  EventType.OBLIGATION_CHANGED,
];

const POSITION = /^\d{1,18}$/;

/**
 * The change feed: every change to a child, record, placement or legal status that the calling
 * case system may see, in the order the outbox committed them, each projected by the caller's
 * policy as a query would and receipted by the GraphQL receipt hook (the values are disclosed).
 */
@Injectable()
export class SyncService {
  constructor(
    @Inject(ChangeFeedRepository) private readonly feed: ChangeFeedRepository,
    @Inject(PolicyService) private readonly policy: PolicyService,
    @Inject(Discloser) private readonly discloser: Discloser,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(ChildrenService) private readonly children: ChildrenService,
    @Inject(RecordReader) private readonly records: RecordReader,
  ) {}

  async changes(principal: Principal, after: string | null | undefined, first: number | null | undefined): Promise<ChangePage> {
    const purpose = principal.requirePurpose();
    if (!principal.isCaseSystem) {
      throw TandemError.forbidden('The change feed is for case systems: a SYSTEM token, or one delegated to a practitioner');
    }
    // Break-glass opens one child for one person's urgent need, never a standing copy of everything.
    if (purpose === PurposeOfUse.EMERGENCY) throw TandemError.forbidden('The change feed is not read under EMERGENCY');
    const size = pageSize(first, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const from = positionOf(after);
    const horizon = await this.feed.horizon();
    // Writers held the outbox too long to wait for: nothing is certain past `from` yet; ask again.
    if (horizon === null) return { edges: [], pageInfo: { hasNextPage: true, endCursor: from } };
    const rows = await this.feed.between(from, horizon, NOT_CHANGES, size + 1);
    const page = rows.slice(0, size);
    const last = page.at(-1);
    // A short page read everything up to the horizon, so the next read starts there, past the
    // changes this caller may not see as well.
    const endCursor = rows.length > size && last ? last.id : BigInt(horizon) > BigInt(from) ? horizon : from;
    const views = await Promise.all(page.map((row) => this.project(principal, row)));
    return {
      edges: views.flatMap((node) => (node ? [{ cursor: node.position, node }] : [])),
      pageInfo: { hasNextPage: rows.length > size, endCursor },
    };
  }

  /** The change as the caller's policy shows it; null when the caller may not see the child or the thing changed. */
  private async project(principal: Principal, row: FeedEvent): Promise<ChangeView | null> {
    if (!(await this.policy.canSeeChild(principal, row.childId, { forWrite: false }))) return null;
    const child = await this.children.get(principal, row.childId).catch(absentOnRefusal);
    if (!child) return null;
    const base = {
      position: row.id,
      eventType: row.type,
      eventId: row.eventId,
      occurredAt: row.occurredAt,
      child,
      record: null,
      placement: null,
      legalStatus: null,
    };
    const record = recordEventOf(row);
    if (record) {
      const view = await this.records.get(principal, record.subjectId, record.subjectVersion).catch(absentOnRefusal);
      return view ? { ...base, kind: ChangeKind.RECORD, record: view } : null;
    }
    const event = childEventOf(row);
    // A type neither module raises: nothing this feed can project (the router refuses it too).
    if (!event) return null;
    switch (event.type) {
      case EventType.PLACEMENT_CHANGE_PLANNED:
      case EventType.PLACEMENT_CHANGED:
      case EventType.PLACEMENT_CHANGE_CANCELLED:
        // A corrected plan is the same placement at a higher version; a cancelled one has status CANCELLED.
        return { ...base, kind: ChangeKind.PLACEMENT, placement: await this.placement(principal, event) };
      case EventType.LEGAL_STATUS_CHANGED:
      case EventType.REMAND_RECORDED:
      case EventType.CUSTODY_SENTENCE_RECORDED:
      case EventType.RELEASE_RECORDED:
      case EventType.COURT_OUTCOME_RECORDED:
        return { ...base, kind: ChangeKind.LEGAL_STATUS, legalStatus: await this.legalStatus(principal, event) };
      case EventType.CHILD_MERGED:
      case EventType.CHILD_UNMERGED:
      case EventType.LOOKED_AFTER_STATUS_CHANGED:
      case EventType.LEAD_PROFESSIONAL_CHANGED:
        // The child itself changed (its id, or what Tandem derives of it): it is carried as it is now.
        return { ...base, kind: ChangeKind.CHILD };
      case EventType.WORKER_ALLOCATION_CHANGED:
        return null;
      default:
        return unhandled(event);
    }
  }

  /** The placement as the change committed it, projected as the caller's queries would. */
  private async placement(principal: Principal, event: PlacementEvent): Promise<Placement> {
    const snapshot = event.facts.placement;
    const access = await this.policy.childAccess(principal, event.childId);
    return this.discloser.disclose(
      principal,
      await toPlacement(placementFromSnapshot(snapshot), this.directory),
      this.policy.detailAttributes(principal, snapshot.recordedByAgencyId, access),
    );
  }

  private async legalStatus(principal: Principal, event: LegalStatusEvent): Promise<LegalStatusEpisode> {
    const snapshot = event.facts.episode;
    const access = await this.policy.childAccess(principal, event.childId);
    return this.discloser.disclose(
      principal,
      await toLegalStatus(episodeFromSnapshot(snapshot), this.directory),
      this.policy.detailAttributes(principal, snapshot.recordedByAgencyId, access),
    );
  }
}

/** Every event type is handled above: a new one fails to compile until this feed knows what it is. */
function unhandled(event: never): never {
  throw new Error(`No change-feed projection for ${JSON.stringify(event)}`);
}

/**
 * A position from the client: the digits of an outbox id, or the start. An absent argument is
 * `undefined` (graphql-js leaves it out of the arguments), an explicit null is null.
 */
function positionOf(after: string | null | undefined): string {
  if (after === undefined || after === null || after === '') return '0';
  if (!POSITION.test(after)) throw TandemError.badInput('Not a position this feed returned', 'after');
  return after.replace(/^0+(?=\d)/, '');
}

/** Not found and not allowed look the same: the change is one the caller may not see. */
function absentOnRefusal(error: unknown): null {
  if (error instanceof TandemError) return null;
  throw error;
}
