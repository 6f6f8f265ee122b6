import { EventEmitter } from 'node:events';
import { Injectable } from '@nestjs/common';
import type { NotificationEntity } from 'src/notifications/entities/notification.entity.js';

/**
 * Notifications routed on this instance, for live subscribers on it. Subscribers on other
 * instances hear of them through PostgreSQL (LISTEN/NOTIFY) and load them by id.
 */
@Injectable()
export class LiveNotifications {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  publish(notifications: readonly NotificationEntity[]): void {
    for (const notification of notifications) this.emitter.emit('notification', notification);
  }

  private openedSoFar = 0;

  /** How many live subscribers this instance has now. */
  subscribers(): number {
    return this.emitter.listenerCount('notification');
  }

  /** How many subscriptions were ever opened here (tests wait on it). */
  opened(): number {
    return this.openedSoFar;
  }

  subscribe(listener: (notification: NotificationEntity) => void): () => void {
    this.openedSoFar += 1;
    this.emitter.on('notification', listener);
    return () => this.emitter.off('notification', listener);
  }
}
