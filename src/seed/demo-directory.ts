import { AgencyKind } from 'src/vocabulary/children.enums.js';
import { Role } from 'src/auth/roles.js';

/**
 * The directory entries the demo children, users, agreements and tests refer to, by code and id.
 * They come from the reviewed files in policy/directory, loaded on every start (the demo seed does
 * not insert them); these constants only name them, and a test checks that they match the files.
 */
export const DEMO_LOCAL_AUTHORITIES = [
  { id: '00000000-0000-4000-8000-000000000001', code: 'derby', name: 'Derby City Council' },
  { id: '00000000-0000-4000-8000-000000000002', code: 'islington', name: 'London Borough of Islington' },
] as const;

const DERBY = DEMO_LOCAL_AUTHORITIES[0].id;
const ISLINGTON = DEMO_LOCAL_AUTHORITIES[1].id;

export const DEMO_AGENCIES = [
  {
    id: '00000000-0000-4000-8000-000000000101',
    code: 'derby-yos',
    name: 'Derby Youth Offending Service',
    kind: AgencyKind.YOUTH_JUSTICE,
    localAuthorityId: DERBY,
  },
  {
    id: '00000000-0000-4000-8000-000000000102',
    code: 'derby-csc',
    name: "Derby Children's Social Care",
    kind: AgencyKind.CHILDRENS_SOCIAL_CARE,
    localAuthorityId: DERBY,
  },
  {
    id: '00000000-0000-4000-8000-000000000103',
    code: 'derby-leaving-care',
    name: 'Derby Leaving Care Service',
    kind: AgencyKind.LEAVING_CARE,
    localAuthorityId: DERBY,
  },
  {
    id: '00000000-0000-4000-8000-000000000104',
    code: 'islington-yos',
    name: 'Islington Targeted Youth Support – YOS',
    kind: AgencyKind.YOUTH_JUSTICE,
    localAuthorityId: ISLINGTON,
  },
  {
    id: '00000000-0000-4000-8000-000000000105',
    code: 'islington-csc',
    name: "Islington Children's Social Care",
    kind: AgencyKind.CHILDRENS_SOCIAL_CARE,
    localAuthorityId: ISLINGTON,
  },
  {
    id: '00000000-0000-4000-8000-000000000106',
    code: 'wetherby-yoi',
    name: 'HMYOI Wetherby',
    kind: AgencyKind.SECURE_ESTATE,
    localAuthorityId: null,
  },
  {
    id: '00000000-0000-4000-8000-000000000107',
    code: 'derbyshire-police',
    name: 'Derbyshire Constabulary',
    kind: AgencyKind.POLICE,
    localAuthorityId: null,
  },
  {
    id: '00000000-0000-4000-8000-000000000108',
    code: 'probation-east-midlands',
    name: 'Probation Service, East Midlands',
    kind: AgencyKind.PROBATION,
    localAuthorityId: null,
  },
] as const;

export type DemoAgencyCode = (typeof DEMO_AGENCIES)[number]['code'];

export const DEMO_CASE_SYSTEMS: readonly { id: string; code: string; name: string; agency: DemoAgencyCode }[] = [
  { id: '00000000-0000-4000-8000-000000000201', code: 'derby-yos-childview', name: 'Derby YOS ChildView', agency: 'derby-yos' },
  {
    id: '00000000-0000-4000-8000-000000000202',
    code: 'derby-csc-liquidlogic',
    name: 'Derby CSC Liquidlogic',
    agency: 'derby-csc',
  },
  {
    id: '00000000-0000-4000-8000-000000000203',
    code: 'derby-lc-liquidlogic',
    name: 'Derby Leaving Care Liquidlogic',
    agency: 'derby-leaving-care',
  },
  {
    id: '00000000-0000-4000-8000-000000000204',
    code: 'islington-yos-careworks',
    name: 'Islington YOS Careworks',
    agency: 'islington-yos',
  },
  {
    id: '00000000-0000-4000-8000-000000000205',
    code: 'islington-csc-mosaic',
    name: 'Islington CSC MOSAIC',
    agency: 'islington-csc',
  },
  {
    id: '00000000-0000-4000-8000-000000000206',
    code: 'wetherby-nomis',
    name: 'Wetherby establishment system',
    agency: 'wetherby-yoi',
  },
  {
    id: '00000000-0000-4000-8000-000000000207',
    code: 'derbyshire-police-niche',
    name: 'Derbyshire Police records',
    agency: 'derbyshire-police',
  },
  {
    id: '00000000-0000-4000-8000-000000000208',
    code: 'probation-ndelius',
    name: 'Probation case system',
    agency: 'probation-east-midlands',
  },
];

/**
 * The demo users' teams, demo-only like the users: names as the users' `team`, and fictional duty
 * contacts (Ofcom's drama range 01632 960xxx, the reserved `.example` domain). A user in a front
 * door belongs to the directory's front-door team instead (`DEMO_FRONT_DOOR_TEAMS`).
 */
const TEAMS: readonly (readonly [code: string, agency: DemoAgencyCode, name: string])[] = [
  ['derby-yos-north', 'derby-yos', 'Derby YOS North'],
  ['derby-csc-children-in-care-1', 'derby-csc', 'Children in Care 1'],
  ['derby-csc-independent-reviewing', 'derby-csc', 'Independent Reviewing Service'],
  ['derby-csc-information-governance', 'derby-csc', 'Information Governance'],
  ['derby-leaving-care-team', 'derby-leaving-care', 'Leaving Care'],
  ['islington-yos-team', 'islington-yos', 'Islington YOS'],
  ['islington-csc-children-looked-after', 'islington-csc', 'Children Looked After'],
];

export const DEMO_TEAMS: readonly {
  id: string;
  code: string;
  agency: DemoAgencyCode;
  name: string;
  dutyPhone: string;
  dutyEmail: string;
}[] = TEAMS.map(([code, agency, name], index) => ({
  id: `00000000-0000-4000-8000-${String(401 + index).padStart(12, '0')}`,
  code,
  agency,
  name,
  dutyPhone: `01632 960${String(100 + index).padStart(3, '0')}`,
  dutyEmail: `${code}.duty@${agency}.example`,
}));

/** Demo users whose `team` is an agency's front door, and the directory team (policy/directory) it is. */
export const DEMO_FRONT_DOOR_TEAMS: Readonly<Record<string, string>> = {
  'derby-csc:CSCT': 'derby-csc-front-door',
  'islington-csc:ICAT': 'islington-csct',
};

export interface DemoUser {
  readonly id: string;
  readonly subject: string;
  readonly name: string;
  readonly agency: DemoAgencyCode;
  readonly caseSystem: string;
  readonly team: string | null;
  readonly roles: readonly Role[];
  /** Fictional work contact details (Ofcom's drama range, the reserved `.example` domain). */
  readonly phone: string;
  readonly email: string;
}

function user(
  n: number,
  subject: string,
  name: string,
  agency: DemoAgencyCode,
  caseSystem: string,
  team: string | null,
  roles: Role[],
): DemoUser {
  return {
    id: `00000000-0000-4000-8000-${String(300 + n).padStart(12, '0')}`,
    subject,
    name,
    agency,
    caseSystem,
    team,
    roles,
    phone: `01632 960${String(300 + n).padStart(3, '0')}`,
    email: `${subject}@${agency}.example`,
  };
}

/** Named demo users, at least one per role; `npm run token -- <subject>` signs in as one. */
export const DEMO_USERS: readonly DemoUser[] = [
  user(1, 'dana.hughes', 'Dana Hughes', 'derby-yos', 'derby-yos-childview', 'Derby YOS North', [Role.YOS_CASE_MANAGER]),
  user(2, 'marcus.reid', 'Marcus Reid', 'derby-yos', 'derby-yos-childview', 'Derby YOS North', [Role.YOS_MANAGER]),
  user(3, 'priya.shah', 'Priya Shah', 'derby-yos', 'derby-yos-childview', 'Derby YOS North', [Role.YOS_PARENTING_WORKER]),
  user(4, 'sam.okafor', 'Sam Okafor', 'derby-csc', 'derby-csc-liquidlogic', 'Children in Care 1', [Role.CSC_SOCIAL_WORKER]),
  user(5, 'tara.nolan', 'Tara Nolan', 'derby-csc', 'derby-csc-liquidlogic', 'Children in Care 1', [Role.CSC_TEAM_MANAGER]),
  user(6, 'derby.csct', 'Derby CSCT front door', 'derby-csc', 'derby-csc-liquidlogic', 'CSCT', [Role.CSC_FRONT_DOOR]),
  user(7, 'irene.walsh', 'Irene Walsh', 'derby-csc', 'derby-csc-liquidlogic', 'Independent Reviewing Service', [Role.IRO]),
  user(8, 'helen.grant', 'Helen Grant', 'derby-csc', 'derby-csc-liquidlogic', null, [Role.HEAD_OF_SERVICE]),
  user(9, 'paul.adeyemi', 'Paul Adeyemi', 'derby-leaving-care', 'derby-lc-liquidlogic', 'Leaving Care', [Role.PERSONAL_ADVISER]),
  user(10, 'olu.bakare', 'Olu Bakare', 'islington-yos', 'islington-yos-careworks', 'Islington YOS', [Role.YOS_CASE_MANAGER]),
  user(11, 'ben.carter', 'Ben Carter', 'islington-csc', 'islington-csc-mosaic', 'Children Looked After', [
    Role.CSC_SOCIAL_WORKER,
  ]),
  user(12, 'islington.icat', 'Islington ICAT', 'islington-csc', 'islington-csc-mosaic', 'ICAT', [Role.CSC_FRONT_DOOR]),
  user(13, 'gail.morgan', 'Gail Morgan', 'wetherby-yoi', 'wetherby-nomis', null, [Role.SECURE_ESTATE_GOVERNOR]),
  user(14, 'owen.price', 'Owen Price', 'wetherby-yoi', 'wetherby-nomis', null, [Role.SECURE_ESTATE_OFFENDER_SUPERVISOR]),
  user(15, 'ds.khan', 'DS Amir Khan', 'derbyshire-police', 'derbyshire-police-niche', null, [Role.POLICE_CPS]),
  user(16, 'ruth.ellis', 'Ruth Ellis', 'probation-east-midlands', 'probation-ndelius', null, [Role.PROBATION_OFFICER]),
  user(17, 'audrey.fox', 'Audrey Fox', 'derby-csc', 'derby-csc-liquidlogic', 'Information Governance', [Role.AUDITOR]),
  user(18, 'derby-csc-integration', 'Derby CSC integration', 'derby-csc', 'derby-csc-liquidlogic', null, [Role.SYSTEM]),
  user(19, 'ayesha.malik', 'Ayesha Malik', 'islington-csc', 'islington-csc-mosaic', 'Children Looked After', [
    Role.CSC_TEAM_MANAGER,
  ]),
  user(20, 'derby-yos-integration', 'Derby YOS ChildView integration', 'derby-yos', 'derby-yos-childview', null, [Role.SYSTEM]),
  user(21, 'islington-yos-integration', 'Islington YOS CareWorks integration', 'islington-yos', 'islington-yos-careworks', null, [
    Role.SYSTEM,
  ]),
];

export function demoUser(subject: string): DemoUser | undefined {
  return DEMO_USERS.find((candidate) => candidate.subject === subject);
}
