import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { DisclosureService } from 'src/disclosure/disclosure.service.js';
import type { ReceiptBody } from 'src/disclosure/receipt.js';
import { deliveryReceipt } from 'src/notifications/delivery-receipt.js';
import type { NotificationEntity } from 'src/notifications/entities/notification.entity.js';
import type { WebhookDeliveryEntity } from 'src/notifications/entities/webhook-delivery.entity.js';
import type { WebhookEndpointEntity } from 'src/notifications/entities/webhook-endpoint.entity.js';
import { NotificationAccess } from 'src/notifications/notification-access.js';
import { NotificationsRepository } from 'src/notifications/notifications.repository.js';
import { systemPrincipal } from 'src/notifications/recipient-view.service.js';
import { signatureHeader } from 'src/notifications/webhooks/signature.js';
import { postWebhook } from 'src/notifications/webhooks/webhook-sender.js';

/** Endpoints leased per pass, and deliveries read ahead per endpoint. */
const ENDPOINTS_PER_PASS = 50;
/** Endpoints delivered to at once (each lane holds at most one database connection at a time). */
const ENDPOINT_LANES = 4;
const DELIVERY_WINDOW = 50;

/** Why a delivery was not sent: the policy in force when it fell due no longer shows it to the case system. */
export const WITHHELD_NOW = 'Not sent: the case system may no longer see this (the policy in force when it was due)';

/**
 * Sends due webhook deliveries: leases one endpoint at a time (SKIP LOCKED, with a token, so one
 * instance delivers to it), sends its deliveries in sequence order, signed, each attempt written
 * to the disclosure log before it is sent; retries with backoff, dead-letters after the last
 * attempt, and disables an endpoint whose receiver keeps answering 410 Gone.
 */
@Injectable()
export class WebhookDeliveryService {
  private readonly logger = new Logger(WebhookDeliveryService.name);

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(NotificationsRepository) private readonly repository: NotificationsRepository,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(DisclosureService) private readonly disclosure: DisclosureService,
    @Inject(NotificationAccess) private readonly access: NotificationAccess,
  ) {}

  /**
   * Delivers to every endpoint with something due, ENDPOINT_LANES at a time, so that one receiver
   * slow to answer (each attempt bounded by WEBHOOK_TIMEOUT_MS) does not hold back the others;
   * returns how many deliveries were attempted.
   */
  async deliverDue(): Promise<number> {
    let attempted = 0;
    let leased = 0;
    const leaseMs = this.config.notifications.leaseMs;
    // Each endpoint once per pass: a failing one waits for its backoff, the others go on.
    const visited: string[] = [];
    const lane = async (): Promise<void> => {
      while (leased < ENDPOINTS_PER_PASS) {
        leased += 1;
        const lease = await this.repository.leaseDueEndpoint(leaseMs, [...visited]);
        if (!lease) return;
        visited.push(lease.endpoint.id);
        try {
          // Read after the await: another lane may have added to it meanwhile.
          const delivered = await this.deliverTo(lease.endpoint, lease.token, leaseMs);
          attempted += delivered;
        } finally {
          await this.repository.releaseLease(lease.endpoint.id, lease.token);
        }
      }
    };
    // Every lane ends before the pass does (a failing one must not leave the others running into the next pass or a shutdown).
    const lanes = await Promise.allSettled(Array.from({ length: ENDPOINT_LANES }, lane));
    const failed = lanes.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    for (const other of failed.slice(1)) {
      this.logger.error(`A delivery lane failed: ${other.reason instanceof Error ? other.reason.message : String(other.reason)}`);
    }
    if (failed[0]) throw failed[0].reason;
    return attempted;
  }

  /**
   * In sequence order; a delivery that fails holds back the ones after it until it succeeds or dies.
   * An endpoint gets about WEBHOOK_TIMEOUT_MS of a pass: a receiver that answers each delivery just
   * inside the timeout leaves the rest of its backlog for the next pass instead of holding this one.
   */
  private async deliverTo(endpoint: WebhookEndpointEntity, token: string, leaseMs: number): Promise<number> {
    let attempted = 0;
    let leasedAt = Date.now();
    const until = leasedAt + this.config.notifications.webhookTimeoutMs;
    for (;;) {
      // The next few in sequence order, with their notifications, in two queries.
      const window = await this.repository.headOfLineWindow(endpoint.id, DELIVERY_WINDOW);
      if (window.length === 0) return attempted;
      const notifications = new Map(
        (await this.repository.notificationsByIds(window.map((delivery) => delivery.notificationId))).map((n) => [n.id, n]),
      );
      for (const delivery of window) {
        if (delivery.nextAttemptAt.getTime() > Date.now()) return attempted;
        const notification = notifications.get(delivery.notificationId);
        if (!notification) {
          await this.repository.updateDelivery(delivery.id, { status: 'DEAD', lastError: 'Notification missing' });
          continue;
        }
        attempted += 1;
        const ok = await this.attempt(endpoint, delivery, notification);
        if (!ok || Date.now() > until) return attempted;
        if (Date.now() - leasedAt > leaseMs / 3) {
          // Stalled past the lease? Another instance has the endpoint now: stop here.
          if (!(await this.repository.renewLease(endpoint.id, token, leaseMs))) return attempted;
          leasedAt = Date.now();
        }
      }
    }
  }

  /** One attempt; true when the deliveries after it may go (this one delivered or died). */
  private async attempt(
    endpoint: WebhookEndpointEntity,
    delivery: WebhookDeliveryEntity,
    notification: NotificationEntity,
  ): Promise<boolean> {
    const settings = this.config.notifications;
    const attempt = delivery.attempts + 1;
    let current: NotificationEntity | null;
    try {
      // What the case system may have now, not as it was routed: a retry or a redelivery sends nothing
      // its agency may no longer see (a contact restriction, an ended involvement since).
      current = await this.access.forItsCaseSystem(notification);
      if (current) {
        // Each attempt sends the data, so each is a disclosure; nothing is sent unless its receipt is written.
        await this.disclosure.write([await this.receiptFor(current, delivery, attempt)]);
      }
    } catch (error) {
      // Retried like a receiver that is down: one notification that cannot be built holds back only its endpoint.
      await this.repository.settleDelivery(delivery.id, {
        nextAttemptAt: new Date(Date.now() + settings.retryBaseMs),
        lastError: `Not sent: it could not be built or recorded (${error instanceof Error ? error.message : String(error)})`,
      });
      return false;
    }
    if (!current) {
      this.logger.warn(`Webhook delivery ${delivery.id} not sent: the case system may no longer see it`);
      await this.repository.settleDelivery(delivery.id, { status: 'DEAD', lastError: WITHHELD_NOW });
      return true;
    }
    const body = JSON.stringify(current.payload);
    const timestamp = Math.floor(Date.now() / 1000);
    const secrets = [endpoint.secret];
    if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > new Date()) {
      secrets.push(endpoint.previousSecret);
    }
    const result = await postWebhook(
      endpoint.url,
      {
        'webhook-id': delivery.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureHeader(secrets, delivery.id, timestamp, body),
      },
      body,
      {
        allowPrivateNetworks: settings.allowPrivateNetworks,
        allowHttp: settings.allowHttp,
        timeoutMs: settings.webhookTimeoutMs,
      },
    );
    const now = new Date();
    if (result.status !== null && result.status >= 200 && result.status < 300) {
      await this.repository.settleDelivery(delivery.id, {
        status: 'DELIVERED',
        attempts: attempt,
        lastStatus: result.status,
        lastError: null,
        deliveredAt: now,
      });
      if (endpoint.consecutiveGone > 0) {
        // In memory too: the endpoint's later deliveries in this pass count from here.
        endpoint.consecutiveGone = 0;
        await this.repository.updateEndpoint(endpoint.id, { consecutiveGone: 0 });
      }
      return true;
    }
    if (result.status === 410) {
      const gone = endpoint.consecutiveGone + 1;
      endpoint.consecutiveGone = gone;
      await this.repository.updateEndpoint(
        endpoint.id,
        gone >= settings.disableAfterGone
          ? { consecutiveGone: gone, status: 'DISABLED', disabledReason: `The receiver answered 410 Gone ${gone} times in a row` }
          : { consecutiveGone: gone },
      );
    }
    const dead = attempt >= settings.maxAttempts;
    await this.repository.settleDelivery(delivery.id, {
      status: dead ? 'DEAD' : 'PENDING',
      attempts: attempt,
      lastStatus: result.status,
      lastError: result.error ?? `HTTP ${result.status ?? '-'}`,
      nextAttemptAt: dead ? now : new Date(now.getTime() + backoff(attempt, settings.retryBaseMs, settings.retryMaxMs)),
    });
    // A dead delivery no longer holds back the ones after it; the receiver sees the gap and catches up.
    return dead;
  }

  private async receiptFor(
    notification: NotificationEntity,
    delivery: WebhookDeliveryEntity,
    attempt: number,
  ): Promise<ReceiptBody> {
    const caseSystem = await this.directory.caseSystem(notification.caseSystemId);
    const agency = await this.directory.agency(notification.agencyId);
    const principal = systemPrincipal(
      { id: notification.caseSystemId, code: caseSystem.code, name: caseSystem.name },
      { id: agency.id, code: agency.code, kind: agency.kind, localAuthorityId: agency.localAuthority?.id ?? null },
      (notification.payload.tandemeventid as string | undefined) ?? notification.id,
    );
    return deliveryReceipt(principal, notification, {
      channel: 'WEBHOOK',
      deliveryId: delivery.id,
      endpointId: delivery.endpointId,
      attempt,
    });
  }
}

/** One pending delivery per active endpoint of the recipient that wants this event type. */
export function deliveriesFor(
  notification: NotificationEntity,
  endpoints: readonly WebhookEndpointEntity[],
): WebhookDeliveryEntity[] {
  return endpoints
    .filter((endpoint) => endpoint.eventTypes.length === 0 || endpoint.eventTypes.includes(notification.type))
    .map((endpoint) => ({
      id: randomUUID(),
      endpointId: endpoint.id,
      notificationId: notification.id,
      seq: notification.seq,
      status: 'PENDING',
      attempts: 0,
      nextAttemptAt: new Date(),
      lastStatus: null,
      lastError: null,
      deliveredAt: null,
      createdAt: new Date(),
    }));
}

/** Exponential backoff with ±20% jitter, capped: 30 s, 1 min, 2 min … 2 h, about a day over 18 attempts. */
export function backoff(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const plain = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.round(plain * (0.8 + 0.4 * random()));
}
