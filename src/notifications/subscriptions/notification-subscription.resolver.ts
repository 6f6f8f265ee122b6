import { Inject } from '@nestjs/common';
import { Context, Resolver, Subscription } from '@nestjs/graphql';
import { CurrentPrincipal } from 'src/auth/current-principal.decorator.js';
import { RequirePermission } from 'src/auth/permission.decorator.js';
import type { Principal } from 'src/auth/principal.js';
import { Permission } from 'src/auth/roles.js';
import { Notification } from 'src/notifications/api/notification.models.js';
import { closeWhenTokenExpires, type SubscriptionRequest } from 'src/notifications/subscriptions/subscription-connection.js';
import { NotificationStream } from 'src/notifications/subscriptions/notification-stream.service.js';
import { runningSubscription } from 'src/notifications/subscriptions/subscription-operations.js';

/** Live notifications over graphql-ws, for the caller's case system, as the caller's policy allows. */
@Resolver()
export class NotificationSubscriptionResolver {
  constructor(@Inject(NotificationStream) private readonly stream: NotificationStream) {}

  @Subscription(() => Notification, {
    description:
      "Your case system's notifications as they are routed (graphql-transport-ws; token and purpose in connection_init). Closed when the token expires.",
  })
  @RequirePermission(Permission.NOTIFICATION_READ)
  notificationReceived(
    @CurrentPrincipal() principal: Principal,
    @Context()
    context: {
      req?: SubscriptionRequest;
      socket?: { close(code: number, reason: string): void };
      id?: unknown;
      pubsub?: unknown;
    },
  ) {
    return runningSubscription(context, () => {
      principal.requirePurpose();
      closeWhenTokenExpires(context);
      return this.stream.open(principal);
    });
  }
}
