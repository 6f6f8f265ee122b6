import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from 'src/common/pagination/connection.js';
import { EventType } from 'src/events/event-type.js';

@ObjectType({ description: 'An event as your case system receives it, in its sequence.' })
export class Notification {
  @Field(() => ID, { description: 'The notification (and the CloudEvent `id`).' })
  id: string;

  @Field({ description: "Its place in your case system's sequence (a decimal integer; gaps mean something was missed)." })
  sequence: string;

  @Field(() => EventType, { description: 'What happened.' })
  type: EventType;

  @Field(() => ID, { description: 'The child.' })
  childId: string;

  @Field({ description: 'When it was routed to you.' })
  createdAt: Date;

  @Field({ description: 'A planned move recorded after its date, or a move recorded after it took effect (002 §9.2).' })
  late: boolean;

  @Field({ description: 'The CloudEvent (JSON), with what your policy lets you see of the change.' })
  cloudEvent: string;

  @Field(() => Date, { nullable: true, description: 'When a person acknowledged it.' })
  acknowledgedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Who acknowledged it.' })
  acknowledgedBy: string | null;

  @Field(() => Date, {
    nullable: true,
    description:
      "When it escalates to the team manager's queue unless a person acknowledges it first; null for events that need no acknowledgement.",
  })
  escalatesAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was escalated, nobody having acknowledged it in time.' })
  escalatedAt: Date | null;
}

@ObjectType('NotificationConnection', { description: 'Notifications in sequence order.' })
export class NotificationConnection extends Connection(Notification, 'NotificationList', 'notification') {}

@ObjectType({ description: 'A URL your case system receives its notifications at (Standard Webhooks, CloudEvents bodies).' })
export class WebhookEndpoint {
  @Field(() => ID, { description: 'The endpoint.' })
  id: string;

  @Field({ description: 'Where notifications are POSTed.' })
  url: string;

  @Field(() => [EventType], { description: 'The event types delivered here; empty means all.' })
  eventTypes: EventType[];

  @Field({ description: 'ACTIVE or DISABLED.' })
  status: string;

  @Field(() => String, { nullable: true, description: 'Why it was disabled.' })
  disabledReason: string | null;

  @Field(() => Date, { nullable: true, description: 'Until when the previous secret also signs (after a rotation).' })
  previousSecretValidUntil: Date | null;

  @Field({ description: 'When it was registered.' })
  createdAt: Date;
}

@ObjectType({ description: 'An endpoint with its signing secret, shown only now.' })
export class WebhookSecret {
  @Field(() => WebhookEndpoint, { description: 'The endpoint.' })
  endpoint: WebhookEndpoint;

  @Field({ description: 'The signing secret (`whsec_…`): keep it; it is not shown again.' })
  secret: string;
}

@ObjectType({ description: "One notification's delivery to one endpoint." })
export class WebhookDelivery {
  @Field(() => ID, { description: 'The `webhook-id` header: the same on every retry.' })
  id: string;

  @Field(() => ID, { description: 'The notification.' })
  notificationId: string;

  @Field({ description: 'Its sequence number.' })
  sequence: string;

  @Field({ description: 'PENDING, DELIVERED or DEAD.' })
  status: string;

  @Field(() => Int, { description: 'Attempts so far.' })
  attempts: number;

  @Field({ description: 'When the next attempt is due (while PENDING).' })
  nextAttemptAt: Date;

  @Field(() => Int, { nullable: true, description: 'The last HTTP status.' })
  lastStatus: number | null;

  @Field(() => String, { nullable: true, description: 'The last error.' })
  lastError: string | null;

  @Field(() => Date, { nullable: true, description: 'When a 2xx came back.' })
  deliveredAt: Date | null;
}

@InputType({ description: 'A webhook to register for your case system.' })
export class RegisterWebhookInput {
  @Field({ description: 'An https URL on the public internet (private addresses are refused unless configured).' })
  url: string;

  @Field(() => [EventType], { nullable: true, description: 'Only these event types; all when absent or empty.' })
  eventTypes?: EventType[] | null;
}
