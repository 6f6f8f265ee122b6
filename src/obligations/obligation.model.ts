import { ID, Int, ObjectType } from '@nestjs/graphql';
import { Agency } from 'src/directory/directory.model.js';
import { WithheldField } from 'src/policy/models/withheld.model.js';
import { ObligationState } from 'src/obligations/obligation-state.js';
import { Sensitive } from 'src/vocabulary/sensitivity/sensitive-field.decorator.js';
import { SensitivityClass as S } from 'src/vocabulary/sensitivity/sensitivity-class.js';

@ObjectType({ description: 'One change of a duty’s state.' })
export class ObligationTransition {
  @Sensitive(S.CASE_ADMINISTRATION, () => ObligationState, { description: 'The state before (null when it opened).' })
  from: ObligationState | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => ObligationState, { description: 'The state after.' })
  to: ObligationState;

  @Sensitive(S.CASE_ADMINISTRATION, () => Date, { description: 'When.' })
  at: Date;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, {
    description: 'Who: a person, or tandem:obligations for the clock and evidence.',
  })
  by: string;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'Why.' })
  reason: string;
}

@ObjectType({ description: 'A protocol duty opened by an event, with its clock (DOMAIN §3), decided field by field.' })
export class Obligation {
  @Sensitive(S.CASE_ADMINISTRATION, () => ID, { required: true, description: "Tandem's id for the duty." })
  id: string;

  @Sensitive(S.CASE_ADMINISTRATION, () => ID, { required: true, description: 'The child.' })
  childId: string;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'The definition id (DOMAIN §3, e.g. D9).' })
  definitionId: string;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'What must be done.' })
  title: string;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'The source that says so.' })
  citation: string;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'The authority policy file and version.' })
  policy: string;

  @Sensitive(S.CASE_ADMINISTRATION, () => ObligationState, { description: 'Where it is.' })
  state: ObligationState;

  @Sensitive(S.CASE_ADMINISTRATION, () => Date, { description: 'When it falls due.' })
  dueAt: Date;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'How the due time was computed.' })
  dueExplanation: string;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'What opened it (the event type).' })
  triggerType: string;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'Day 0 (London).' })
  triggerDate: string;

  @Sensitive(S.CASE_ADMINISTRATION, () => Agency, { description: 'The agency that owns it.' })
  ownerAgency: Agency;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, {
    description: 'The allocated worker who owns it, when one is.',
    locates: 'owner',
  })
  ownerName: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'The team queue it sits in.', locates: 'owner' })
  ownerTeam: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => Int, { description: 'Escalation levels reached (0: none).' })
  escalationLevel: number;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'Why it closed (evidence, waiver, reversal).' })
  closedReason: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => [ObligationTransition], { description: 'Its history, oldest first.', locates: 'owner' })
  history: ObligationTransition[];

  @Sensitive(S.CASE_ADMINISTRATION, () => [WithheldField], { required: true, description: 'Fields withheld from you.' })
  withheld: WithheldField[];
}
