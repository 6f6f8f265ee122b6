import { type Locating, locatingFor } from 'src/policy/contact-restriction.js';
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
  type LeadEvent,
  type LeadSnapshot,
  type LegalStatusEvent,
  type LookedAfterEvent,
  type MergeEvent,
  type PlacementEvent,
  placementFromSnapshot,
} from 'src/children/children.events.js';
import { SensitivityClass } from 'src/vocabulary/sensitivity/sensitivity-class.js';
import { type Described, describe, type Disclosed, type Disclosure } from 'src/policy/disclosed.js';
import { Discloser } from 'src/policy/discloser.service.js';
import type { Withheld } from 'src/policy/projection.js';
import type { ReferralTerms } from 'src/policy/referral-policy.js';
import { type DisclosedPart, disclosedPart, type PartOptions } from 'src/disclosure/receipt-parts.js';
import type { ReceiptBasis, ReceiptWithheld } from 'src/disclosure/receipt.js';
import type { ChildAccess } from 'src/policy/access-subject.js';
import { PolicyService } from 'src/policy/policy.service.js';
import { PurposeOfUse } from 'src/vocabulary/purpose.js';
import { describedSnapshot } from 'src/obligations/obligation-snapshot.js';
import { type ObligationEvent, obligationEventOf } from 'src/obligations/obligations.events.js';
import { RecordReader } from 'src/records/record-reader.service.js';
import { type RecordEvent, recordEventOf } from 'src/records/records.events.js';
import type { DomainEventEntity } from 'src/events/domain-event.entity.js';
import { EventType } from 'src/events/event-type.js';
import { LeadChange, type LeadChoice, LookedAfterChange } from 'src/notifications/derived-facts.js';

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
  /** C10: the agency that recorded the event is where the child is, so the envelope must not name it (nor who recorded it). */
  readonly recorderWithheld?: boolean;
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
type NotifiedEvent = ChildEvent | RecordEvent | ObligationEvent;

/** The stored event as the module that raised it typed it; a type no module raises is a defect. */
function notifiedEvent(stored: DomainEventEntity): NotifiedEvent {
  const event = childEventOf(stored) ?? recordEventOf(stored) ?? obligationEventOf(stored);
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

/** How a view's subject is decided: by the recipient's own policy, or by a notice clause. */
type Decide = <T extends object>(
  value: Described<T>,
  owningAgencyId: string | null,
) => Promise<Disclosed<T & { withheld: Withheld[] }>>;

/** The child's identity, disclosed with every notification under the child's identity grant. */
const CHILD_PATHS = ['child.id', 'child.givenName', 'child.familyName', 'child.dateOfBirth'];
const WITH_CHILD: PartOptions = { alongside: CHILD_PATHS, alongsideClasses: [SensitivityClass.IDENTITY_BASIC] };
/** A duty to its owner not involved with the child (DUTY-OWNER): the child's opaque id only, which the duty carries. */
const WITH_CHILD_ID: PartOptions = { alongside: ['child.id'], alongsideClasses: [SensitivityClass.CASE_ADMINISTRATION] };

/**
 * What one recipient may see of an event, decided by the same policy as its queries: the snapshot
 * with each field the policy withholds set to null and listed. A recipient that may not see the
 * child gets nothing, unless the event is a notice to it under a sharing agreement's notice clause
 * (`notice`: a remand to the front door, a move to the host YOS), which gives only that clause's
 * classes, or a change of a duty its agency owns (DUTY-OWNER), which gives the duty and the child's
 * id alone.
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
    notice: ReferralTerms | null = null,
  ): Promise<RecipientView | null> {
    const [view, places] = await Promise.all([
      this.decided(stored, principal, identity, notice),
      this.discloser.locatingAgencies(principal, stored.childId),
    ]);
    if (!view || !places.has(stored.recordedByAgencyId)) return view;
    return Object.assign({}, view, { recorderWithheld: true });
  }

  private async decided(
    stored: DomainEventEntity,
    principal: Principal,
    identity: { givenName: string; familyName: string; dateOfBirth: string } | undefined,
    notice: ReferralTerms | null,
  ): Promise<RecipientView | null> {
    if (!identity) return null;
    const child = { id: stored.childId, ...identity };
    const event = notifiedEvent(stored);
    if (await this.policy.canSeeChild(principal, stored.childId, { forWrite: false })) {
      const access = await this.policy.childAccess(principal, stored.childId);
      return this.involved(event, { principal, child, access }, stored.recordedByAgencyId);
    }
    if (event.type === EventType.OBLIGATION_CHANGED) return this.owned(event, principal);
    if (!notice) return null;
    // A contact restriction (C10) against the receiving agency or system holds for notices too.
    const access = await this.policy.childAccess(principal, stored.childId);
    return this.noticed(event, child, notice, (owner) => locatingFor(access, principal.agency.id, owner));
  }

  /**
   * A duty's change to a recipient that works it for the owning agency but may not see the child
   * (DUTY-OWNER, C10 holding): the duty, and the child by its id alone; anyone else gets nothing.
   * The snapshot names no owner subject, so only the agency's queue roles and case system qualify.
   */
  private async owned(event: ObligationEvent, principal: Principal): Promise<RecipientView | null> {
    const duty = { ...event.facts.obligation, ownerSubject: null };
    const owned = await this.discloser.discloseToDutyOwner(principal, describedSnapshot(event), duty);
    if (!owned) return null;
    return this.view({ id: event.childId }, plain({ ...owned }), owned.disclosure, owned.withheld, WITH_CHILD_ID);
  }

  /** `view()`, or nothing when a contact restriction names the recipient and `agencyId` is where the child is (C10). */
  private async unlessItLocates(
    { principal }: Recipient,
    event: NotifiedEvent,
    agencyId: string,
    view: () => Promise<RecipientView>,
  ): Promise<RecipientView | null> {
    const places = await this.discloser.locatingAgencies(principal, event.childId);
    return places.has(agencyId) ? null : view();
  }

  /** The view of a recipient that sees the child, by its own policy. */
  private involved(event: NotifiedEvent, recipient: Recipient, recorder: string): Promise<RecipientView | null> {
    const { principal, access } = recipient;
    const decide: Decide = (value, owner) =>
      this.discloser.disclose(principal, value, this.policy.detailAttributes(principal, owner, access));
    switch (event.type) {
      case EventType.PLACEMENT_CHANGE_PLANNED:
      case EventType.PLACEMENT_CHANGED:
      case EventType.PLACEMENT_CHANGE_CANCELLED:
        return this.placement(event, recipient.child, decide);
      case EventType.LEGAL_STATUS_CHANGED:
      case EventType.REMAND_RECORDED:
      case EventType.CUSTODY_SENTENCE_RECORDED:
      case EventType.RELEASE_RECORDED:
      case EventType.COURT_OUTCOME_RECORDED:
        return this.legalStatus(event, recipient.child, decide);
      case EventType.LOOKED_AFTER_STATUS_CHANGED:
      case EventType.LEAD_PROFESSIONAL_CHANGED:
        return this.derived(event, recipient.child, decide, recorder);
      // It has no labelled fields to withhold: under C10 one naming an agency where the child is does
      // not reach the restricted party at all, as such rows leave the child's lists. (A duty's change
      // goes only to its owner, which a restriction never hides from itself.)
      case EventType.WORKER_ALLOCATION_CHANGED:
        return this.unlessItLocates(recipient, event, event.facts.allocation.agencyId, () => this.allocation(event, recipient));
      case EventType.OBLIGATION_CHANGED:
        return this.obligation(event, recipient);
      case EventType.RECORD_PUBLISHED:
      case EventType.RECORD_FINALISED:
      case EventType.RECORD_WITHDRAWN:
      case EventType.DETENTION_PLACEMENT_PLAN_SIGNED:
      case EventType.RELEASE_PLAN_AGREED:
      case EventType.RELEASE_PLAN_NOT_AGREED:
      case EventType.RECORD_COPY_SENT:
        // Metadata of the record at that version, as for a new version.
        return this.record(event, recipient);
      case EventType.CHILD_MERGED:
      case EventType.CHILD_UNMERGED:
        return this.merge(event, recipient);
      default:
        return unhandled(event);
    }
  }

  /** The view of an agency not (yet) involved, by notice: moves and court outcomes only, and only the clause's classes. */
  private async noticed(
    event: NotifiedEvent,
    child: Record<string, unknown>,
    terms: ReferralTerms,
    locating: (owner: string | null) => Locating | null,
  ): Promise<RecipientView | null> {
    const decide: Decide = (value, owner) => Promise.resolve(this.discloser.discloseNotice(value, terms, locating(owner)));
    switch (event.type) {
      case EventType.PLACEMENT_CHANGE_PLANNED:
      case EventType.PLACEMENT_CHANGED:
      case EventType.PLACEMENT_CHANGE_CANCELLED:
        return this.placement(event, child, decide);
      case EventType.LEGAL_STATUS_CHANGED:
      case EventType.REMAND_RECORDED:
      case EventType.CUSTODY_SENTENCE_RECORDED:
      case EventType.RELEASE_RECORDED:
      case EventType.COURT_OUTCOME_RECORDED:
        return this.legalStatus(event, child, decide);
      case EventType.LOOKED_AFTER_STATUS_CHANGED:
      case EventType.LEAD_PROFESSIONAL_CHANGED:
      case EventType.WORKER_ALLOCATION_CHANGED:
      case EventType.OBLIGATION_CHANGED:
      case EventType.RECORD_PUBLISHED:
      case EventType.RECORD_FINALISED:
      case EventType.RECORD_WITHDRAWN:
      case EventType.DETENTION_PLACEMENT_PLAN_SIGNED:
      case EventType.RELEASE_PLAN_AGREED:
      case EventType.RELEASE_PLAN_NOT_AGREED:
      case EventType.RECORD_COPY_SENT:
      case EventType.CHILD_MERGED:
      case EventType.CHILD_UNMERGED:
        return null;
      default:
        return unhandled(event);
    }
  }

  private async placement(event: PlacementEvent, child: Record<string, unknown>, decide: Decide): Promise<RecipientView> {
    const snapshot = event.facts.placement;
    const placement = await decide(
      await toPlacement(placementFromSnapshot(snapshot), this.directory),
      snapshot.recordedByAgencyId,
    );
    return this.view(child, plain({ ...placement }), placement.disclosure, placement.withheld);
  }

  private async legalStatus(event: LegalStatusEvent, child: Record<string, unknown>, decide: Decide): Promise<RecipientView> {
    const snapshot = event.facts.episode;
    const episode = await decide(await toLegalStatus(episodeFromSnapshot(snapshot), this.directory), snapshot.recordedByAgencyId);
    // The basis it replaced is legal status too: it leaves only with the new basis.
    const basis = episode.withheld.find((item) => item.field === 'basis');
    const withheld = basis ? [...episode.withheld, { ...basis, field: 'previousBasis' }] : episode.withheld;
    const subject = plain({ ...episode, previousBasis: basis ? null : event.facts.previousBasis, withheld });
    return this.view(child, subject, episode.disclosure, withheld);
  }

  /**
   * A derived fact (looked-after status: legal status; lead professional: case administration), by
   * the recipient's own policy, as if the agency whose change led to it (`recorder`) owned it.
   */
  private async derived(
    event: LookedAfterEvent | LeadEvent,
    child: Record<string, unknown>,
    decide: Decide,
    recorder: string,
  ): Promise<RecipientView> {
    const facts = {
      kind: event.subjectKind,
      id: event.subjectId,
      childId: event.childId,
      version: null,
      owningAgencyId: recorder,
    };
    const decided =
      event.type === EventType.LOOKED_AFTER_STATUS_CHANGED
        ? await decide(
            describe<LookedAfterChange>(
              { ...event.facts.status, previous: event.facts.previous },
              { ...facts, model: LookedAfterChange },
            ),
            recorder,
          )
        : await decide(
            describe<LeadChange>(
              {
                ...(await this.leadChoice(event.facts.lead)),
                previous: event.facts.previous ? await this.leadChoice(event.facts.previous) : null,
              },
              { ...facts, model: LeadChange },
            ),
            recorder,
          );
    return this.view(child, plain({ ...decided }), decided.disclosure, decided.withheld);
  }

  /** The lead as a notification names it: its agency by code and name. */
  private async leadChoice(lead: LeadSnapshot): Promise<LeadChoice> {
    const agency = lead.agencyId ? await this.directory.agency(lead.agencyId) : null;
    return {
      lead: lead.lead,
      agency: agency ? { code: agency.code, name: agency.name } : null,
      alsoRequired: lead.alsoRequired,
      rule: lead.rule,
      citation: lead.citation,
      policy: lead.policy,
    };
  }

  private async allocation(event: AllocationEvent, { principal, child }: Recipient): Promise<RecipientView> {
    const allocation = event.facts.allocation;
    const agency = await this.directory.agency(allocation.agencyId);
    const subject = { ...allocation, agency: { code: agency.code, name: agency.name }, withheld: [] };
    // An allocation's fields carry no class of their own: it leaves under the child's identity grant.
    const disclosure = await this.unlabelled(principal, event, 'ALLOCATION', allocation.agencyId);
    return this.view(child, plain(subject), disclosure, []);
  }

  /** A duty's change of state: what must be done, by when and why, under the child's identity grant (case administration). */
  private async obligation(event: ObligationEvent, { principal, child }: Recipient): Promise<RecipientView> {
    const duty = event.facts.obligation;
    const disclosure = await this.unlabelled(principal, event, 'OBLIGATION', duty.ownerAgencyId);
    return this.view(child, plain({ ...duty, withheld: [] }), disclosure, []);
  }

  /** A merge or unmerge: the two ids and the undo period, under the child's identity grant (they carry no class of their own). */
  private async merge(event: MergeEvent, { principal, child }: Recipient): Promise<RecipientView> {
    const disclosure = await this.unlabelled(principal, event, 'CHILD_MERGE', null);
    return this.view(child, plain({ ...event.facts.merge, withheld: [] }), disclosure, []);
  }

  /** The disclosure of an event's subject whose fields carry no class of their own, under the child's identity grant. */
  private unlabelled(
    principal: Principal,
    event: NotifiedEvent,
    kind: string,
    owningAgencyId: string | null,
  ): Promise<Disclosure> {
    const facts = { kind, id: event.subjectId, childId: event.childId, version: null, owningAgencyId };
    return this.discloser.discloseUnlabelled(principal, facts);
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
    alongside: PartOptions = WITH_CHILD,
  ): RecipientView {
    const blocked = new Set(withheld.map((item) => item.field));
    const paths = leafPaths(subject).filter(
      (path) => !path.startsWith('withheld') && ![...blocked].some((field) => path === field || path.startsWith(`${field}.`)),
    );
    const receiptWithheld = withheld.map((item) => ({ field: item.field, reason: item.reason, rule: item.rule }));
    return { child, subject, receipt: deliveryReceiptOf(disclosedPart(disclosure, paths, receiptWithheld, alongside)) };
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
