import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { LocalDateScalar } from 'src/common/scalars/local-date.scalar.js';
import {
  AllocationRole,
  CourtOutcome,
  InvolvementRole,
  LegalDimension,
  LegalStatusBasis,
  PlacementType,
  YroRequirement,
} from 'src/vocabulary/children.enums.js';
import { RecordedSex } from 'src/identity/child-description.js';
import { ChildNameInput } from 'src/children/models/child-identity.model.js';

/** The national identifiers a child may carry, as both registering and correcting a child take them. */
@InputType({ isAbstract: true })
abstract class NationalIdentifiersInput {
  @Field(() => String, {
    nullable: true,
    description: 'NHS number (ten digits, modulus-11 check digit); an invalid one is refused with BAD_USER_INPUT.',
  })
  nhsNumber?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'PNC ID (YY/NNNNNNNC or YYYY/NNNNNNNC, check character); an invalid one is refused with BAD_USER_INPUT.',
  })
  pncId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Unique Pupil Number (check letter); an invalid one is refused with BAD_USER_INPUT.',
  })
  upn?: string | null;
}

@InputType({ description: "A child to register from the caller's case system." })
export class RegisterChildInput extends NationalIdentifiersInput {
  @Field({ description: 'Given name.' })
  givenName: string;

  @Field({ description: 'Family name.' })
  familyName: string;

  @Field(() => LocalDateScalar, { description: 'Date of birth.' })
  dateOfBirth: string;

  @Field({ description: "The child's reference in the caller's case system (unique in that system)." })
  caseReference: string;

  @Field(() => LocalDateScalar, { nullable: true, description: "When the caller's agency became involved; today if omitted." })
  involvementStartDate?: string | null;

  @Field(() => RecordedSex, { nullable: true, description: 'Sex or gender as your system records it.' })
  sex?: RecordedSex | null;

  @Field(() => [ChildNameInput], { nullable: true, description: 'Previous and alternative names.' })
  otherNames?: ChildNameInput[] | null;
}

@InputType({ description: 'Who a child is, to look them up by: both names and the date of birth (letter case aside).' })
export class ChildIdentityInput {
  @Field({ description: 'Given name.' })
  givenName: string;

  @Field({ description: 'Family name.' })
  familyName: string;

  @Field(() => LocalDateScalar, { description: 'Date of birth.' })
  dateOfBirth: string;
}

@InputType({ description: "A correction to a child's identifying details." })
export class UpdateChildDetailsInput extends NationalIdentifiersInput {
  @Field(() => ID, { description: 'The child.' })
  childId: string;

  @Field(() => Int, { description: 'The version you read; a stale version is refused with CONFLICT.' })
  expectedVersion: number;

  @Field(() => String, { nullable: true, description: 'New given name, if it changes.' })
  givenName?: string | null;

  @Field(() => String, { nullable: true, description: 'New family name, if it changes.' })
  familyName?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Corrected date of birth, if it changes.' })
  dateOfBirth?: string | null;

  @Field(() => RecordedSex, { nullable: true, description: 'Sex or gender as your system records it.' })
  sex?: RecordedSex | null;

  @Field(() => [ChildNameInput], {
    nullable: true,
    description: 'Previous and alternative names (replacing those recorded), if they change.',
  })
  otherNames?: ChildNameInput[] | null;
}

@InputType({ description: 'A placement change, recorded by CSC before the move (planned) or when it happens.' })
export class RecordPlacementChangeInput {
  @Field(() => ID, { description: 'The child who moves.' })
  childId: string;

  @Field(() => PlacementType, { description: 'The kind of the new placement.' })
  placementType: PlacementType;

  @Field(() => String, { nullable: true, description: 'The carer, home or establishment name.' })
  placementName?: string | null;

  @Field({ description: 'The new placement address.' })
  address: string;

  @Field(() => String, { nullable: true, description: 'The new placement postcode.' })
  postcode?: string | null;

  @Field({ description: 'Code of the local authority area the new placement is in, e.g. "derby".' })
  areaLocalAuthority: string;

  @Field({ description: 'Why the child moves.' })
  reason: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'The date the move is planned for.' })
  plannedDate?: string | null;

  @Field(() => LocalDateScalar, {
    nullable: true,
    description: 'The date the move took effect. Omit to record a planned move and confirm it later.',
  })
  effectiveDate?: string | null;
}

@InputType({ description: 'Confirms that a planned move took effect.' })
export class ConfirmPlacementChangeInput {
  @Field(() => ID, { description: 'The planned placement.' })
  placementId: string;

  @Field(() => Int, { description: 'The placement version you read; a stale version is refused with CONFLICT.' })
  expectedVersion: number;

  @Field(() => LocalDateScalar, { description: 'The date the move took effect.' })
  effectiveDate: string;
}

@InputType({ description: 'A change of legal status.' })
export class RecordLegalStatusInput {
  @Field(() => ID, { description: 'The child.' })
  childId: string;

  @Field(() => LegalStatusBasis, {
    description:
      'The new legal basis. Care bases are recorded by CSC and justice bases by the YOS, as the authority policy says.',
  })
  basis: LegalStatusBasis;

  @Field(() => LegalDimension, {
    nullable: true,
    description: 'Only with basis NONE, which dimension it closes (every other basis belongs to one).',
  })
  dimension?: LegalDimension | null;

  @Field(() => LocalDateScalar, { description: 'When it starts; the open episode of the same dimension ends that day.' })
  startDate: string;

  @Field(() => String, { nullable: true, description: 'What caused it, e.g. the court decision.' })
  sourceEvent?: string | null;
}

@InputType({ description: 'A court outcome (or a release from custody) the YOS records; it sets the justice status.' })
export class RecordCourtOutcomeInput {
  @Field(() => ID, { description: 'The child.' })
  childId: string;

  @Field(() => CourtOutcome, { description: 'What the court decided, or RELEASED.' })
  outcome: CourtOutcome;

  @Field(() => LocalDateScalar, { description: 'When it takes effect (the hearing date, or the release date).' })
  effectiveDate: string;

  @Field(() => String, { nullable: true, description: 'The court (not needed for RELEASED).' })
  court?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'The hearing; defaults to the effective date.' })
  hearingDate?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'The next appearance, if adjourned.' })
  nextHearingDate?: string | null;

  @Field(() => String, { nullable: true, description: 'Remand or bail conditions.' })
  conditions?: string | null;

  @Field(() => String, { nullable: true, description: 'The secure establishment (agency code), for a remand to YDA or custody.' })
  placeOfDetention?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'The expected release date of a custodial sentence.' })
  expectedReleaseDate?: string | null;

  @Field(() => [YroRequirement], {
    nullable: true,
    description: 'Requirements of a community sentence (T14: intensive fostering).',
  })
  requirements?: YroRequirement[] | null;

  @Field(() => String, { nullable: true, description: 'The AssetPlus reference (001 §6.2).' })
  assetPlusReference?: string | null;
}

@InputType({ description: "Allocates a practitioner of the caller's agency to a child." })
export class AllocateWorkerInput {
  @Field(() => ID, { description: 'The child.' })
  childId: string;

  @Field(() => AllocationRole, { description: 'The role they are allocated in.' })
  role: AllocationRole;

  @Field({ description: "The practitioner's token subject (user id at the identity provider)." })
  practitionerSubject: string;

  @Field({ description: "The practitioner's display name." })
  practitionerName: string;

  @Field(() => String, { nullable: true, description: "The practitioner's team." })
  team?: string | null;

  @Field(() => LocalDateScalar, { description: 'When the allocation starts.' })
  startDate: string;
}

@InputType({ description: 'Ends an allocation or an involvement.' })
export class EndRelationshipInput {
  @Field(() => ID, { description: 'The allocation or involvement.' })
  id: string;

  @Field(() => LocalDateScalar, { description: 'When it ends.' })
  endDate: string;
}

@InputType({ description: "Records your own agency's involvement with a child (another agency is asked with referChild)." })
export class RecordInvolvementInput {
  @Field(() => ID, { description: 'The child.' })
  childId: string;

  @Field({ description: 'The code of your own agency, e.g. "derby-yos"; any other is refused.' })
  agencyCode: string;

  @Field(() => InvolvementRole, { description: 'Its part in the case.' })
  role: InvolvementRole;

  @Field(() => LocalDateScalar, { description: 'When the involvement starts.' })
  startDate: string;
}
