import { Module } from '@nestjs/common';
import { ChildrenModule } from 'src/children/children.module.js';
import { DisclosureModule } from 'src/disclosure/disclosure.module.js';
import { RecordsModule } from 'src/records/records.module.js';
import { NotificationsApiService } from 'src/notifications/api/notifications-api.service.js';
import { NotificationsResolver } from 'src/notifications/api/notifications.resolver.js';
import { NotificationDispatcher } from 'src/notifications/dispatcher.service.js';
import { LiveNotifications } from 'src/notifications/live-notifications.js';
import { NotificationsRepository } from 'src/notifications/notifications.repository.js';
import { RecipientViews } from 'src/notifications/recipient-view.service.js';
import { NotificationAccess } from 'src/notifications/notification-access.js';
import { NotificationEscalation } from 'src/notifications/notification-escalation.service.js';
import { NotificationListener } from 'src/notifications/notification-listener.service.js';
import { NotificationRouter } from 'src/notifications/notification-router.service.js';
import { NotificationStream } from 'src/notifications/subscriptions/notification-stream.service.js';
import { NotificationSubscriptionResolver } from 'src/notifications/subscriptions/notification-subscription.resolver.js';
import { WebhookDeliveryService } from 'src/notifications/webhooks/webhook-delivery.service.js';
import { NotificationPlanner } from 'src/notifications/notification-planner.service.js';
import { NoticeReferrals } from 'src/notifications/notice-referrals.js';
import { ReferralRepository } from 'src/children/repositories/referral.repository.js';

/** Routing and delivery of protocol events: webhooks, the catch-up feed, acknowledgements. */
@Module({
  imports: [ChildrenModule, RecordsModule, DisclosureModule],
  providers: [
    NotificationsRepository,
    RecipientViews,
    LiveNotifications,
    NotificationListener,
    NotificationPlanner,
    // Notices open referrals in the router's transaction; the repository is the children module's SQL.
    ReferralRepository,
    NoticeReferrals,
    NotificationRouter,
    NotificationEscalation,
    WebhookDeliveryService,
    NotificationDispatcher,
    NotificationsApiService,
    NotificationsResolver,
    NotificationAccess,
    NotificationStream,
    NotificationSubscriptionResolver,
  ],
  exports: [NotificationDispatcher, LiveNotifications, RecipientViews, NotificationsRepository],
})
export class NotificationsModule {}
