import { type Described, describe } from 'src/policy/disclosed.js';
import { Obligation } from 'src/obligations/obligation.model.js';
import type { ObligationEvent } from 'src/obligations/obligations.events.js';

/**
 * A duty's change as a notification carries it (the event's snapshot), described as the Obligation
 * whose fields it repeats (all case administration), so a rule that lets only that class out
 * decides it field by field like the duty itself.
 */
export function describedSnapshot(event: ObligationEvent): Described<Record<string, unknown>> {
  const duty = event.facts.obligation;
  return describe<Record<string, unknown>>(
    { ...duty, withheld: [] },
    {
      kind: 'OBLIGATION',
      id: event.subjectId,
      childId: event.childId,
      version: null,
      owningAgencyId: duty.ownerAgencyId,
      model: Obligation,
    },
  );
}
