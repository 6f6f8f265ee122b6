import { Inject, Injectable } from '@nestjs/common';
import { Principal } from 'src/auth/principal.js';
import { Role } from 'src/auth/roles.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { toLegalStatus, toPlacement } from 'src/children/children.mappers.js';
import {
  type AllocationEvent,
  type ChildEvent,
  childEventOf,
  episodeFromSnapshot,
  type LegalStatusEvent,
  type MergeEvent,
  type PlacementEvent,
  placementFromSnapshot,
} from 'src/children/children.events.js';
import { SensitivityClass } from 'src/vocabulary/sensitivity/sensitivity-class.js';
import type { Disclosure } from 'src/policy/disclosed.js';
import { Discloser } from 'src/policy/discloser.service.js';
import type { Withheld } from 'src/policy/projection.js';
import { type DisclosedPart, disclosedPart } from 'src/disclosure/receipt-parts.js';
import type { ReceiptBasis, ReceiptWithheld } from 'src/disclosure/receipt.js';
import type { ChildAccess } from 'src/policy/access-subject.js';
import { PolicyService } from 'src/policy/policy.service.js';
import { PurposeOfUse } from 'src/vocabulary/purpose.js';
import { RecordReader } from 'src/records/record-reader.service.js';
import { type RecordEvent, recordEventOf } from 'src/records/records.events.js';
import type { DomainEventEntity } from 'src/events/domain-event.entity.js';
import { EventType } from 'src/events/event-type.js';

/** What each delivery of a notification discloses, for its receipt. */
export interface DeliveryReceipt {
  readonly kind: string;
  readonly id: string;
  readonly version: number | null;
  readonly owningAgencyId: string | null;
  readonly disclosed: readonly string[];
  readonly withheld: readonly ReceiptWithheld[];
  readonly bases: readonly ReceiptBasis[];
}

export interface RecipientView {
  readonly child: Record<string, unknown>;
  readonly subject: Record<string, unknown>;
  readonly receipt: DeliveryReceipt;
}

/** The principal a case system acts as when it receives its agency's notifications. */
export function systemPrincipal(
  caseSystem: { id: string; code: string; name: string },
  agency: { id: string; code: string; kind: Principal['agency']['kind']; localAuthorityId: string | null },
  correlationId: string,
): Principal {
  return new Principal(`system:${caseSystem.code}`, caseSystem.name, agency, caseSystem, [Role.SYSTEM], {
    header: PurposeOfUse.CASE_MANAGEMENT,
    justification: undefined,
    correlationId,
  });
}

/** Every event a module raises, as the dispatcher reads it back from the outbox. */
type NotifiedEvent = ChildEvent | RecordEvent;

/** The stored event as the module that raised it typed it; a type no module raises is a defect. */
function notifiedEvent(stored: DomainEventEntity): NotifiedEvent {
  const event = childEventOf(stored) ?? recordEventOf(stored);
  if (!event) throw new Error(`Domain event ${stored.eventId} has a type no module raises (${stored.type})`);
  return event;
}

function unhandled(event: never): never {
  throw new Error(`No recipient view for ${JSON.stringify(event)}`);
}

/** Who receives a view and what they may see of the child, decided once per render. */
interface Recipient {
  readonly principal: Principal;
  readonly child: Record<string, unknown>;
  readonly access: ChildAccess;
}

/** The child's identity, disclosed with every notification under the child's identity grant. */
const CHILD_PATHS = ['child.id', 'child.givenName', 'child.familyName', 'child.dateOfBirth'];
const WITH_CHILD = { alongside: CHILD_PATHS, alongsideClasses: [SensitivityClass.IDENTITY_BASIC] };

/**
 * What one recipient may see of an event, decided by the same policy as its queries: nothing if
 * it may not see the child or the thing that changed, else the snapshot with each field the policy
 * withholds set to null and listed.
 */
@Injectable()
export class RecipientViews {
  constructor(
    @Inject(PolicyService) private readonly policy: PolicyService,
    @Inject(Discloser) private readonly discloser: Discloser,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(RecordReader) private readonly records: RecordReader,
  ) {}

  async render(
    stored: DomainEventEntity,
    principal: Principal,
    identity: { givenName: string; familyName: string; dateOfBirth: string } | undefined,
  ): Promise<RecipientView | null> {
    if (!identity || !(await this.policy.canSeeChild(principal, stored.childId, { forWrite: false }))) return null;
    const child = { id: stored.childId, ...identity };
    const access = await this.policy.childAccess(principal, stored.childId);
    const recipient: Recipient = { principal, child, access };
    const event = notifiedEvent(stored);
    switch (event.type) {
      case EventType.PLACEMENT_CHANGE_PLANNED:
      case EventType.PLACEMENT_CHANGED:
        return this.placement(event, recipient);
      case EventType.LEGAL_STATUS_CHANGED:
      case EventType.REMAND_RECORDED:
      case EventType.CUSTODY_SENTENCE_RECORDED:
        return this.legalStatus(event, recipient);
      case EventType.WORKER_ALLOCATION_CHANGED:
        return this.allocation(event, recipient);
      case EventType.RECORD_PUBLISHED:
        return this.record(event, recipient);
      case EventType.CHILD_MERGED:
      case EventType.CHILD_UNMERGED:
        return this.merge(event, recipient);
      default:
        return unhandled(event);
    }
  }

  private async placement(event: PlacementEvent, { principal, child, access }: Recipient): Promise<RecipientView> {
    const snapshot = event.facts.placement;
    const view = await toPlacement(placementFromSnapshot(snapshot), this.directory);
    const placement = await this.discloser.disclose(
      principal,
      view,
      this.policy.detailAttributes(principal, snapshot.recordedByAgencyId, access),
    );
    return this.view(child, plain({ ...placement }), placement.disclosure, placement.withheld);
  }

  private async legalStatus(event: LegalStatusEvent, { principal, child, access }: Recipient): Promise<RecipientView> {
    const snapshot = event.facts.episode;
    const view = await toLegalStatus(episodeFromSnapshot(snapshot), this.directory);
    const episode = await this.discloser.disclose(
      principal,
      view,
      this.policy.detailAttributes(principal, snapshot.recordedByAgencyId, access),
    );
    const subject = plain({ ...episode, previousBasis: event.facts.previousBasis });
    return this.view(child, subject, episode.disclosure, episode.withheld);
  }

  private async allocation(event: AllocationEvent, { principal, child }: Recipient): Promise<RecipientView> {
    const allocation = event.facts.allocation;
    const agency = await this.directory.agency(allocation.agencyId);
    const subject = { ...allocation, agency: { code: agency.code, name: agency.name }, withheld: [] };
    // An allocation's fields carry no class of their own: it leaves under the child's identity grant.
    const disclosure = await this.discloser.discloseUnlabelled(principal, {
      kind: 'ALLOCATION',
      id: event.subjectId,
      childId: event.childId,
      version: null,
      owningAgencyId: allocation.agencyId,
    });
    return this.view(child, plain(subject), disclosure, []);
  }

  /** A merge or unmerge: the two ids and the undo period, under the child's identity grant (they carry no class of their own). */
  private async merge(event: MergeEvent, { principal, child }: Recipient): Promise<RecipientView> {
    const disclosure = await this.discloser.discloseUnlabelled(principal, {
      kind: 'CHILD_MERGE',
      id: event.subjectId,
      childId: event.childId,
      version: null,
      owningAgencyId: null,
    });
    return this.view(child, plain({ ...event.facts.merge, withheld: [] }), disclosure, []);
  }

  /** A shared record: metadata only, and only if the recipient may see the record at all. */
  private async record(event: RecordEvent, { principal, child }: Recipient): Promise<RecipientView | null> {
    const record = await this.records.get(principal, event.subjectId, event.subjectVersion).catch((error: unknown) => {
      if (error instanceof TandemError) return null;
      throw error;
    });
    if (!record) return null;
    const owner = record.owningAgency as { code: string; name: string } | null;
    const subject = {
      id: record.id,
      kind: record.kind,
      category: record.category,
      version: record.version,
      owningAgency: owner ? { code: owner.code, name: owner.name } : null,
      versionCreatedAt: record.versionCreatedAt.toISOString(),
      withheld: [],
    };
    // Metadata only, all of it case administration, under the child's identity grant.
    const part = disclosedPart(record.disclosure, [], [], {
      alongside: [...CHILD_PATHS, 'kind', 'category', 'version', 'owningAgency', 'versionCreatedAt'],
      alongsideClasses: [SensitivityClass.CASE_ADMINISTRATION],
    });
    return { child, subject, receipt: deliveryReceiptOf(part) };
  }

  /** The recipient's view with its receipt: the paths the subject carries, less what the policy withheld. */
  private view(
    child: Record<string, unknown>,
    subject: Record<string, unknown>,
    disclosure: Disclosure,
    withheld: readonly Withheld[],
  ): RecipientView {
    const blocked = new Set(withheld.map((item) => item.field));
    const paths = leafPaths(subject).filter(
      (path) => !path.startsWith('withheld') && ![...blocked].some((field) => path === field || path.startsWith(`${field}.`)),
    );
    const receiptWithheld = withheld.map((item) => ({ field: item.field, reason: item.reason, rule: item.rule }));
    return { child, subject, receipt: deliveryReceiptOf(disclosedPart(disclosure, paths, receiptWithheld, WITH_CHILD)) };
  }
}

function deliveryReceiptOf(part: DisclosedPart): DeliveryReceipt {
  const { record } = part;
  if (!record) throw new Error('A notification receipt names the thing it discloses');
  return { ...record, disclosed: part.disclosed, withheld: part.withheld, bases: part.bases };
}

/** A JSON-safe copy: dates as ISO strings, nested agencies and areas as code and name. */
function plain(value: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item instanceof Date) result[key] = item.toISOString();
    else if (item && typeof item === 'object' && !Array.isArray(item) && 'code' in item) {
      const named = item as { code: string; name?: string };
      result[key] = { code: named.code, name: named.name ?? null };
    } else result[key] = item;
  }
  return result;
}

/** The leaf field paths of a JSON value that carry a value (null counts: its absence is disclosed). */
function leafPaths(value: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, item]) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? leafPaths(item as Record<string, unknown>, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}
