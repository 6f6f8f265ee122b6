import { Inject } from '@nestjs/common';
import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from 'src/auth/current-principal.decorator.js';
import { RequirePermission } from 'src/auth/permission.decorator.js';
import type { Principal } from 'src/auth/principal.js';
import { Permission } from 'src/auth/roles.js';
import type { Page } from 'src/common/pagination/connection.js';
import {
  type Notification,
  Notification as NotificationModel,
  NotificationConnection,
  RegisterWebhookInput,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookSecret,
} from 'src/notifications/api/notification.models.js';
import { NotificationsApiService } from 'src/notifications/api/notifications-api.service.js';

/** Your case system's notifications, acknowledgements and webhooks. */
@Resolver()
export class NotificationsResolver {
  constructor(@Inject(NotificationsApiService) private readonly api: NotificationsApiService) {}

  @Query(() => NotificationConnection, {
    description: "Your case system's notifications after a sequence number, in order: catch up after an outage.",
  })
  @RequirePermission(Permission.NOTIFICATION_READ)
  notifications(
    @CurrentPrincipal() principal: Principal,
    @Args('after', {
      type: () => String,
      nullable: true,
      description: 'The last sequence number you have; from the start when absent.',
    })
    after: string | null,
    @Args('first', { type: () => Int, nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
  ): Promise<Page<Notification>> {
    return this.api.feed(principal, after, first);
  }

  @Mutation(() => NotificationModel, { description: 'A person has read a notification (stops its escalation).' })
  @RequirePermission(Permission.NOTIFICATION_READ)
  acknowledgeEvent(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID, description: 'The notification.' }) id: string,
  ): Promise<Notification> {
    return this.api.acknowledge(principal, id);
  }

  @Query(() => [WebhookEndpoint], { description: "Your case system's webhook endpoints." })
  @RequirePermission(Permission.WEBHOOK_MANAGE)
  webhookEndpoints(@CurrentPrincipal() principal: Principal): Promise<WebhookEndpoint[]> {
    return this.api.endpoints(principal);
  }

  @Query(() => [WebhookDelivery], { description: 'Deliveries to one of your endpoints, newest first.' })
  @RequirePermission(Permission.WEBHOOK_MANAGE)
  webhookDeliveries(
    @CurrentPrincipal() principal: Principal,
    @Args('endpointId', { type: () => ID, description: 'The endpoint.' }) endpointId: string,
    @Args('status', { type: () => String, nullable: true, description: 'PENDING, DELIVERED or DEAD.' }) status: string | null,
    @Args('first', { type: () => Int, nullable: true, description: 'How many, 1–100 (default 20).' }) first: number | null,
  ): Promise<WebhookDelivery[]> {
    return this.api.deliveries(principal, endpointId, status, first);
  }

  @Mutation(() => WebhookSecret, { description: 'Registers a webhook for your case system; returns its secret once.' })
  @RequirePermission(Permission.WEBHOOK_MANAGE)
  registerWebhook(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The endpoint.' }) input: RegisterWebhookInput,
  ): Promise<WebhookSecret> {
    return this.api.register(principal, input);
  }

  @Mutation(() => WebhookSecret, {
    description: 'A new signing secret; the old one also signs for WEBHOOK_SECRET_OVERLAP_HOURS.',
  })
  @RequirePermission(Permission.WEBHOOK_MANAGE)
  rotateWebhookSecret(
    @CurrentPrincipal() principal: Principal,
    @Args('endpointId', { type: () => ID, description: 'The endpoint.' }) endpointId: string,
  ): Promise<WebhookSecret> {
    return this.api.rotateSecret(principal, endpointId);
  }

  @Mutation(() => WebhookEndpoint, { description: 'Disables or re-enables an endpoint (re-enabling resumes where it stopped).' })
  @RequirePermission(Permission.WEBHOOK_MANAGE)
  setWebhookEnabled(
    @CurrentPrincipal() principal: Principal,
    @Args('endpointId', { type: () => ID, description: 'The endpoint.' }) endpointId: string,
    @Args('enabled', { description: 'Whether it receives deliveries.' }) enabled: boolean,
  ): Promise<WebhookEndpoint> {
    return this.api.setEnabled(principal, endpointId, enabled);
  }

  @Mutation(() => WebhookDelivery, { description: 'Sends a delivery again, with the same webhook-id.' })
  @RequirePermission(Permission.WEBHOOK_MANAGE)
  redeliverWebhook(
    @CurrentPrincipal() principal: Principal,
    @Args('deliveryId', { type: () => ID, description: 'The delivery.' }) deliveryId: string,
  ): Promise<WebhookDelivery> {
    return this.api.redeliver(principal, deliveryId);
  }
}
