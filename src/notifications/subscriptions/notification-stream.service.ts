import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { DisclosureService } from 'src/disclosure/disclosure.service.js';
import type { Notification } from 'src/notifications/api/notification.models.js';
import { toNotification } from 'src/notifications/api/notifications-api.service.js';
import { deliveryReceipt } from 'src/notifications/delivery-receipt.js';
import type { NotificationEntity } from 'src/notifications/entities/notification.entity.js';
import { LiveNotifications } from 'src/notifications/live-notifications.js';
import { NotificationAccess } from 'src/notifications/notification-access.js';

/**
 * A live subscriber's notifications: those routed to its case system (on any instance), filtered
 * by its own policy, each sent only once its receipt is written.
 */
@Injectable()
export class NotificationStream {
  private readonly logger = new Logger('Subscriptions');

  constructor(
    @Inject(LiveNotifications) private readonly live: LiveNotifications,
    @Inject(NotificationAccess) private readonly access: NotificationAccess,
    @Inject(DisclosureService) private readonly disclosure: DisclosureService,
  ) {}

  open(principal: Principal): AsyncIterableIterator<{ notificationReceived: Notification }> {
    const waiting: NotificationEntity[] = [];
    const readers: ((row: NotificationEntity | null) => void)[] = [];
    let closed = false;
    const unsubscribe = this.live.subscribe((row) => {
      if (row.caseSystemId !== principal.caseSystem.id) return;
      const reader = readers.shift();
      if (reader) reader(row);
      else waiting.push(row);
    });
    const nextRow = () =>
      new Promise<NotificationEntity | null>((resolve) => {
        const row = waiting.shift();
        if (row) resolve(row);
        else if (closed) resolve(null);
        else readers.push(resolve);
      });
    const close = () => {
      closed = true;
      unsubscribe();
      for (const reader of readers.splice(0)) reader(null);
    };
    const iterator: AsyncIterableIterator<{ notificationReceived: Notification }> = {
      next: async () => {
        for (;;) {
          const row = await nextRow();
          if (!row) return { value: undefined, done: true };
          // Decided afresh for each event: the connection may outlive a restriction or an allocation.
          const reader = principal.afresh();
          const [visible] = await this.access.forCaller(reader, [row]);
          if (!visible) continue;
          try {
            await this.disclosure.write([
              deliveryReceipt(reader, visible, { channel: 'SUBSCRIPTION', deliveryId: null, endpointId: null, attempt: null }),
            ]);
          } catch (error) {
            // Fail closed: without its receipt the event is not sent; the subscriber catches up later.
            this.logger.error(
              `Notification ${visible.id} not sent to a subscriber: ${error instanceof Error ? error.message : String(error)}`,
            );
            continue;
          }
          return { value: { notificationReceived: toNotification(visible) }, done: false };
        }
      },
      return: () => {
        close();
        return Promise.resolve({ value: undefined, done: true });
      },
      throw: (error: unknown) => {
        close();
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }
}
