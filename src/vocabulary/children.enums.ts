import { registerEnumType } from '@nestjs/graphql';

export enum AgencyKind {
  YOUTH_JUSTICE = 'YOUTH_JUSTICE',
  CHILDRENS_SOCIAL_CARE = 'CHILDRENS_SOCIAL_CARE',
  LEAVING_CARE = 'LEAVING_CARE',
  SECURE_ESTATE = 'SECURE_ESTATE',
  POLICE = 'POLICE',
  PROBATION = 'PROBATION',
}

export enum InvolvementRole {
  YOS_HOME = 'YOS_HOME',
  YOS_HOST = 'YOS_HOST',
  CSC = 'CSC',
  LEAVING_CARE = 'LEAVING_CARE',
  SECURE_ESTATE = 'SECURE_ESTATE',
  POLICE = 'POLICE',
  PROBATION = 'PROBATION',
}

export enum AllocationRole {
  YOS_CASE_MANAGER = 'YOS_CASE_MANAGER',
  SOCIAL_WORKER = 'SOCIAL_WORKER',
  PERSONAL_ADVISER = 'PERSONAL_ADVISER',
  INDEPENDENT_REVIEWING_OFFICER = 'INDEPENDENT_REVIEWING_OFFICER',
  TEAM_MANAGER = 'TEAM_MANAGER',
  VISITING_REPRESENTATIVE = 'VISITING_REPRESENTATIVE',
  PROBATION_OFFICER = 'PROBATION_OFFICER',
}

export enum LegalStatusBasis {
  NONE = 'NONE',
  S17_CHILD_IN_NEED = 'S17_CHILD_IN_NEED',
  S20_ACCOMMODATED = 'S20_ACCOMMODATED',
  S31_CARE_ORDER = 'S31_CARE_ORDER',
  INTERIM_CARE_ORDER = 'INTERIM_CARE_ORDER',
  REMAND_LOCAL_AUTHORITY_ACCOMMODATION = 'REMAND_LOCAL_AUTHORITY_ACCOMMODATION',
  REMAND_YOUTH_DETENTION_ACCOMMODATION = 'REMAND_YOUTH_DETENTION_ACCOMMODATION',
  BAIL_TO_RESIDE_AS_DIRECTED = 'BAIL_TO_RESIDE_AS_DIRECTED',
  CUSTODIAL_SENTENCE = 'CUSTODIAL_SENTENCE',
  CARE_LEAVER = 'CARE_LEAVER',
}

export enum PlacementType {
  FOSTER_CARE = 'FOSTER_CARE',
  KINSHIP_CARE = 'KINSHIP_CARE',
  RESIDENTIAL_CHILDRENS_HOME = 'RESIDENTIAL_CHILDRENS_HOME',
  PLACED_WITH_PARENTS = 'PLACED_WITH_PARENTS',
  SUPPORTED_ACCOMMODATION = 'SUPPORTED_ACCOMMODATION',
  INDEPENDENT_LIVING = 'INDEPENDENT_LIVING',
  SECURE_CHILDRENS_HOME = 'SECURE_CHILDRENS_HOME',
  SECURE_TRAINING_CENTRE = 'SECURE_TRAINING_CENTRE',
  YOUNG_OFFENDER_INSTITUTION = 'YOUNG_OFFENDER_INSTITUTION',
  OTHER = 'OTHER',
}

export enum PlacementStatus {
  PLANNED = 'PLANNED',
  CURRENT = 'CURRENT',
  ENDED = 'ENDED',
}

registerEnumType(AgencyKind, {
  name: 'AgencyKind',
  description: 'The kind of organisation an agency is.',
  valuesMap: {
    YOUTH_JUSTICE: { description: 'Youth offending service / team / youth justice service (YOS, YOT, YJS).' },
    CHILDRENS_SOCIAL_CARE: { description: "Children's social care (CSC), including early help." },
    LEAVING_CARE: { description: 'Leaving-care service employing personal advisers; part of CSC.' },
    SECURE_ESTATE: { description: "Youth detention accommodation: YOI, STC or secure children's home." },
    POLICE: { description: 'A police force or the Crown Prosecution Service (narrow access).' },
    PROBATION: { description: 'The Probation Service, for care leavers aged 18 or over.' },
  },
});

registerEnumType(InvolvementRole, {
  name: 'InvolvementRole',
  description: "The part an agency plays in a child's case.",
  valuesMap: {
    YOS_HOME: { description: 'The home YOS: keeps case responsibility, enforcement and PSR authorship.' },
    YOS_HOST: { description: 'The host YOS where the child is placed out of borough: caretaking only.' },
    CSC: { description: "Children's social care responsible for the child." },
    LEAVING_CARE: { description: 'The leaving-care service supporting a care leaver.' },
    SECURE_ESTATE: { description: 'The establishment where the child is detained.' },
    POLICE: { description: 'A police force or the CPS with a current matter about the child.' },
    PROBATION: { description: 'The Probation Service supervising the young person.' },
  },
});

registerEnumType(AllocationRole, {
  name: 'AllocationRole',
  description: 'The role a practitioner is allocated to a child in.',
  valuesMap: {
    YOS_CASE_MANAGER: { description: 'YOS case manager supervising the order.' },
    SOCIAL_WORKER: { description: 'Allocated social worker.' },
    PERSONAL_ADVISER: { description: 'Personal adviser from the leaving-care service.' },
    INDEPENDENT_REVIEWING_OFFICER: { description: 'Independent reviewing officer chairing statutory reviews.' },
    TEAM_MANAGER: { description: 'Accountable team manager.' },
    VISITING_REPRESENTATIVE: {
      description: "The local authority's appointed visiting representative (never a YOS worker, 001 §7.5).",
    },
    PROBATION_OFFICER: { description: 'Probation officer supervising a care leaver aged 18 or over.' },
  },
});

registerEnumType(LegalStatusBasis, {
  name: 'LegalStatusBasis',
  description: 'The legal basis of a legal-status episode.',
  valuesMap: {
    NONE: { description: "No legal status with children's social care." },
    S17_CHILD_IN_NEED: { description: 'Child in need, Children Act 1989 s17 (not looked after).' },
    S20_ACCOMMODATED: { description: 'Voluntarily accommodated, Children Act 1989 s20 (looked after).' },
    S31_CARE_ORDER: { description: 'Care order, Children Act 1989 s31 (looked after).' },
    INTERIM_CARE_ORDER: { description: 'Interim care order (looked after).' },
    REMAND_LOCAL_AUTHORITY_ACCOMMODATION: { description: 'Remanded to local-authority accommodation (looked after).' },
    REMAND_YOUTH_DETENTION_ACCOMMODATION: { description: 'Remanded to youth detention accommodation (looked after).' },
    BAIL_TO_RESIDE_AS_DIRECTED: { description: 'Bailed to reside as directed by the local authority.' },
    CUSTODIAL_SENTENCE: { description: 'Serving a custodial sentence.' },
    CARE_LEAVER: { description: 'Care leaver (eligible, relevant, former relevant or qualifying).' },
  },
});

registerEnumType(PlacementType, {
  name: 'PlacementType',
  description: 'Where and how a child is placed.',
  valuesMap: {
    FOSTER_CARE: { description: 'Foster care.' },
    KINSHIP_CARE: { description: 'Kinship or connected-person care.' },
    RESIDENTIAL_CHILDRENS_HOME: { description: "Residential children's home." },
    PLACED_WITH_PARENTS: { description: 'Placed with parents.' },
    SUPPORTED_ACCOMMODATION: { description: 'Supported accommodation.' },
    INDEPENDENT_LIVING: { description: 'Independent living.' },
    SECURE_CHILDRENS_HOME: { description: "Secure children's home (youth detention accommodation)." },
    SECURE_TRAINING_CENTRE: { description: 'Secure training centre (youth detention accommodation).' },
    YOUNG_OFFENDER_INSTITUTION: { description: 'Young offender institution (youth detention accommodation).' },
    OTHER: { description: 'Another arrangement, described in the reason.' },
  },
});

registerEnumType(PlacementStatus, {
  name: 'PlacementStatus',
  description: 'Where a placement is in its life.',
  valuesMap: {
    PLANNED: { description: 'Recorded in advance of the move; not yet effective.' },
    CURRENT: { description: 'The placement the child is in now.' },
    ENDED: { description: 'A past placement.' },
  },
});
