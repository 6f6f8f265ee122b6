import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import type { DomainEventEntity } from 'src/events/domain-event.entity.js';
import { EventType } from 'src/events/event-type.js';
import { ReferralPolicy, ruleOf, type ReferralTerms } from 'src/policy/referral-policy.js';
import { audienceOf, subjectKey } from 'src/notifications/notification-builder.js';
import { NotificationsRepository } from 'src/notifications/notifications.repository.js';
import type { NoticeReferral, ReferralTarget } from 'src/notifications/notice-referrals.js';
import { type DeliveryReceipt, RecipientViews, systemPrincipal } from 'src/notifications/recipient-view.service.js';
import { noticeTypeOf, type Route, route, type ToldOfPlan } from 'src/notifications/routing.js';

type AgencyRecord = Awaited<ReturnType<AgencyDirectory['agencyRecords']>>[number];

/** Reads shared by every event of a batch, so the policy's per-request caches serve all of them. */
export interface BatchCache {
  readonly agencies: readonly AgencyRecord[];
  readonly principals: Map<string, Principal>;
  readonly children: Map<
    string,
    [
      Awaited<ReturnType<NotificationsRepository['involvements']>>,
      Awaited<ReturnType<NotificationsRepository['childIdentity']>>,
      Awaited<ReturnType<NotificationsRepository['allocatedWorkers']>>,
    ]
  >;
  /** Who each planned move of the batch was told to, for a correction or cancellation later in it. */
  readonly told: Map<string, ToldOfPlan[]>;
}

/** What a notice says of itself: the clause, who asks, as what, and the referral it opened. */
export interface NoticeBlock {
  readonly clause: string;
  readonly from: string;
  readonly role: string;
  readonly referralId: string | null;
}

/** One recipient case system's notification of an event, rendered before the transaction. */
export interface Prepared {
  readonly caseSystemId: string;
  readonly caseSystemCode: string;
  readonly agencyId: string;
  readonly agencyCode: string;
  readonly data: Record<string, unknown>;
  readonly receipt: DeliveryReceipt;
  /** The referral whose id the payload names (`notice.referralId`, or `caretaking.referralId` for the home YOS). */
  readonly referral: ReferralTarget | null;
}

export interface Plan {
  readonly prepared: Prepared[];
  readonly referrals: NoticeReferral[];
}

/** How one route's recipient hears: as an involved agency (no terms), or under a notice clause. */
interface Hearing {
  readonly route: Route;
  readonly agency: AgencyRecord;
  readonly terms: ReferralTerms | null;
  readonly notice: NoticeBlock | null;
}

/**
 * Decides who hears of an event (`routing.ts`) and renders what each recipient case system may
 * see of it, outside any transaction: involved agencies by their own policy, an agency not yet
 * involved only under a notice clause (nothing without one), with the referrals notices open.
 */
@Injectable()
export class NotificationPlanner {
  constructor(
    @Inject(NotificationsRepository) private readonly repository: NotificationsRepository,
    @Inject(RecipientViews) private readonly views: RecipientViews,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(ReferralPolicy) private readonly referralPolicy: ReferralPolicy,
  ) {}

  async plan(event: DomainEventEntity, batch: BatchCache): Promise<Plan> {
    const [involvements, identity, workers] = await this.child(event.childId, batch);
    const type = event.type as EventType;
    const facts = event.facts;
    const placementId = event.subjectKind === 'PLACEMENT' ? event.subjectId : null;
    const routing = route({
      type,
      recordedByAgencyId: event.recordedByAgencyId,
      ownerAgencyId:
        (facts.owningAgencyId as string | undefined) ??
        (facts.allocation as { agencyId?: string } | undefined)?.agencyId ??
        (facts.obligation as { ownerAgencyId?: string } | undefined)?.ownerAgencyId ??
        null,
      placementAreaId: (facts.placement as { areaLocalAuthorityId?: string } | undefined)?.areaLocalAuthorityId ?? null,
      involvements,
      agencies: batch.agencies,
      toldOfPlan: placementId ? await this.toldOfPlan(event, type, placementId, batch) : [],
    });
    // A duty's change is the duties engine's, for the agency that owns the duty: naming the agency
    // whose event opened it would tell an owner not yet involved who else works with the child.
    const dutyOwner = type === EventType.OBLIGATION_CHANGED ? routing.routes[0]?.agencyId : undefined;
    const recordedBy = await this.directory.agency(dutyOwner ?? event.recordedByAgencyId);
    const recordedByName = dutyOwner ? 'Tandem (protocol duties)' : event.recordedByName;
    const prepared: Prepared[] = [];
    const referrals: NoticeReferral[] = [];
    const told: ToldOfPlan[] = [];
    const hearings = routing.routes.flatMap((target) => this.hearing(event, target, batch.agencies));
    // The home YOS hears that caretaking is asked of the host YOS, and under which clause (DOMAIN §4.4 H2).
    const host = routing.caretaking
      ? hearings.find((hearing) => hearing.agency.id === routing.caretaking?.hostAgencyId)
      : undefined;
    for (const hearing of hearings) {
      const { agency, terms, notice } = hearing;
      const opens = hearing.route.notice?.opensReferral === true && terms?.clause.openedBy?.includes(type) === true;
      const asked = hearing.route.notice
        ? { childId: event.childId, toAgencyId: agency.id, role: hearing.route.notice.role }
        : null;
      if (opens && asked) referrals.push(this.referral(event, asked, hearing, batch.agencies));
      const caretaking =
        routing.caretaking?.homeAgencyId === agency.id
          ? {
              hostAgency: batch.agencies.find((candidate) => candidate.id === routing.caretaking?.hostAgencyId)?.code ?? null,
              clause: host?.notice?.clause ?? null,
              referralId: null,
            }
          : null;
      let heard = false;
      for (const caseSystem of await this.directory.caseSystemsOf(agency.id)) {
        let principal = batch.principals.get(caseSystem.id);
        if (!principal) {
          principal = systemPrincipal(caseSystem, agency, event.correlationId);
          batch.principals.set(caseSystem.id, principal);
        }
        const view = await this.views.render(event, principal, identity, terms);
        if (!view) continue;
        heard = true;
        prepared.push({
          caseSystemId: caseSystem.id,
          caseSystemCode: caseSystem.code,
          agencyId: agency.id,
          agencyCode: agency.code,
          receipt: view.receipt,
          referral:
            asked ??
            (caretaking && host?.route.notice
              ? { childId: event.childId, toAgencyId: host.agency.id, role: host.route.notice.role }
              : null),
          data: {
            event: {
              type: event.type,
              occurredAt: event.occurredAt.toISOString(),
              // Stored as it is; every way out rebuilds it for its reader, C10 included (NotificationAccess).
              recordedBy: { name: recordedByName, agency: { code: recordedBy.code, name: recordedBy.name } },
              late: facts.late === true,
              why: hearing.route.why,
            },
            audience: audienceOf(workers, agency),
            child: view.child,
            [subjectKey(event.subjectKind)]: view.subject,
            ...(notice ? { notice } : {}),
            ...(caretaking ? { caretaking } : {}),
          },
        });
      }
      if (heard) told.push({ agencyId: agency.id, notice: hearing.route.notice });
    }
    if (placementId) batch.told.set(placementId, [...(batch.told.get(placementId) ?? []), ...told]);
    return { prepared, referrals };
  }

  /** How a route's agency hears: involved, or by notice under a clause in force (no clause: not at all). */
  private hearing(event: DomainEventEntity, target: Route, agencies: readonly AgencyRecord[]): Hearing[] {
    const agency = agencies.find((candidate) => candidate.id === target.agencyId);
    if (!agency) return [];
    if (!target.notice) return [{ route: target, agency, terms: null, notice: null }];
    const from = agencies.find((candidate) => candidate.id === target.notice?.fromAgencyId);
    if (!from) return [];
    const terms = this.referralPolicy.forNotice(
      from.code,
      agency.code,
      target.notice.role,
      noticeTypeOf(event.type as EventType),
    );
    if (!terms) return [];
    return [
      {
        route: target,
        agency,
        terms,
        notice: { clause: ruleOf(terms), from: from.code, role: target.notice.role, referralId: null },
      },
    ];
  }

  private referral(
    event: DomainEventEntity,
    asked: ReferralTarget,
    hearing: Hearing,
    agencies: readonly AgencyRecord[],
  ): NoticeReferral {
    const notice = hearing.route.notice;
    const from = agencies.find((candidate) => candidate.id === notice?.fromAgencyId);
    if (!notice || !from || !hearing.notice) throw new Error('A notice opens a referral only under a clause');
    return {
      ...asked,
      from: { id: from.id, code: from.code, name: from.name, kind: from.kind, localAuthorityId: from.localAuthorityId },
      clause: hearing.notice.clause,
      eventId: event.eventId,
      correlationId: event.correlationId,
    };
  }

  /** Who was told of an earlier version of this planned move: a correction or a cancellation tells them again. */
  private async toldOfPlan(
    event: DomainEventEntity,
    type: EventType,
    placementId: string,
    batch: BatchCache,
  ): Promise<ToldOfPlan[]> {
    const again = type === EventType.PLACEMENT_CHANGE_CANCELLED || (event.subjectVersion ?? 1) > 1;
    if (!again) return [];
    const stored = await this.repository.toldOfPlan(placementId);
    const byCode = new Map(batch.agencies.map((agency) => [agency.code, agency.id]));
    return [
      ...stored.map((row) => {
        const fromAgencyId = row.notice ? byCode.get(row.notice.from) : undefined;
        return { agencyId: row.agencyId, notice: row.notice && fromAgencyId ? { fromAgencyId, role: row.notice.role } : null };
      }),
      ...(batch.told.get(placementId) ?? []),
    ];
  }

  private async child(childId: string, batch: BatchCache): Promise<NonNullable<ReturnType<BatchCache['children']['get']>>> {
    let child = batch.children.get(childId);
    if (!child) {
      child = await Promise.all([
        this.repository.involvements(childId),
        this.repository.childIdentity(childId),
        this.repository.allocatedWorkers(childId),
      ]);
      batch.children.set(childId, child);
    }
    return child;
  }
}
