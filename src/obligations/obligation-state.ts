import { registerEnumType } from '@nestjs/graphql';

/** Where a duty is in its life (issue 14 §2). */
export enum ObligationState {
  OPEN = 'OPEN',
  DUE_SOON = 'DUE_SOON',
  OVERDUE = 'OVERDUE',
  ESCALATED = 'ESCALATED',
  SATISFIED = 'SATISFIED',
  WAIVED = 'WAIVED',
  CANCELLED = 'CANCELLED',
}

/** The states whose clock still runs: the sweep looks at these only. */
export const LIVE_STATES: readonly ObligationState[] = [
  ObligationState.OPEN,
  ObligationState.DUE_SOON,
  ObligationState.OVERDUE,
  ObligationState.ESCALATED,
];

registerEnumType(ObligationState, {
  name: 'ObligationState',
  description: 'Where a protocol duty is in its life.',
  valuesMap: {
    OPEN: { description: 'Opened by its trigger; not yet due.' },
    DUE_SOON: { description: 'Due within the definition’s warning period (default two working days).' },
    OVERDUE: { description: 'Past its due time with no evidence.' },
    ESCALATED: { description: 'Overdue and escalated to the next level (team manager, then head of service).' },
    SATISFIED: { description: 'Evidence arrived: a record made FINAL, a visit, a signature, an allocation.' },
    WAIVED: { description: 'A manager of the owning agency waived it, with a reason.' },
    CANCELLED: { description: 'Its trigger was reversed (an acquittal, the end of a remand).' },
  },
});
