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

/**
 * The two dimensions of legal status the law keeps apart: a child's care basis (children's social
 * care) and youth-justice status (the court, through the YOS) run side by side (DOMAIN §4.2).
 */
export enum LegalDimension {
  CARE = 'CARE',
  JUSTICE = 'JUSTICE',
}

export enum LegalStatusBasis {
  /** Nothing current in the episode's dimension (a case closed, an acquittal, an order completed). */
  NONE = 'NONE',
  EARLY_HELP = 'EARLY_HELP',
  S17_CHILD_IN_NEED = 'S17_CHILD_IN_NEED',
  S47_CHILD_PROTECTION = 'S47_CHILD_PROTECTION',
  S20_ACCOMMODATED = 'S20_ACCOMMODATED',
  INTERIM_CARE_ORDER = 'INTERIM_CARE_ORDER',
  S31_CARE_ORDER = 'S31_CARE_ORDER',
  BAIL = 'BAIL',
  BAIL_TO_RESIDE_AS_DIRECTED = 'BAIL_TO_RESIDE_AS_DIRECTED',
  REMAND_LOCAL_AUTHORITY_ACCOMMODATION = 'REMAND_LOCAL_AUTHORITY_ACCOMMODATION',
  REMAND_YOUTH_DETENTION_ACCOMMODATION = 'REMAND_YOUTH_DETENTION_ACCOMMODATION',
  OUT_OF_COURT_DISPOSAL = 'OUT_OF_COURT_DISPOSAL',
  COMMUNITY_ORDER = 'COMMUNITY_ORDER',
  CUSTODIAL_SENTENCE = 'CUSTODIAL_SENTENCE',
  RELEASED_ON_LICENCE = 'RELEASED_ON_LICENCE',
}

const CARE_BASES: ReadonlySet<LegalStatusBasis> = new Set([
  LegalStatusBasis.EARLY_HELP,
  LegalStatusBasis.S17_CHILD_IN_NEED,
  LegalStatusBasis.S47_CHILD_PROTECTION,
  LegalStatusBasis.S20_ACCOMMODATED,
  LegalStatusBasis.INTERIM_CARE_ORDER,
  LegalStatusBasis.S31_CARE_ORDER,
]);

/** The dimension a basis belongs to; NONE belongs to whichever dimension it closes, so it has none of its own. */
export function dimensionOf(basis: LegalStatusBasis): LegalDimension | null {
  if (basis === LegalStatusBasis.NONE) return null;
  return CARE_BASES.has(basis) ? LegalDimension.CARE : LegalDimension.JUSTICE;
}

/** Why a justice episode began or ended, as the court or the YOS recorded it. */
export enum CourtOutcome {
  BAILED = 'BAILED',
  BAILED_TO_RESIDE_AS_DIRECTED = 'BAILED_TO_RESIDE_AS_DIRECTED',
  REMANDED_LOCAL_AUTHORITY_ACCOMMODATION = 'REMANDED_LOCAL_AUTHORITY_ACCOMMODATION',
  REMANDED_YOUTH_DETENTION_ACCOMMODATION = 'REMANDED_YOUTH_DETENTION_ACCOMMODATION',
  OUT_OF_COURT_DISPOSAL = 'OUT_OF_COURT_DISPOSAL',
  COMMUNITY_SENTENCE = 'COMMUNITY_SENTENCE',
  CUSTODIAL_SENTENCE = 'CUSTODIAL_SENTENCE',
  RELEASED = 'RELEASED',
  ACQUITTED = 'ACQUITTED',
  REMAND_ENDED = 'REMAND_ENDED',
  ORDER_COMPLETED = 'ORDER_COMPLETED',
}

/** The justice basis each court outcome leaves the child with. */
export const OUTCOME_BASIS: Readonly<Record<CourtOutcome, LegalStatusBasis>> = {
  BAILED: LegalStatusBasis.BAIL,
  BAILED_TO_RESIDE_AS_DIRECTED: LegalStatusBasis.BAIL_TO_RESIDE_AS_DIRECTED,
  REMANDED_LOCAL_AUTHORITY_ACCOMMODATION: LegalStatusBasis.REMAND_LOCAL_AUTHORITY_ACCOMMODATION,
  REMANDED_YOUTH_DETENTION_ACCOMMODATION: LegalStatusBasis.REMAND_YOUTH_DETENTION_ACCOMMODATION,
  OUT_OF_COURT_DISPOSAL: LegalStatusBasis.OUT_OF_COURT_DISPOSAL,
  COMMUNITY_SENTENCE: LegalStatusBasis.COMMUNITY_ORDER,
  CUSTODIAL_SENTENCE: LegalStatusBasis.CUSTODIAL_SENTENCE,
  RELEASED: LegalStatusBasis.RELEASED_ON_LICENCE,
  ACQUITTED: LegalStatusBasis.NONE,
  REMAND_ENDED: LegalStatusBasis.NONE,
  ORDER_COMPLETED: LegalStatusBasis.NONE,
};

/** Requirements of a youth rehabilitation order that matter to the protocols (T14: intensive fostering). */
export enum YroRequirement {
  SUPERVISION = 'SUPERVISION',
  INTENSIVE_FOSTERING = 'INTENSIVE_FOSTERING',
  LOCAL_AUTHORITY_RESIDENCE = 'LOCAL_AUTHORITY_RESIDENCE',
  INTENSIVE_SUPERVISION_AND_SURVEILLANCE = 'INTENSIVE_SUPERVISION_AND_SURVEILLANCE',
  CURFEW = 'CURFEW',
  OTHER = 'OTHER',
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
  CANCELLED = 'CANCELLED',
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
    NONE: { description: 'Nothing current in the dimension: a CSC case closed, or an acquittal or completed order.' },
    EARLY_HELP: { description: 'Care: open to early help (not looked after).' },
    S17_CHILD_IN_NEED: { description: 'Care: child in need, Children Act 1989 s17 (not looked after).' },
    S47_CHILD_PROTECTION: {
      description: 'Care: child protection enquiry or plan, Children Act 1989 s47 (not looked after by itself).',
    },
    S20_ACCOMMODATED: { description: 'Care: voluntarily accommodated, Children Act 1989 s20.' },
    INTERIM_CARE_ORDER: { description: 'Care: interim care order, Children Act 1989 s38.' },
    S31_CARE_ORDER: { description: 'Care: care order, Children Act 1989 s31.' },
    BAIL: { description: 'Justice: bailed.' },
    BAIL_TO_RESIDE_AS_DIRECTED: { description: 'Justice: bailed to reside as directed by the local authority.' },
    REMAND_LOCAL_AUTHORITY_ACCOMMODATION: { description: 'Justice: remanded to local-authority accommodation.' },
    REMAND_YOUTH_DETENTION_ACCOMMODATION: { description: 'Justice: remanded to youth detention accommodation.' },
    OUT_OF_COURT_DISPOSAL: { description: 'Justice: an out-of-court disposal.' },
    COMMUNITY_ORDER: { description: 'Justice: a community sentence (referral order or youth rehabilitation order).' },
    CUSTODIAL_SENTENCE: { description: 'Justice: serving a custodial sentence.' },
    RELEASED_ON_LICENCE: { description: 'Justice: released from custody, supervised on licence.' },
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
    CANCELLED: { description: 'A planned move that was called off before it took effect; everyone told of it was told.' },
  },
});

registerEnumType(LegalDimension, {
  name: 'LegalDimension',
  description: 'Which of the two coexisting legal-status histories an episode belongs to.',
  valuesMap: {
    CARE: { description: "The care basis, recorded by children's social care." },
    JUSTICE: { description: 'The youth-justice status, recorded by the YOS from court outcomes.' },
  },
});

registerEnumType(CourtOutcome, {
  name: 'CourtOutcome',
  description: 'A court outcome (or release) as the YOS records it.',
  valuesMap: {
    BAILED: { description: 'Bailed (justice status BAIL).' },
    BAILED_TO_RESIDE_AS_DIRECTED: { description: 'Bailed to reside as directed by the local authority (T3).' },
    REMANDED_LOCAL_AUTHORITY_ACCOMMODATION: { description: 'Remanded to local-authority accommodation (T1).' },
    REMANDED_YOUTH_DETENTION_ACCOMMODATION: { description: 'Remanded to youth detention accommodation (T2).' },
    OUT_OF_COURT_DISPOSAL: { description: 'An out-of-court disposal.' },
    COMMUNITY_SENTENCE: { description: 'A referral order or youth rehabilitation order (T5, T6, T14).' },
    CUSTODIAL_SENTENCE: { description: 'A custodial sentence (T7–T10).' },
    RELEASED: { description: 'Released from custody, on licence (T15).' },
    ACQUITTED: { description: 'Found not guilty (T12): nothing current in the justice dimension.' },
    REMAND_ENDED: { description: 'The remand ended without a sentence yet (T11).' },
    ORDER_COMPLETED: { description: 'The order or licence was completed.' },
  },
});

registerEnumType(YroRequirement, {
  name: 'YroRequirement',
  description: 'A requirement of a youth rehabilitation order.',
  valuesMap: {
    SUPERVISION: { description: 'Supervision.' },
    INTENSIVE_FOSTERING: { description: 'Intensive fostering: the child becomes a child in care (T14, 001 §10.2).' },
    LOCAL_AUTHORITY_RESIDENCE: { description: 'Local authority residence.' },
    INTENSIVE_SUPERVISION_AND_SURVEILLANCE: { description: 'Intensive supervision and surveillance.' },
    CURFEW: { description: 'Curfew.' },
    OTHER: { description: 'Another requirement.' },
  },
});
