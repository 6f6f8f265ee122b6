import { Inject, Injectable } from '@nestjs/common';
import { BackgroundWorker } from 'src/common/worker/background-worker.js';
import { AppConfig } from 'src/config/app-config.js';
import { NotificationEscalation } from 'src/notifications/notification-escalation.service.js';
import { NotificationListener } from 'src/notifications/notification-listener.service.js';
import { NotificationRouter } from 'src/notifications/notification-router.service.js';
import { WebhookDeliveryService } from 'src/notifications/webhooks/webhook-delivery.service.js';

/**
 * Routes committed events to the case systems that must know and delivers them: every instance
 * runs one, every NOTIFY_POLL_MS and whenever PostgreSQL says events were committed (0: only when
 * drained). Instances share the work through PostgreSQL (an advisory lock for routing, leases
 * taken with SKIP LOCKED for delivery), so each event reaches each endpoint once, in sequence order.
 */
@Injectable()
export class NotificationDispatcher extends BackgroundWorker {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(NotificationRouter) private readonly router: NotificationRouter,
    @Inject(NotificationEscalation) private readonly escalation: NotificationEscalation,
    @Inject(WebhookDeliveryService) private readonly delivery: WebhookDeliveryService,
    @Inject(NotificationListener) private readonly listener: NotificationListener,
  ) {
    super('Dispatch');
  }

  protected intervalMs(): number {
    return this.config.notifications.pollMs;
  }

  /** LISTENs even when passes run only on demand: live subscribers hear of notifications routed on other instances. */
  protected override async start(): Promise<void> {
    await this.listener.start(() => this.wake());
  }

  protected override async stop(): Promise<void> {
    await this.listener.close();
  }

  protected async pass(): Promise<void> {
    await this.drain(10);
  }

  /** Routes, escalates and delivers until nothing is due (tests and the CLI call it directly). */
  async drain(maxPasses = 100): Promise<void> {
    for (let pass = 0; pass < maxPasses; pass += 1) {
      const routed = await this.routeBatch();
      const escalated = await this.escalate();
      const delivered = await this.deliverDue();
      if (routed === 0 && escalated === 0 && delivered === 0) return;
    }
  }

  /** Routes one batch of committed events in order; returns how many were routed here. */
  routeBatch(): Promise<number> {
    return this.router.routeBatch();
  }

  /** Escalates overdue unacknowledged notifications; returns how many escalated. */
  escalate(): Promise<number> {
    return this.escalation.escalate();
  }

  /** Delivers to every endpoint with something due; returns how many deliveries were attempted. */
  deliverDue(): Promise<number> {
    return this.delivery.deliverDue();
  }
}
