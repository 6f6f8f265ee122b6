import { registerEnumType } from '@nestjs/graphql';

/** The kinds of visit the protocols' visit duties count (DOMAIN §3: D13, D15, D17, D29, D31, D32). */
export enum VisitKind {
  STATUTORY_LOOKED_AFTER = 'STATUTORY_LOOKED_AFTER',
  FORMER_LOOKED_AFTER_IN_DETENTION = 'FORMER_LOOKED_AFTER_IN_DETENTION',
  PERSONAL_ADVISER = 'PERSONAL_ADVISER',
  JOINT = 'JOINT',
  YOS_SUPERVISION = 'YOS_SUPERVISION',
}

registerEnumType(VisitKind, {
  name: 'VisitKind',
  description: 'What a visit to the child was, as the visit duties count it (DOMAIN §3).',
  valuesMap: {
    STATUTORY_LOOKED_AFTER: {
      description:
        "A looked-after child's statutory visit by the social worker or the local authority's visiting representative (D13, D31, D32).",
    },
    FORMER_LOOKED_AFTER_IN_DETENTION: {
      description: 'A visit to a child in detention who was looked after before it (001 §7.8, §7.11; D13, D15).',
    },
    PERSONAL_ADVISER: { description: "A personal adviser's visit to a relevant or former relevant child (D17)." },
    JOINT: { description: 'A joint social worker (or FIS) and YOS visit, recorded by CSC (D29, 003 §7.4).' },
    YOS_SUPERVISION: { description: "The YOS worker's own supervision visit (national standards)." },
  },
});
