import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Connection } from 'src/common/pagination/connection.js';
import { LocalDateScalar } from 'src/common/scalars/local-date.scalar.js';
import { Agency } from 'src/directory/directory.model.js';
import { WithheldField } from 'src/policy/models/withheld.model.js';
import { Sensitive } from 'src/vocabulary/sensitivity/sensitive-field.decorator.js';
import { SensitivityClass as S } from 'src/vocabulary/sensitivity/sensitivity-class.js';
import { VisitKind } from 'src/visits/models/visit-kind.js';

/** Its fields take the class of the `visitors` field that holds them. */
@ObjectType({ description: 'Someone who made a visit, in the role they went in.' })
export class Visitor {
  @Field({ description: "The visitor's name." })
  name: string;

  @Field({ description: 'The role they visited in: an allocation role (SOCIAL_WORKER, VISITING_REPRESENTATIVE, …) or a title.' })
  role: string;

  @Field(() => Agency, { description: 'Their agency.' })
  agency: Agency;

  @Field({ description: 'Whether they led the visit (the first visitor).' })
  lead: boolean;
}

@ObjectType({ description: 'A visit to the child: who went, in which role, when, and whether the child was seen alone.' })
export class Visit {
  @Sensitive(S.CASE_ADMINISTRATION, () => ID, { required: true, description: "Tandem's id for the visit." })
  id: string;

  @Sensitive(S.CASE_ADMINISTRATION, () => VisitKind, { description: 'What the visit was, as the visit duties count it.' })
  kind: VisitKind;

  @Sensitive(S.CASE_ADMINISTRATION, () => LocalDateScalar, { description: 'The day of the visit.' })
  visitDate: string;

  @Sensitive(S.CASE_ADMINISTRATION, () => [Visitor], { description: 'Who made the visit, the lead visitor first.' })
  visitors: Visitor[];

  @Sensitive(S.CARE_PLANNING, () => Boolean, {
    description: 'Whether the child was seen alone (001 §7.8); null where it does not apply.',
  })
  seenAlone: boolean | null;

  @Sensitive(S.CARE_PLANNING, () => Boolean, { description: 'Whether the child refused to be seen alone.' })
  refusedToBeSeenAlone: boolean;

  @Sensitive(S.PLACEMENT_LOCATION, () => String, { description: 'The establishment or address where the child was seen.' })
  location: string | null;

  @Sensitive(S.WELFARE_CP, () => String, { description: 'A short note of the visit.' })
  notes: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'Who recorded the visit (token subject).', locates: 'owner' })
  recordedBy: string;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'The name of who recorded the visit.', locates: 'owner' })
  recordedByName: string;

  @Sensitive(S.CASE_ADMINISTRATION, () => Agency, { description: 'The agency that recorded the visit.' })
  recordedByAgency: Agency;

  @Sensitive(S.CASE_ADMINISTRATION, () => Date, { description: 'When the visit was recorded.' })
  recordedAt: Date;

  @Sensitive(S.CASE_ADMINISTRATION, () => [WithheldField], {
    description: 'Fields of this visit the policy withheld from you (they read as null), with reason and rule.',
    required: true,
  })
  withheld: WithheldField[];
}

@ObjectType('VisitConnection', { description: 'A page of visits, latest visit first.' })
export class VisitConnection extends Connection(Visit, 'VisitList', 'visit') {}
