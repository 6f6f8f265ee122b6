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
  COURT_OUTCOME_RECORDED = 'COURT_OUTCOME_RECORDED',
  RELEASE_RECORDED = 'RELEASE_RECORDED',
  PLACEMENT_CHANGE_CANCELLED = 'PLACEMENT_CHANGE_CANCELLED',
  LOOKED_AFTER_STATUS_CHANGED = 'LOOKED_AFTER_STATUS_CHANGED',
  LEAD_PROFESSIONAL_CHANGED = 'LEAD_PROFESSIONAL_CHANGED',
  RECORD_FINALISED = 'RECORD_FINALISED',
  RECORD_WITHDRAWN = 'RECORD_WITHDRAWN',
  DETENTION_PLACEMENT_PLAN_SIGNED = 'DETENTION_PLACEMENT_PLAN_SIGNED',
  VISIT_RECORDED = 'VISIT_RECORDED',
  RELEASE_PLAN_AGREED = 'RELEASE_PLAN_AGREED',
  RELEASE_PLAN_NOT_AGREED = 'RELEASE_PLAN_NOT_AGREED',
  RECORD_COPY_SENT = 'RECORD_COPY_SENT',
  OBLIGATION_CHANGED = 'OBLIGATION_CHANGED',
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
  COURT_OUTCOME_RECORDED: 'uk.tandem.court-outcome.recorded',
  RELEASE_RECORDED: 'uk.tandem.release.recorded',
  PLACEMENT_CHANGE_CANCELLED: 'uk.tandem.placement.change-cancelled',
  LOOKED_AFTER_STATUS_CHANGED: 'uk.tandem.looked-after-status.changed',
  LEAD_PROFESSIONAL_CHANGED: 'uk.tandem.lead-professional.changed',
  RECORD_FINALISED: 'uk.tandem.record.finalised',
  RECORD_WITHDRAWN: 'uk.tandem.record.withdrawn',
  DETENTION_PLACEMENT_PLAN_SIGNED: 'uk.tandem.detention-placement-plan.signed',
  VISIT_RECORDED: 'uk.tandem.visit.recorded',
  RELEASE_PLAN_AGREED: 'uk.tandem.release-plan.agreed',
  RELEASE_PLAN_NOT_AGREED: 'uk.tandem.release-plan.not-agreed',
  RECORD_COPY_SENT: 'uk.tandem.record.copy-sent',
  OBLIGATION_CHANGED: 'uk.tandem.obligation.changed',
};

/**
 * Events a person must acknowledge, escalating to the team manager's queue when nobody does: moves
 * (002 §9.2) and the court notices the receiving team must act on (001 §6.2–6.5, §7.5; 002 §8.1).
 */
export const MUST_ACKNOWLEDGE: ReadonlySet<string> = new Set([
  EventType.PLACEMENT_CHANGE_PLANNED,
  EventType.PLACEMENT_CHANGED,
  EventType.PLACEMENT_CHANGE_CANCELLED,
  EventType.REMAND_RECORDED,
  EventType.CUSTODY_SENTENCE_RECORDED,
  EventType.RELEASE_RECORDED,
  EventType.COURT_OUTCOME_RECORDED,
]);

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
    COURT_OUTCOME_RECORDED: {
      description:
        'The YOS recorded a court outcome other than a remand, custody or release (bail, community sentence, acquittal, …).',
    },
    RELEASE_RECORDED: { description: 'The YOS recorded a release from custody (T15).' },
    PLACEMENT_CHANGE_CANCELLED: { description: 'A planned move was cancelled: everyone told of the plan is told.' },
    LOOKED_AFTER_STATUS_CHANGED: { description: 'The derived looked-after status changed (Table 4.2), with its rule.' },
    LEAD_PROFESSIONAL_CHANGED: { description: 'The computed lead professional changed (Table 4.1), with its rule.' },
    RECORD_FINALISED: { description: 'A shared record version was made FINAL (it can satisfy a duty).' },
    RECORD_WITHDRAWN: { description: 'A shared record was withdrawn, with a reason.' },
    DETENTION_PLACEMENT_PLAN_SIGNED: {
      description: 'The secure establishment’s governor (or director, registered manager) signed the DPP (001 §6.11).',
    },
    VISIT_RECORDED: { description: 'A visit to the child was recorded (statutory, former-LAC-in-detention, PA or joint).' },
    RELEASE_PLAN_AGREED: { description: 'The CSC operations manager agreed the release plan (003 §8.3).' },
    RELEASE_PLAN_NOT_AGREED: {
      description:
        'The CSC operations manager did not agree the release plan: the YJS and the establishment must reach agreement before release (003 §8.3).',
    },
    RECORD_COPY_SENT: {
      description:
        'The owner sent a copy of a FINAL record version to another agency (the care plan to the establishment, 001 §6.10).',
    },
    OBLIGATION_CHANGED: {
      description: 'A protocol duty opened, fell due, became overdue, escalated, or was satisfied, waived or cancelled.',
    },
  },
});
