import { ID, Int, ObjectType } from '@nestjs/graphql';
import { Sensitive, SensitiveGroup } from 'src/vocabulary/sensitivity/sensitive-field.decorator.js';
import { WithheldField } from 'src/policy/models/withheld.model.js';
import { SensitivityClass as S } from 'src/vocabulary/sensitivity/sensitivity-class.js';
import { LocalDateScalar } from 'src/common/scalars/local-date.scalar.js';
import {
  AllocationRole,
  CourtOutcome,
  InvolvementRole,
  LegalDimension,
  LegalStatusBasis,
  YroRequirement,
  PlacementStatus,
  PlacementType,
} from 'src/vocabulary/children.enums.js';
import { Agency, CaseSystem, DutyContact, LocalAuthority } from 'src/directory/directory.model.js';
import { RecordedSex } from 'src/identity/child-description.js';
import { ChildIdentifiers, ChildName } from 'src/children/models/child-identity.model.js';

@ObjectType({ description: "The child's reference in one agency's case system." })
export class CaseReference {
  @Sensitive(S.IDENTITY_BASIC, () => CaseSystem, { description: 'The case system the reference belongs to.' })
  caseSystem: CaseSystem;

  @Sensitive(S.IDENTITY_BASIC, () => String, { description: 'The reference, as that system writes it.' })
  value: string;
}

@ObjectType({ description: "One period of a child's legal status (DOMAIN §4.2); the open one is current." })
export class LegalStatusEpisode {
  @Sensitive(S.LEGAL_STATUS, () => ID, { required: true, description: "Tandem's id for the episode." })
  id: string;

  @Sensitive(S.LEGAL_STATUS, () => LegalDimension, { description: 'Care (CSC) or justice (court, through the YOS).' })
  dimension: LegalDimension;

  @Sensitive(S.LEGAL_STATUS, () => LegalStatusBasis, { description: 'The legal basis.' })
  basis: LegalStatusBasis;

  @Sensitive(S.LEGAL_STATUS, () => CourtOutcome, { description: 'The court outcome that opened a justice episode.' })
  outcome: CourtOutcome | null;

  // A court recorded by the host YOS sits in the area where the child lives (C10).
  @Sensitive(S.OFFENDING_CRIMINAL, () => String, { description: 'The court that decided.', locates: 'owner' })
  court: string | null;

  @Sensitive(S.OFFENDING_CRIMINAL, () => LocalDateScalar, { description: 'The hearing the outcome came from.' })
  hearingDate: string | null;

  @Sensitive(S.OFFENDING_CRIMINAL, () => LocalDateScalar, { description: 'The next appearance, when there is one (001 §5.5).' })
  nextHearingDate: string | null;

  @Sensitive(S.LEGAL_STATUS, () => String, { description: 'Remand or bail conditions (001 §6.2).' })
  conditions: string | null;

  @Sensitive(S.PLACEMENT_LOCATION, () => Agency, { description: 'The secure establishment (remand to YDA, custody; 001 §7.5).' })
  placeOfDetention: Agency | null;

  @Sensitive(S.LEGAL_STATUS, () => LocalDateScalar, { description: 'The expected release date of a custodial sentence.' })
  expectedReleaseDate: string | null;

  @Sensitive(S.OFFENDING_CRIMINAL, () => [YroRequirement], { description: 'Requirements of a youth rehabilitation order.' })
  requirements: YroRequirement[];

  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'The AssetPlus reference the notice carries (001 §6.2).' })
  assetPlusReference: string | null;

  @Sensitive(S.LEGAL_STATUS, () => LocalDateScalar, { description: 'When the episode started.' })
  startDate: string;

  @Sensitive(S.LEGAL_STATUS, () => LocalDateScalar, { description: 'When it ended; null while current.' })
  endDate: string | null;

  @Sensitive(S.LEGAL_STATUS, () => String, { description: 'What caused the change, e.g. the court decision.', locates: 'owner' })
  sourceEvent: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'Who recorded it (token subject).', locates: 'owner' })
  recordedBy: string;

  @Sensitive(S.CASE_ADMINISTRATION, () => Agency, { description: 'The agency that recorded it.' })
  recordedByAgency: Agency;

  @Sensitive(S.CASE_ADMINISTRATION, () => Date, { description: 'When it was recorded.' })
  recordedAt: Date;
  @Sensitive(S.CASE_ADMINISTRATION, () => [WithheldField], {
    description: 'Fields of this entry the policy withheld from you (they read as null), with reason and rule.',
    required: true,
  })
  withheld: WithheldField[];
}

@ObjectType({ description: 'A placement, and the change that moved the child into it.' })
export class Placement {
  @Sensitive(S.CASE_ADMINISTRATION, () => ID, { required: true, description: "Tandem's id for the placement." })
  id: string;

  @Sensitive(S.CASE_ADMINISTRATION, () => PlacementStatus, { description: 'Planned, current or ended.' })
  status: PlacementStatus;

  @Sensitive(S.CARE_PLANNING, () => PlacementType, { description: 'The kind of placement.' })
  placementType: PlacementType;

  @Sensitive(S.PLACEMENT_LOCATION, () => String, { description: 'The carer, home or establishment name.' })
  placementName: string | null;

  @Sensitive(S.PLACEMENT_LOCATION, () => String, { description: 'The placement address.' })
  address: string;

  @Sensitive(S.PLACEMENT_LOCATION, () => String, { description: 'The placement postcode.' })
  postcode: string | null;

  @Sensitive(S.CARE_PLANNING, () => LocalAuthority, {
    description: 'The local authority area the placement is in (tells out-of-borough moves apart).',
    locates: true,
  })
  area: LocalAuthority;

  @Sensitive(S.CARE_PLANNING, () => String, { description: 'Why the child moved.', locates: true })
  reason: string;

  @Sensitive(S.CASE_ADMINISTRATION, () => LocalDateScalar, { description: 'The date the move was planned for.' })
  plannedDate: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => LocalDateScalar, { description: 'The date the move took effect.' })
  effectiveDate: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => LocalDateScalar, { description: 'The date the placement ended.' })
  endDate: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'Who recorded the change (token subject).', locates: 'owner' })
  recordedBy: string;

  @Sensitive(S.CASE_ADMINISTRATION, () => Agency, { description: 'The agency that recorded the change.' })
  recordedByAgency: Agency;

  @Sensitive(S.CASE_ADMINISTRATION, () => Date, { description: 'When the change was recorded.' })
  recordedAt: Date;

  @Sensitive(S.CASE_ADMINISTRATION, () => Int, { description: 'Pass as expectedVersion when confirming the move.' })
  version: number;
  @Sensitive(S.CASE_ADMINISTRATION, () => [WithheldField], {
    description: 'Fields of this entry the policy withheld from you (they read as null), with reason and rule.',
    required: true,
  })
  withheld: WithheldField[];
}

@ObjectType({ description: "An agency's part in the child's case." })
export class AgencyInvolvement {
  @Sensitive(S.IDENTITY_BASIC, () => ID, { required: true, description: "Tandem's id for the involvement." })
  id: string;

  @Sensitive(S.IDENTITY_BASIC, () => Agency, { description: 'The agency involved.' })
  agency: Agency;

  @Sensitive(S.IDENTITY_BASIC, () => InvolvementRole, { description: 'Its part: home or host YOS, CSC, leaving care…' })
  role: InvolvementRole;

  @Sensitive(S.CASE_ADMINISTRATION, () => LocalDateScalar, { description: 'When the involvement started.' })
  startDate: string;

  @Sensitive(S.CASE_ADMINISTRATION, () => LocalDateScalar, { description: 'When it ended; null while open.' })
  endDate: string | null;
}

@ObjectType({ description: 'A practitioner of an agency.' })
export class Practitioner {
  @Sensitive(S.IDENTITY_BASIC, () => String, { description: "The practitioner's name." })
  displayName: string;

  @Sensitive(S.IDENTITY_BASIC, () => String, { description: 'The team within their agency.' })
  team: string | null;

  @Sensitive(S.IDENTITY_BASIC, () => Agency, { description: 'Their agency.' })
  agency: Agency;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'Their work telephone number.' })
  phone: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => String, { description: 'Their work e-mail address.' })
  email: string | null;

  @Sensitive(S.CASE_ADMINISTRATION, () => DutyContact, {
    description: "Their team's duty contact, for when they are away; null if their team has none in the directory.",
  })
  teamDutyContact: DutyContact | null;
}

@ObjectType({ description: 'A practitioner allocated to the child in a role.' })
export class WorkerAllocation {
  @Sensitive(S.IDENTITY_BASIC, () => ID, { required: true, description: "Tandem's id for the allocation." })
  id: string;

  @SensitiveGroup(() => Practitioner, { description: 'The allocated practitioner.' })
  practitioner: Practitioner;

  @Sensitive(S.IDENTITY_BASIC, () => AllocationRole, { description: 'The role they are allocated in.' })
  role: AllocationRole;

  @Sensitive(S.CASE_ADMINISTRATION, () => LocalDateScalar, { description: 'When the allocation started.' })
  startDate: string;

  @Sensitive(S.CASE_ADMINISTRATION, () => LocalDateScalar, { description: 'When it ended; null while open.' })
  endDate: string | null;
}

@ObjectType({ description: "A child known to youth justice and/or children's social care." })
export class Child {
  @Sensitive(S.IDENTITY_BASIC, () => ID, { required: true, description: "Tandem's id for the child." })
  id: string;

  @Sensitive(S.IDENTITY_BASIC, () => String, { description: 'Given name.' })
  givenName: string;

  @Sensitive(S.IDENTITY_BASIC, () => String, { description: 'Family name.' })
  familyName: string;

  @Sensitive(S.IDENTITY_BASIC, () => LocalDateScalar, { description: 'Date of birth.' })
  dateOfBirth: string;

  @Sensitive(S.IDENTITY_BASIC, () => RecordedSex, { description: "Sex or gender as the registering agency's system records it." })
  sex: RecordedSex | null;

  @Sensitive(S.IDENTITY_BASIC, () => [ChildName], { description: 'Previous and alternative names.' })
  otherNames: ChildName[];

  @Sensitive(S.CASE_ADMINISTRATION, () => Int, { description: 'Pass as expectedVersion when correcting these details.' })
  version: number;

  @SensitiveGroup(() => ChildIdentifiers, {
    description: 'National identifiers (NHS number, PNC ID, UPN), each disclosed under its own class.',
  })
  identifiers: ChildIdentifiers;

  @SensitiveGroup(() => CaseReference, { list: true, description: "The child's references in each case system." })
  caseReferences: CaseReference[];

  @SensitiveGroup(() => LegalStatusEpisode, {
    description:
      'The most recently started current episode of either dimension; null if none. Prefer careStatus and justiceStatus.',
  })
  legalStatus: LegalStatusEpisode | null;

  @SensitiveGroup(() => LegalStatusEpisode, { description: 'The current care basis (recorded by CSC); null if none.' })
  careStatus: LegalStatusEpisode | null;

  @SensitiveGroup(() => LegalStatusEpisode, {
    description: 'The current youth-justice status (recorded by the YOS); null if none.',
  })
  justiceStatus: LegalStatusEpisode | null;

  @SensitiveGroup(() => LegalStatusEpisode, { list: true, description: 'Every legal-status episode, newest first.' })
  legalStatusHistory: LegalStatusEpisode[];

  @SensitiveGroup(() => Placement, { description: 'The current placement; null if none recorded.' })
  currentPlacement: Placement | null;

  @SensitiveGroup(() => AgencyInvolvement, { list: true, description: 'Agencies involved, open involvements first.' })
  involvements: AgencyInvolvement[];

  @SensitiveGroup(() => WorkerAllocation, { list: true, description: 'Practitioners allocated, open allocations first.' })
  allocations: WorkerAllocation[];
}
