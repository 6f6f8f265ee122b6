import { registerEnumType } from '@nestjs/graphql';

/** The protocol events Tandem tells other services about (DOMAIN §2.3). */
export enum EventType {
  PLACEMENT_CHANGE_PLANNED = 'PLACEMENT_CHANGE_PLANNED',
  PLACEMENT_CHANGED = 'PLACEMENT_CHANGED',
  LEGAL_STATUS_CHANGED = 'LEGAL_STATUS_CHANGED',
  REMAND_RECORDED = 'REMAND_RECORDED',
  CUSTODY_SENTENCE_RECORDED = 'CUSTODY_SENTENCE_RECORDED',
  WORKER_ALLOCATION_CHANGED = 'WORKER_ALLOCATION_CHANGED',
  RECORD_PUBLISHED = 'RECORD_PUBLISHED',
  ACKNOWLEDGEMENT_OVERDUE = 'ACKNOWLEDGEMENT_OVERDUE',
  CHILD_MERGED = 'CHILD_MERGED',
  CHILD_UNMERGED = 'CHILD_UNMERGED',
}

/** CloudEvents `type` for each event. */
export const CLOUD_EVENT_TYPE: Readonly<Record<EventType, string>> = {
  PLACEMENT_CHANGE_PLANNED: 'uk.tandem.placement.change-planned',
  PLACEMENT_CHANGED: 'uk.tandem.placement.changed',
  LEGAL_STATUS_CHANGED: 'uk.tandem.legal-status.changed',
  REMAND_RECORDED: 'uk.tandem.remand.recorded',
  CUSTODY_SENTENCE_RECORDED: 'uk.tandem.custody-sentence.recorded',
  WORKER_ALLOCATION_CHANGED: 'uk.tandem.allocation.changed',
  RECORD_PUBLISHED: 'uk.tandem.record.published',
  ACKNOWLEDGEMENT_OVERDUE: 'uk.tandem.acknowledgement.overdue',
  CHILD_MERGED: 'uk.tandem.child.merged',
  CHILD_UNMERGED: 'uk.tandem.child.unmerged',
};

/** Events a person must acknowledge, escalating to the team manager's queue when nobody does. */
export const MUST_ACKNOWLEDGE: ReadonlySet<string> = new Set([EventType.PLACEMENT_CHANGE_PLANNED, EventType.PLACEMENT_CHANGED]);

registerEnumType(EventType, {
  name: 'EventType',
  description: 'A protocol event pushed to the case systems that must know.',
  valuesMap: {
    PLACEMENT_CHANGE_PLANNED: { description: 'CSC planned a placement move (tell the YOS before the move, 002 §9.2).' },
    PLACEMENT_CHANGED: { description: 'A placement move took effect.' },
    LEGAL_STATUS_CHANGED: { description: "The child's legal status changed." },
    REMAND_RECORDED: { description: 'A remand was recorded (YOS to CSC).' },
    CUSTODY_SENTENCE_RECORDED: { description: 'A custodial sentence was recorded (YOS to CSC, same day).' },
    WORKER_ALLOCATION_CHANGED: { description: 'A worker was allocated or an allocation ended (001 §7.12).' },
    RECORD_PUBLISHED: { description: 'A new plan or assessment version was published.' },
    ACKNOWLEDGEMENT_OVERDUE: { description: "Nobody acknowledged a placement change in time: for the team manager's queue." },
    CHILD_MERGED: { description: 'A duplicate child was merged into this one: its id now resolves to this child.' },
    CHILD_UNMERGED: { description: 'A merge was undone: the two children are separate again, each with what it had.' },
  },
});
