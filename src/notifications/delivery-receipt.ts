import { callerPart, type ReceiptBody } from 'src/disclosure/receipt.js';
import type { NotificationEntity } from 'src/notifications/entities/notification.entity.js';

/** The receipt of a notification leaving the gateway, by webhook, subscription or catch-up. */
export function deliveryReceipt(
  principal: Parameters<typeof callerPart>[0],
  notification: NotificationEntity,
  via: {
    channel: ReceiptBody['operation']['channel'];
    deliveryId: string | null;
    endpointId: string | null;
    attempt: number | null;
  },
): ReceiptBody {
  const receipt = notification.receipt;
  return {
    ...callerPart(principal, new Date()),
    entry: 'DISCLOSURE',
    outcome: 'DISCLOSED',
    operation: { channel: via.channel, name: notification.type, hash: null },
    breakGlass: false,
    afterAllocationEnded: false,
    child: notification.childId,
    record: { kind: receipt.kind, id: receipt.id, version: receipt.version, owningAgencyId: receipt.owningAgencyId },
    disclosed: [...receipt.disclosed],
    withheld: [...receipt.withheld],
    bases: [...receipt.bases],
    delivery: {
      notificationId: notification.id,
      seq: notification.seq,
      deliveryId: via.deliveryId,
      endpointId: via.endpointId,
      attempt: via.attempt,
    },
  };
}
