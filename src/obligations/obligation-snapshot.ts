import { type Described, describe } from 'src/policy/disclosed.js';
import { Obligation } from 'src/obligations/obligation.model.js';
import type { ObligationEvent } from 'src/obligations/obligations.events.js';

/**
 * A duty's change as a notification carries it (the event's snapshot), described as the Obligation
 * whose fields it repeats (all case administration), so a rule that lets only that class out
 * decides it field by field like the duty itself. Only the DUTY-OWNER view uses it.
 */
export function describedSnapshot(event: ObligationEvent): Described<Record<string, unknown>> {
  // The transition's reason is left out: it can name what opened or closed the duty (a court outcome).
  const duty: Record<string, unknown> = { ...event.facts.obligation };
  delete duty.reason;
  return describe<Record<string, unknown>>(
    { ...duty, withheld: [] },
    {
      kind: 'OBLIGATION',
      id: event.subjectId,
      childId: event.childId,
      version: null,
      owningAgencyId: event.facts.obligation.ownerAgencyId,
      model: Obligation,
    },
  );
}
