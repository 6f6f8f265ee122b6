import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { AppConfig } from 'src/config/app-config.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page } from 'src/common/pagination/connection.js';
import { pageSize } from 'src/common/pagination/cursor.js';
import { isUuid } from 'src/children/children.service.js';
import { DisclosureService } from 'src/disclosure/disclosure.service.js';
import { deliveryReceipt } from 'src/notifications/delivery-receipt.js';
import type { NotificationEntity } from 'src/notifications/entities/notification.entity.js';
import type { WebhookEndpointEntity } from 'src/notifications/entities/webhook-endpoint.entity.js';
import type { EventType } from 'src/events/event-type.js';
import { NotificationsRepository } from 'src/notifications/notifications.repository.js';
import type {
  Notification,
  RegisterWebhookInput,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookSecret,
} from 'src/notifications/api/notification.models.js';
import { checkUrl, DestinationRefused, dnsLookup, resolveDestination } from 'src/notifications/webhooks/destination.js';
import { newSecret } from 'src/notifications/webhooks/signature.js';
import { NotificationDispatcher } from 'src/notifications/dispatcher.service.js';
import { NotificationAccess } from 'src/notifications/notification-access.js';

/**
 * A case system's side of notifications: its webhooks, its feed (for catching up after an outage)
 * and acknowledgements. Everything returned about a child is a disclosure with a receipt.
 */
@Injectable()
export class NotificationsApiService {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(NotificationsRepository) private readonly repository: NotificationsRepository,
    @Inject(DisclosureService) private readonly disclosure: DisclosureService,
    @Inject(NotificationDispatcher) private readonly dispatcher: NotificationDispatcher,
    @Inject(NotificationAccess) private readonly access: NotificationAccess,
  ) {}

  /** Everything after `after` (a sequence number) in the caller's case system's feed. */
  async feed(
    principal: Principal,
    after: string | null | undefined,
    first: number | null | undefined,
  ): Promise<Page<Notification>> {
    principal.requirePurpose();
    const size = pageSize(first, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const since = after ?? '0';
    if (!/^\d{1,18}$/.test(since)) throw TandemError.badInput('after is a sequence number', 'after');
    const rows = await this.repository.feed(principal.caseSystem.id, since, size + 1);
    // Pages are cut on the feed itself, so a person's filtered page never ends the feed early.
    const window = rows.slice(0, size);
    const visible = await this.access.forCaller(principal, window);
    await this.disclosure.write(
      visible.map((row) =>
        deliveryReceipt(principal, row, { channel: 'GRAPHQL', deliveryId: null, endpointId: null, attempt: null }),
      ),
    );
    return {
      pageInfo: { hasNextPage: rows.length > size, endCursor: window.at(-1)?.seq ?? null },
      edges: visible.map((row) => ({ cursor: row.seq, node: toNotification(row) })),
    };
  }

  /**
   * A person of the recipient agency says they read it (which stops its escalation), of what they
   * may see: a token naming a person, or a case system's acting for one, not a case system's own.
   */
  async acknowledge(principal: Principal, notificationId: string): Promise<Notification> {
    if (principal.isCaseSystem && principal.actor === null) {
      throw TandemError.forbidden(
        "An acknowledgement is a person's: send it with their token, or one your case system holds for them",
      );
    }
    principal.requirePurpose();
    const row = isUuid(notificationId) ? await this.repository.notification(notificationId) : null;
    const [visible] = row ? await this.access.forCaller(principal, [row]) : [];
    if (!row || !visible) throw TandemError.notFound('Notification');
    if (!(await this.repository.acknowledge(row.id, { subject: principal.subject, name: principal.name }))) {
      throw TandemError.conflict('Already acknowledged', { acknowledgedBy: row.acknowledgedByName });
    }
    const at = new Date();
    await this.disclosure.write([
      deliveryReceipt(principal, visible, { channel: 'GRAPHQL', deliveryId: null, endpointId: null, attempt: null }),
    ]);
    return toNotification({
      ...visible,
      acknowledgedAt: at,
      acknowledgedBySubject: principal.subject,
      acknowledgedByName: principal.name,
    });
  }

  async endpoints(principal: Principal): Promise<WebhookEndpoint[]> {
    return (await this.repository.endpointsOf(principal.caseSystem.id)).map(toEndpoint);
  }

  async register(principal: Principal, input: RegisterWebhookInput): Promise<WebhookSecret> {
    await this.checkDestination(input.url);
    const secret = newSecret();
    const saved = await this.repository.insertEndpoint({
      caseSystemId: principal.caseSystem.id,
      agencyId: principal.agency.id,
      url: input.url,
      eventTypes: [...new Set(input.eventTypes ?? [])],
      secret,
      previousSecret: null,
      previousSecretExpiresAt: null,
      status: 'ACTIVE',
      disabledReason: null,
      consecutiveGone: 0,
      leaseUntil: null,
      leaseToken: null,
      createdBySubject: principal.subject,
      createdAt: new Date(),
    });
    return { endpoint: toEndpoint(saved), secret };
  }

  /** A new secret; the old one keeps signing too (two signatures) for the overlap, so receivers can switch. */
  async rotateSecret(principal: Principal, endpointId: string): Promise<WebhookSecret> {
    const endpoint = await this.ownEndpoint(principal, endpointId);
    const secret = newSecret();
    const until = new Date(Date.now() + this.config.notifications.secretOverlapHours * 3_600_000);
    await this.repository.updateEndpoint(endpoint.id, {
      secret,
      previousSecret: endpoint.secret,
      previousSecretExpiresAt: until,
    });
    return {
      endpoint: toEndpoint({ ...endpoint, secret, previousSecret: endpoint.secret, previousSecretExpiresAt: until }),
      secret,
    };
  }

  async setEnabled(principal: Principal, endpointId: string, enabled: boolean): Promise<WebhookEndpoint> {
    const endpoint = await this.ownEndpoint(principal, endpointId);
    const patch = enabled
      ? { status: 'ACTIVE', disabledReason: null, consecutiveGone: 0 }
      : { status: 'DISABLED', disabledReason: `Disabled by ${principal.name}` };
    if (enabled) {
      // Resume at once, from the first notification it missed (those routed while it was disabled included).
      await this.repository.enableEndpoint(endpoint.id, endpoint.caseSystemId);
      this.dispatcher.wake();
    } else {
      await this.repository.updateEndpoint(endpoint.id, patch);
    }
    return toEndpoint({ ...endpoint, ...patch });
  }

  async deliveries(
    principal: Principal,
    endpointId: string,
    status: string | null,
    first: number | null,
  ): Promise<WebhookDelivery[]> {
    const endpoint = await this.ownEndpoint(principal, endpointId);
    if (status && !['PENDING', 'DELIVERED', 'DEAD'].includes(status))
      throw TandemError.badInput('PENDING, DELIVERED or DEAD', 'status');
    const rows = await this.repository.deliveriesOf(
      endpoint.id,
      status ?? undefined,
      pageSize(first, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
    );
    return rows.map((row) => ({
      id: row.id,
      notificationId: row.notificationId,
      sequence: row.seq,
      status: row.status,
      attempts: row.attempts,
      nextAttemptAt: row.nextAttemptAt,
      lastStatus: row.lastStatus,
      lastError: row.lastError,
      deliveredAt: row.deliveredAt,
    }));
  }

  /** Sends a delivery again (a dead one, or one the receiver lost), with the same webhook-id. */
  async redeliver(principal: Principal, deliveryId: string): Promise<WebhookDelivery> {
    const delivery = isUuid(deliveryId) ? await this.repository.delivery(deliveryId) : null;
    if (!delivery) throw TandemError.notFound('Delivery');
    await this.ownEndpoint(principal, delivery.endpointId).catch(() => {
      throw TandemError.notFound('Delivery');
    });
    const nextAttemptAt = new Date();
    await this.repository.updateDelivery(delivery.id, { status: 'PENDING', nextAttemptAt, lastError: null });
    this.dispatcher.wake();
    return {
      id: delivery.id,
      notificationId: delivery.notificationId,
      sequence: delivery.seq,
      status: 'PENDING',
      attempts: delivery.attempts,
      nextAttemptAt,
      lastStatus: delivery.lastStatus,
      lastError: null,
      deliveredAt: delivery.deliveredAt,
    };
  }

  private async ownEndpoint(principal: Principal, endpointId: string): Promise<WebhookEndpointEntity> {
    const endpoint = isUuid(endpointId) ? await this.repository.endpoint(endpointId) : null;
    if (!endpoint || endpoint.caseSystemId !== principal.caseSystem.id) throw TandemError.notFound('Webhook endpoint');
    return endpoint;
  }

  private async checkDestination(url: string): Promise<void> {
    const policy = {
      allowPrivateNetworks: this.config.notifications.allowPrivateNetworks,
      allowHttp: this.config.notifications.allowHttp,
    };
    try {
      await resolveDestination(checkUrl(url, policy), policy, dnsLookup(this.config.notifications.webhookTimeoutMs));
    } catch (error) {
      if (error instanceof DestinationRefused) throw TandemError.badInput(error.message, 'input.url');
      throw TandemError.badInput('The host does not resolve', 'input.url');
    }
  }
}

export function toNotification(row: NotificationEntity): Notification {
  return {
    id: row.id,
    sequence: row.seq,
    type: row.type as EventType,
    childId: row.childId,
    createdAt: row.createdAt,
    late: row.late,
    cloudEvent: JSON.stringify(row.payload),
    acknowledgedAt: row.acknowledgedAt,
    acknowledgedBy: row.acknowledgedByName,
    escalatesAt: row.escalateAt,
    escalatedAt: row.escalatedAt,
  };
}

function toEndpoint(row: WebhookEndpointEntity): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    eventTypes: row.eventTypes as EventType[],
    status: row.status,
    disabledReason: row.disabledReason,
    previousSecretValidUntil: row.previousSecretExpiresAt,
    createdAt: row.createdAt,
  };
}
