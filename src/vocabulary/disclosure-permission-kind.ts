import { registerEnumType } from '@nestjs/graphql';

/** A recorded permission that lifts a protocol gate on a record (C1, C2). */
export enum DisclosurePermissionKind {
  COURT_ORDER = 'COURT_ORDER',
  CONSENT = 'CONSENT',
  THIRD_PARTY_PERMISSION = 'THIRD_PARTY_PERMISSION',
}

registerEnumType(DisclosurePermissionKind, {
  name: 'DisclosurePermissionKind',
  description: 'A recorded permission that lifts a protocol gate on a record.',
  valuesMap: {
    COURT_ORDER: { description: 'A court order allowing court-proceedings material to be disclosed (C1).' },
    CONSENT: { description: 'Specific consent to disclose court-proceedings material (C1).' },
    THIRD_PARTY_PERMISSION: { description: "The third party's permission to disclose what they supplied (C2)." },
  },
});
