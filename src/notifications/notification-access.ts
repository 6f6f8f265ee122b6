import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { Role } from 'src/auth/roles.js';
import type { NotificationEntity } from 'src/notifications/entities/notification.entity.js';
import { subjectKey } from 'src/notifications/notification-builder.js';
import { NotificationsRepository } from 'src/notifications/notifications.repository.js';
import { RecipientViews } from 'src/notifications/recipient-view.service.js';

/**
 * Notifications as a caller of the recipient case system may have them: the case system itself
 * gets what was routed to it; a person gets those about children they may see, each rebuilt from
 * the event as their own policy shows it (a case system's view may be wider than one worker's).
 */
@Injectable()
export class NotificationAccess {
  constructor(
    @Inject(NotificationsRepository) private readonly repository: NotificationsRepository,
    @Inject(RecipientViews) private readonly views: RecipientViews,
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
      const view = await this.views.render(event, principal, await this.repository.childIdentity(row.childId));
      if (!view) continue;
      const payload = row.payload as { data?: Record<string, unknown> };
      const data = { ...payload.data, child: view.child, [subjectKey(event.subjectKind)]: view.subject };
      result.push({ ...row, payload: { ...row.payload, data }, receipt: view.receipt });
    }
    return result;
  }
}
