import { AgencyKind, type InvolvementRole } from 'src/vocabulary/children.enums.js';

/** Which kinds of agency can hold each involvement role. */
export const INVOLVED_AGENCIES: Readonly<Record<InvolvementRole, readonly AgencyKind[]>> = {
  YOS_HOME: [AgencyKind.YOUTH_JUSTICE],
  YOS_HOST: [AgencyKind.YOUTH_JUSTICE],
  CSC: [AgencyKind.CHILDRENS_SOCIAL_CARE],
  LEAVING_CARE: [AgencyKind.LEAVING_CARE],
  SECURE_ESTATE: [AgencyKind.SECURE_ESTATE],
  POLICE: [AgencyKind.POLICE],
  PROBATION: [AgencyKind.PROBATION],
};
