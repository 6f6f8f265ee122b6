import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { Role } from 'src/auth/roles.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import type { DomainEventEntity } from 'src/events/domain-event.entity.js';
import type { EventType } from 'src/events/event-type.js';
import { ReferralPolicy, type ReferralTerms } from 'src/policy/referral-policy.js';
import { InvolvementRole } from 'src/vocabulary/children.enums.js';
import type { NotificationEntity } from 'src/notifications/entities/notification.entity.js';
import { subjectKey } from 'src/notifications/notification-builder.js';
import { NotificationsRepository } from 'src/notifications/notifications.repository.js';
import { RecipientViews, systemPrincipal } from 'src/notifications/recipient-view.service.js';
import { noticeTypeOf } from 'src/notifications/routing.js';

/**
 * Notifications as a caller of the recipient case system may have them now: each rebuilt from its
 * event under the policy in force, never the payload as it was routed (a contact restriction, an
 * ended involvement or a withdrawn agreement since then counts). The case system gets its own
 * view; a person gets those about children they may see, as their own policy shows them (a case
 * system's view may be wider than one worker's), and a notice to their agency not yet involved if
 * their roles are those that answer it (the front door, a manager), as its clause shows it.
 */
@Injectable()
export class NotificationAccess {
  constructor(
    @Inject(NotificationsRepository) private readonly repository: NotificationsRepository,
    @Inject(RecipientViews) private readonly views: RecipientViews,
    @Inject(ReferralPolicy) private readonly referrals: ReferralPolicy,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
  ) {}

  async forCaller(principal: Principal, rows: readonly NotificationEntity[]): Promise<NotificationEntity[]> {
    const own = rows.filter((row) => row.caseSystemId === principal.caseSystem.id);
    const events = new Map((await this.repository.events(own.map((row) => row.eventId))).map((event) => [event.eventId, event]));
    // Only a pure case-system token gets the case system's view; a person's roles narrow it.
    const caseSystem = principal.roles.every((role) => role === Role.SYSTEM);
    const result: NotificationEntity[] = [];
    for (const row of own) {
      const event = events.get(row.eventId);
      if (!event) continue;
      const current = await this.rebuilt(principal, row, event, caseSystem);
      if (current) result.push(current);
    }
    return result;
  }

  /**
   * The notification as its case system may have it now (as it acts when it is sent its agency's
   * notifications), for a webhook attempt; null when it may no longer see it.
   */
  async forItsCaseSystem(row: NotificationEntity): Promise<NotificationEntity | null> {
    const [event] = await this.repository.events([row.eventId]);
    if (!event) return null;
    const caseSystem = await this.directory.caseSystem(row.caseSystemId);
    const agency = await this.directory.agency(row.agencyId);
    const principal = systemPrincipal(
      { id: row.caseSystemId, code: caseSystem.code, name: caseSystem.name },
      { id: agency.id, code: agency.code, kind: agency.kind, localAuthorityId: agency.localAuthority?.id ?? null },
      event.correlationId,
    );
    return this.rebuilt(principal, row, event, true);
  }

  private async rebuilt(
    principal: Principal,
    row: NotificationEntity,
    event: DomainEventEntity,
    caseSystem: boolean,
  ): Promise<NotificationEntity | null> {
    const notice = this.noticeTerms(principal, row, event, caseSystem);
    const view = await this.views.render(event, principal, await this.repository.childIdentity(row.childId), notice);
    if (!view) return null;
    // An escalation carries only the child's id and what escalates, by design: the rebuild says only
    // whether it may still be seen.
    if (row.escalationOf !== null) return row;
    // Object.assign, not spreads: a spread-first literal is the slow path in V8 (docs/TOOLCHAIN.md).
    const payload = row.payload as { data?: Record<string, unknown> & { event?: Record<string, unknown> } };
    const data = Object.assign({}, payload.data, { child: view.child, [subjectKey(event.subjectKind)]: view.subject });
    // The envelope was rendered for the case system; a person a contact restriction names is not told who recorded it (C10).
    if (view.recorderWithheld) data.event = Object.assign({}, payload.data?.event, { recordedBy: null });
    return Object.assign({}, row, { payload: Object.assign({}, row.payload, { data }), receipt: view.receipt });
  }

  /**
   * The clause a notice to the caller's agency was sent under: for its case system, as it was routed;
   * for a person, only if their roles answer it.
   */
  private noticeTerms(
    principal: Principal,
    row: NotificationEntity,
    event: DomainEventEntity,
    caseSystem: boolean,
  ): ReferralTerms | null {
    const notice = (row.payload as { data?: { notice?: { from?: unknown; role?: unknown } } }).data?.notice;
    const role = Object.values(InvolvementRole).find((candidate) => candidate === notice?.role);
    if (typeof notice?.from !== 'string' || !role) return null;
    const terms = this.referrals.forNotice(notice.from, principal.agency.code, role, noticeTypeOf(event.type as EventType));
    if (!terms) return null;
    return caseSystem || this.referrals.mayDecide(principal, terms) ? terms : null;
  }
}
