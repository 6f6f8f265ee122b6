import { registerEnumType } from '@nestjs/graphql';
import { type Role } from 'src/auth/roles.js';

/** How a caller is connected to a child; a caller sees a child only through one of these. */
export enum Relationship {
  /** The caller is allocated to the child (or was, within the grace period). */
  ALLOCATED = 'ALLOCATED',
  /** The caller manages the team of a practitioner allocated to the child. */
  TEAM = 'TEAM',
  /** The caller's agency is involved with the child (front doors, system and establishment roles). */
  INVOLVEMENT = 'INVOLVEMENT',
}

registerEnumType(Relationship, {
  name: 'Relationship',
  description: 'How the caller is connected to a child.',
  valuesMap: {
    ALLOCATED: { description: 'Allocated to the child (or within the grace period after the allocation ended).' },
    TEAM: { description: 'Manages the team of a practitioner allocated to the child.' },
    INVOLVEMENT: { description: "Through the agency's involvement (front door, system and establishment roles)." },
  },
});

/** Through which relationships each role may see a child (need-to-know, DOMAIN §5). */
export const ROLE_RELATIONSHIPS: Readonly<Record<Role, readonly Relationship[]>> = {
  YOS_CASE_MANAGER: [Relationship.ALLOCATED],
  YOS_PARENTING_WORKER: [Relationship.ALLOCATED],
  CSC_SOCIAL_WORKER: [Relationship.ALLOCATED],
  IRO: [Relationship.ALLOCATED],
  PERSONAL_ADVISER: [Relationship.ALLOCATED],
  PROBATION_OFFICER: [Relationship.ALLOCATED],
  YOS_MANAGER: [Relationship.ALLOCATED, Relationship.TEAM],
  CSC_TEAM_MANAGER: [Relationship.ALLOCATED, Relationship.TEAM],
  CSC_FRONT_DOOR: [Relationship.INVOLVEMENT],
  HEAD_OF_SERVICE: [Relationship.INVOLVEMENT],
  SECURE_ESTATE_GOVERNOR: [Relationship.INVOLVEMENT],
  SECURE_ESTATE_OFFENDER_SUPERVISOR: [Relationship.INVOLVEMENT],
  POLICE_CPS: [Relationship.INVOLVEMENT],
  SYSTEM: [Relationship.INVOLVEMENT],
  AUDITOR: [],
};

export function relationshipsOf(roles: readonly Role[]): Relationship[] {
  return [...new Set(roles.flatMap((role) => ROLE_RELATIONSHIPS[role]))];
}
