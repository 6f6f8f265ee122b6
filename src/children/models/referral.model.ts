import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { Connection } from 'src/common/pagination/connection.js';
import { LocalDateScalar } from 'src/common/scalars/local-date.scalar.js';
import { Agency } from 'src/directory/directory.model.js';
import { WithheldField } from 'src/policy/models/withheld.model.js';
import { InvolvementRole } from 'src/vocabulary/children.enums.js';
import { ReferralStatus } from 'src/vocabulary/referral-status.js';
import { Sensitive } from 'src/vocabulary/sensitivity/sensitive-field.decorator.js';
import { SensitivityClass as S } from 'src/vocabulary/sensitivity/sensitivity-class.js';

@ObjectType({
  description:
    "One agency asking another to become involved with a child. The receiving agency sees only what the sharing agreement's referral clause discloses, until it accepts.",
})
export class ChildReferral {
  @Sensitive(S.CASE_ADMINISTRATION, () => ID, { required: true, description: "Tandem's id for the referral." })
  id: string;

  @Sensitive(S.IDENTITY_BASIC, () => ID, { description: "The child (Tandem's id)." })
  childId: string | null;

  @Sensitive(S.IDENTITY_BASIC, () => String, { description: "The child's given name." })
  givenName: string | null;

  @Sensitive(S.IDENTITY_BASIC, () => String, { description: "The child's family name." })
  familyName: string | null;

  @Sensitive(S.IDENTITY_BASIC, () => LocalDateScalar, { description: "The child's date of birth." })
  dateOfBirth: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => Agency, { required: true, description: 'The agency that asks.' })
  fromAgency: Agency;

  @Sensitive(S.CASE_ADMINISTRATION, () => Agency, { required: true, description: 'The agency asked to become involved.' })
  toAgency: Agency;

  @Sensitive(S.CASE_ADMINISTRATION, () => InvolvementRole, {
    required: true,
    description: 'The involvement the receiving agency is asked to take on.',
  })
  role: InvolvementRole;

  @Sensitive(S.CASE_ADMINISTRATION, () => ReferralStatus, { required: true, description: 'Pending, accepted or declined.' })
  status: ReferralStatus;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, {
    required: true,
    description: 'The sharing agreement clause it was made under, e.g. "derby-yos-police@v2 §2".',
  })
  clause: string;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'Who asked.' })
  referredBy: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => Date, { description: 'When.' })
  referredAt: Date | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'Who accepted or declined it; null while pending.' })
  decidedBy: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => Date, { description: 'When it was accepted or declined.' })
  decidedAt: Date | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => ID, { description: 'The involvement its acceptance made.' })
  involvementId: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => ID, {
    description:
      "The protocol event whose notice opened it (the notification's `eventId`): a remand or court outcome to the front door, an out-of-borough move to the host YOS. Null when someone referred the child with referChild.",
  })
  openedByEventId: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => [WithheldField], {
    required: true,
    description: 'Fields of this referral withheld from you (they read as null), with reason and rule.',
  })
  withheld: WithheldField[];
}

@ObjectType('ReferralConnection', { description: 'A page of referrals, newest first.' })
export class ReferralConnection extends Connection(ChildReferral, 'ReferralList', 'referral') {}

@InputType({ description: 'Asks another agency to become involved with a child (it accepts or declines).' })
export class ReferChildInput {
  @Field(() => ID, { description: 'The child.' })
  childId: string;

  @Field({ description: 'The code of the agency asked, e.g. "derbyshire-police".' })
  agencyCode: string;

  @Field(() => InvolvementRole, { description: 'The involvement it is asked to take on.' })
  role: InvolvementRole;
}

@InputType({ description: 'Accepts a referral made to your agency: your agency becomes involved.' })
export class AcceptReferralInput {
  @Field(() => ID, { description: 'The referral.' })
  referralId: string;

  @Field(() => LocalDateScalar, { description: 'When the involvement starts.' })
  startDate: string;
}

@InputType({ description: 'Declines a referral made to your agency.' })
export class DeclineReferralInput {
  @Field(() => ID, { description: 'The referral.' })
  referralId: string;
}
