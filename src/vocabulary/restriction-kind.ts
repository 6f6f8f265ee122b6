import { registerEnumType } from '@nestjs/graphql';

export enum RestrictionKind {
  POLICE_HSB_INVESTIGATION = 'POLICE_HSB_INVESTIGATION',
  CONTACT_RESTRICTION = 'CONTACT_RESTRICTION',
}

registerEnumType(RestrictionKind, {
  name: 'RestrictionKind',
  description: 'A restriction on what may be shared about a child.',
  valuesMap: {
    POLICE_HSB_INVESTIGATION: {
      description:
        'An open police investigation into harmful sexual behaviour: AIM3 is blocked, police see only earlier records (C3).',
    },
    CONTACT_RESTRICTION: {
      description:
        "A contact restriction: where the child lives (the placement's address, postcode and name, its area and the reason for the move) is hidden from the restricted party (C10).",
    },
  },
});
