import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { Role } from 'src/auth/roles.js';
import type { DomainEventEntity } from 'src/events/domain-event.entity.js';
import type { EventType } from 'src/events/event-type.js';
import { ReferralPolicy, type ReferralTerms } from 'src/policy/referral-policy.js';
import { InvolvementRole } from 'src/vocabulary/children.enums.js';
import type { NotificationEntity } from 'src/notifications/entities/notification.entity.js';
import { subjectKey } from 'src/notifications/notification-builder.js';
import { NotificationsRepository } from 'src/notifications/notifications.repository.js';
import { RecipientViews } from 'src/notifications/recipient-view.service.js';
import { noticeTypeOf } from 'src/notifications/routing.js';

/**
 * Notifications as a caller of the recipient case system may have them: the case system itself
 * gets what was routed to it; a person gets those about children they may see, each rebuilt from
 * the event as their own policy shows it (a case system's view may be wider than one worker's),
 * and a notice to their agency not yet involved if their roles are those that answer it (the front
 * door, a manager), as its clause shows it.
 */
@Injectable()
export class NotificationAccess {
  constructor(
    @Inject(NotificationsRepository) private readonly repository: NotificationsRepository,
    @Inject(RecipientViews) private readonly views: RecipientViews,
    @Inject(ReferralPolicy) private readonly referrals: ReferralPolicy,
  ) {}

  async forCaller(principal: Principal, rows: readonly NotificationEntity[]): Promise<NotificationEntity[]> {
    const own = rows.filter((row) => row.caseSystemId === principal.caseSystem.id);
    // Only a pure case-system token gets the case system's view; a person's roles narrow it.
    if (principal.roles.every((role) => role === Role.SYSTEM)) return own;
    const events = new Map((await this.repository.events(own.map((row) => row.eventId))).map((event) => [event.eventId, event]));
    const result: NotificationEntity[] = [];
    for (const row of own) {
      const event = events.get(row.eventId);
      if (!event) continue;
      const notice = this.noticeTerms(principal, row, event);
      const view = await this.views.render(event, principal, await this.repository.childIdentity(row.childId), notice);
      if (!view) continue;
      const payload = row.payload as { data?: Record<string, unknown> };
      const data = { ...payload.data, child: view.child, [subjectKey(event.subjectKind)]: view.subject };
      result.push({ ...row, payload: { ...row.payload, data }, receipt: view.receipt });
    }
    return result;
  }

  /** The clause a notice to the caller's agency was sent under, if the caller's roles answer it. */
  private noticeTerms(principal: Principal, row: NotificationEntity, event: DomainEventEntity): ReferralTerms | null {
    const notice = (row.payload as { data?: { notice?: { from?: unknown; role?: unknown } } }).data?.notice;
    const role = Object.values(InvolvementRole).find((candidate) => candidate === notice?.role);
    if (typeof notice?.from !== 'string' || !role) return null;
    const terms = this.referrals.forNotice(notice.from, principal.agency.code, role, noticeTypeOf(event.type as EventType));
    return terms && this.referrals.mayDecide(principal, terms) ? terms : null;
  }
}
