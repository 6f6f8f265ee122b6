import { Inject, Injectable, Logger } from '@nestjs/common';
import pg from 'pg';
import type { EntityManager } from 'typeorm';
import { AppConfig } from 'src/config/app-config.js';
import { EVENTS_CHANNEL, ROUTED_CHANNEL } from 'src/events/outbox.service.js';
import type { NotificationEntity } from 'src/notifications/entities/notification.entity.js';
import { LiveNotifications } from 'src/notifications/live-notifications.js';
import { NotificationsRepository } from 'src/notifications/notifications.repository.js';

/** NOTIFY payloads are limited to 8000 bytes: 150 notification ids fit in one. */
const IDS_PER_NOTIFY = 150;
const RECONNECT_MS = 1000;

/**
 * LISTEN/NOTIFY on PostgreSQL, both ends: events committed by any instance wake this one's
 * dispatcher (so delivery does not wait for the next poll), and notifications routed by any
 * instance reach this one's live subscribers. Embedded PGlite has one instance and no LISTEN
 * connection: what is routed there is published to its subscribers directly.
 */
@Injectable()
export class NotificationListener {
  private readonly logger = new Logger('Notifications');
  private client: pg.Client | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private announced: Promise<void> = Promise.resolve();
  private onEvents: () => void = () => undefined;
  private closed = false;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(NotificationsRepository) private readonly repository: NotificationsRepository,
    @Inject(LiveNotifications) private readonly live: LiveNotifications,
  ) {}

  /** LISTENs (when on PostgreSQL); `onEvents` runs whenever an instance commits or routes events. */
  async start(onEvents: () => void): Promise<void> {
    this.onEvents = onEvents;
    await this.listen();
  }

  /** Ends the LISTEN connection and lets the publishing in progress finish. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
    await this.announced;
  }

  /** Tells every instance (at commit) which notifications were routed, for their live subscribers. */
  async announce(manager: EntityManager, created: readonly NotificationEntity[]): Promise<void> {
    for (let index = 0; index < created.length; index += IDS_PER_NOTIFY) {
      const ids = created.slice(index, index + IDS_PER_NOTIFY).map((notification) => notification.id);
      await this.repository.notify(manager, ROUTED_CHANNEL, ids.join(','));
    }
  }

  /** After commit: without LISTEN (PGlite, or while reconnecting) no announcement reaches this instance's subscribers. */
  publishUnheard(created: readonly NotificationEntity[]): void {
    if (!this.client) this.live.publish(created);
  }

  private async listen(): Promise<void> {
    if (!this.config.databaseUrl || this.client || this.closed) return;
    const client = new pg.Client({ connectionString: this.config.databaseUrl });
    const lost = (why: string) => {
      if (this.client !== client) return;
      this.logger.warn(`Event listener lost (${why}); reconnecting`);
      this.client = undefined;
      void client.end().catch(() => undefined);
      // Until it is back, this instance polls and publishes to its own subscribers.
      if (!this.closed) {
        this.reconnectTimer = setTimeout(() => void this.listen(), RECONNECT_MS);
        this.reconnectTimer.unref();
      }
    };
    client.on('error', (error) => lost(error.message));
    client.on('end', () => lost('connection ended'));
    client.on('notification', (message) => {
      if (message.channel === ROUTED_CHANNEL && message.payload) this.publishAnnounced(message.payload.split(','));
      else this.onEvents();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      await client.query(`LISTEN ${ROUTED_CHANNEL}`);
      // Closed while connecting: nobody would end this connection.
      if (this.closed) await client.end().catch(() => undefined);
      else this.client = client;
    } catch (error) {
      this.logger.warn(`Cannot LISTEN for events, polling only: ${error instanceof Error ? error.message : String(error)}`);
      await client.end().catch(() => undefined);
    }
  }

  private publishAnnounced(ids: readonly string[]): void {
    // In the order announced, so subscribers see each recipient's sequence in order.
    this.announced = this.announced
      .then(() => this.repository.notificationsByIds(ids))
      .then((rows) => this.live.publish(rows))
      .catch((error: unknown) =>
        this.logger.warn(`Live notifications: ${error instanceof Error ? error.message : String(error)}`),
      );
  }
}
