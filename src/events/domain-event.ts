import type { z } from 'zod';
import type { DomainEventEntity } from 'src/events/domain-event.entity.js';
import type { EventType } from 'src/events/event-type.js';

/** A snapshot of what changed, as committed: JSON, stored in `domain_event.facts`. */
export type EventFacts = Readonly<Record<string, unknown>>;

/**
 * What every domain event carries. The module that emits an event narrows `type`, `subjectKind`
 * and `facts` to its own (children: placements, legal status, allocations; records: published
 * versions), so that this module, below them, names none of them.
 */
export interface DomainEvent<
  Type extends EventType = EventType,
  Kind extends string = string,
  Facts extends EventFacts = EventFacts,
> {
  readonly type: Type;
  readonly childId: string;
  readonly subjectKind: Kind;
  readonly subjectId: string;
  readonly subjectVersion: number | null;
  /** Routing and each recipient's view are built from it, so it says what was committed. */
  readonly facts: Facts;
}

/** An event as read back from the outbox, before the module that emitted it has checked it. */
export type StoredEvent = Pick<
  DomainEventEntity,
  'eventId' | 'type' | 'childId' | 'subjectKind' | 'subjectId' | 'subjectVersion' | 'facts'
>;

/**
 * The events of one shape: their types, subject kinds and facts. The schema may not transform
 * (its input is its output), so a value it accepts is already of the facts type.
 */
export interface EventShape<Type extends EventType, Kind extends string, Facts extends EventFacts> {
  readonly types: readonly Type[];
  readonly kinds: readonly Kind[];
  readonly facts: z.ZodType<Facts, z.ZodTypeDef, Facts>;
}

/** Declares the events of one shape, keeping the literal types and kinds for the event's type. */
export function eventShape<const Type extends EventType, const Kind extends string, Facts extends EventFacts>(
  shape: EventShape<Type, Kind, Facts>,
): EventShape<Type, Kind, Facts> {
  return shape;
}

/**
 * The stored event as one of `shape`'s, or null when its type is not one of them. A stored event of
 * one of its types that does not match it is a defect, not an event to skip: it throws.
 */
export function eventOf<Type extends EventType, Kind extends string, Facts extends EventFacts>(
  stored: StoredEvent,
  shape: EventShape<Type, Kind, Facts>,
): DomainEvent<Type, Kind, Facts> | null {
  const type = shape.types.find((candidate) => candidate === stored.type);
  if (type === undefined) return null;
  const kind = shape.kinds.find((candidate) => candidate === stored.subjectKind);
  const facts = stored.facts;
  if (kind === undefined || !conforms(shape.facts, facts)) {
    throw new Error(`Domain event ${stored.eventId} (${stored.type}, ${stored.subjectKind}) does not have the shape of its type`);
  }
  // The stored object itself, not a parsed copy: a copy would have its keys in schema order, and
  // recipients' views (and the field paths their receipts list) follow the order as stored.
  return {
    type,
    childId: stored.childId,
    subjectKind: kind,
    subjectId: stored.subjectId,
    subjectVersion: stored.subjectVersion,
    facts,
  };
}

function conforms<Facts extends EventFacts>(schema: z.ZodType<Facts, z.ZodTypeDef, Facts>, value: EventFacts): value is Facts {
  return schema.safeParse(value).success;
}
