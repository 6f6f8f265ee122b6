import { registerEnumType } from '@nestjs/graphql';
import { AgencyKind } from 'src/vocabulary/children.enums.js';

/** The roles a token can carry (DOMAIN §1.2, suggested API roles). */
export enum Role {
  YOS_CASE_MANAGER = 'YOS_CASE_MANAGER',
  YOS_MANAGER = 'YOS_MANAGER',
  YOS_PARENTING_WORKER = 'YOS_PARENTING_WORKER',
  CSC_SOCIAL_WORKER = 'CSC_SOCIAL_WORKER',
  CSC_TEAM_MANAGER = 'CSC_TEAM_MANAGER',
  CSC_FRONT_DOOR = 'CSC_FRONT_DOOR',
  IRO = 'IRO',
  PERSONAL_ADVISER = 'PERSONAL_ADVISER',
  HEAD_OF_SERVICE = 'HEAD_OF_SERVICE',
  SECURE_ESTATE_GOVERNOR = 'SECURE_ESTATE_GOVERNOR',
  SECURE_ESTATE_OFFENDER_SUPERVISOR = 'SECURE_ESTATE_OFFENDER_SUPERVISOR',
  POLICE_CPS = 'POLICE_CPS',
  PROBATION_OFFICER = 'PROBATION_OFFICER',
  AUDITOR = 'AUDITOR',
  SYSTEM = 'SYSTEM',
}

/** What an operation needs; each resolver declares exactly one (or is explicitly public). */
export enum Permission {
  DIRECTORY_READ = 'DIRECTORY_READ',
  CHILD_READ = 'CHILD_READ',
  CHILD_REGISTER = 'CHILD_REGISTER',
  CHILD_UPDATE = 'CHILD_UPDATE',
  RECORD_READ = 'RECORD_READ',
  RECORD_WRITE = 'RECORD_WRITE',
  PLACEMENT_RECORD = 'PLACEMENT_RECORD',
  LEGAL_STATUS_RECORD = 'LEGAL_STATUS_RECORD',
  ALLOCATION_MANAGE = 'ALLOCATION_MANAGE',
  INVOLVEMENT_MANAGE = 'INVOLVEMENT_MANAGE',
  RESTRICTION_MANAGE = 'RESTRICTION_MANAGE',
  ACCESS_EXPLAIN = 'ACCESS_EXPLAIN',
  AUDIT_READ = 'AUDIT_READ',
  NOTIFICATION_READ = 'NOTIFICATION_READ',
  WEBHOOK_MANAGE = 'WEBHOOK_MANAGE',
  AUDIT_DISPOSE = 'AUDIT_DISPOSE',
  CHILD_MERGE = 'CHILD_MERGE',
  DPP_SIGN = 'DPP_SIGN',
  SETTLING_IN_REPORT_SEND = 'SETTLING_IN_REPORT_SEND',
  VISIT_RECORD = 'VISIT_RECORD',
  RELEASE_PLAN_DECIDE = 'RELEASE_PLAN_DECIDE',
  AUDIT_LOG_READ = 'AUDIT_LOG_READ',
}

const P = Permission;

/**
 * The permissions whose mutations do not change a child's case: the log's own functions and a case
 * system's webhooks. Every other mutation changes the case, and is refused under a purpose that only
 * reads (READ_ONLY_PURPOSES): acknowledging a notification too, as it stops its escalation.
 */
export const MUTATIONS_OUTSIDE_THE_CASE: ReadonlySet<Permission> = new Set([Permission.AUDIT_DISPOSE, Permission.WEBHOOK_MANAGE]);
const READ = [P.DIRECTORY_READ, P.CHILD_READ, P.RECORD_READ, P.ACCESS_EXPLAIN, P.NOTIFICATION_READ];
const PRACTITIONER = [...READ, P.CHILD_REGISTER, P.CHILD_UPDATE, P.RECORD_WRITE, P.LEGAL_STATUS_RECORD, P.VISIT_RECORD];
const MANAGER = [...PRACTITIONER, P.ALLOCATION_MANAGE, P.INVOLVEMENT_MANAGE, P.RESTRICTION_MANAGE];
/** A YOS or CSC team manager's joint-case audit of their own team's children (S59). */
const TEAM_AUDIT = [P.AUDIT_LOG_READ];

/**
 * Operation-level permissions per role. Which child, record and field a caller may then see is
 * decided per record by the services (agency involvement today; the policy module refines it).
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  YOS_CASE_MANAGER: PRACTITIONER,
  YOS_MANAGER: [...MANAGER, ...TEAM_AUDIT],
  YOS_PARENTING_WORKER: READ,
  CSC_SOCIAL_WORKER: [...PRACTITIONER, P.PLACEMENT_RECORD, P.RESTRICTION_MANAGE],
  CSC_TEAM_MANAGER: [...MANAGER, ...TEAM_AUDIT, P.PLACEMENT_RECORD, P.CHILD_MERGE, P.RELEASE_PLAN_DECIDE],
  CSC_FRONT_DOOR: [...READ, P.CHILD_REGISTER],
  IRO: READ,
  PERSONAL_ADVISER: PRACTITIONER,
  HEAD_OF_SERVICE: [...READ, P.CHILD_MERGE],
  SECURE_ESTATE_GOVERNOR: [...READ, P.DPP_SIGN, P.SETTLING_IN_REPORT_SEND],
  SECURE_ESTATE_OFFENDER_SUPERVISOR: [...READ, P.SETTLING_IN_REPORT_SEND],
  POLICE_CPS: [P.DIRECTORY_READ, P.CHILD_READ, P.RECORD_READ, P.RESTRICTION_MANAGE],
  PROBATION_OFFICER: READ,
  AUDITOR: [P.DIRECTORY_READ, P.ACCESS_EXPLAIN, P.AUDIT_READ, P.AUDIT_LOG_READ, P.AUDIT_DISPOSE],
  SYSTEM: [...MANAGER, P.PLACEMENT_RECORD, P.WEBHOOK_MANAGE],
};

const K = AgencyKind;

/**
 * The kinds of agency each role belongs to (DOMAIN §1.2): a token whose agency is of another kind
 * is refused, so a role cannot be claimed where it has no meaning (an auditor at a secure
 * establishment, a governor at a YOS). `AUDITOR` is a local authority's information-governance
 * function, filed under the authority's children's services agency (as the demo's Derby auditor):
 * one place per authority, and its scope is the whole authority's part of the log anyway
 * (AuditScope), its YOS included. `HEAD_OF_SERVICE` heads a CSC, YOS or leaving-care service;
 * `SYSTEM` is any agency's case system.
 */
export const ROLE_AGENCY_KINDS: Readonly<Record<Role, readonly AgencyKind[]>> = {
  YOS_CASE_MANAGER: [K.YOUTH_JUSTICE],
  YOS_MANAGER: [K.YOUTH_JUSTICE],
  YOS_PARENTING_WORKER: [K.YOUTH_JUSTICE],
  CSC_SOCIAL_WORKER: [K.CHILDRENS_SOCIAL_CARE],
  CSC_TEAM_MANAGER: [K.CHILDRENS_SOCIAL_CARE],
  CSC_FRONT_DOOR: [K.CHILDRENS_SOCIAL_CARE],
  IRO: [K.CHILDRENS_SOCIAL_CARE],
  PERSONAL_ADVISER: [K.LEAVING_CARE],
  HEAD_OF_SERVICE: [K.CHILDRENS_SOCIAL_CARE, K.YOUTH_JUSTICE, K.LEAVING_CARE],
  SECURE_ESTATE_GOVERNOR: [K.SECURE_ESTATE],
  SECURE_ESTATE_OFFENDER_SUPERVISOR: [K.SECURE_ESTATE],
  POLICE_CPS: [K.POLICE],
  PROBATION_OFFICER: [K.PROBATION],
  AUDITOR: [K.CHILDRENS_SOCIAL_CARE],
  SYSTEM: Object.values(AgencyKind),
};

/**
 * Claims an identity provider puts only in a token issued to a person who signed in: the
 * authentication event (OIDC Core §2: `auth_time`, `amr`, `sid`, `nonce`) or the person's profile
 * (§5.1). A case system's client-credentials token (RFC 6749 §4.4) carries none of them.
 */
export const PERSON_CLAIMS: readonly string[] = ['auth_time', 'amr', 'sid', 'nonce', 'email', 'given_name', 'family_name'];

/** What a token says about its holder, as far as the role rules need it. */
export interface RoleClaims {
  readonly roles: readonly Role[];
  readonly agencyKind: AgencyKind;
  /** Whether the token carries any of PERSON_CLAIMS. */
  readonly personClaims: boolean;
}

/**
 * Why a token's roles cannot be accepted, or null when they can:
 * - each role must belong to the kind of the token's agency (ROLE_AGENCY_KINDS);
 * - `SYSTEM` is a case system acting for its agency: it must be the token's only role, and the token
 *   must not be a person's (no PERSON_CLAIMS); a display `name` is allowed, a system has one;
 * - `AUDITOR` reads the log and never record content (DOMAIN §1.2), so it is combined with no other
 *   role: every other role reads or writes child data.
 */
export function roleRefusal(claims: RoleClaims): string | null {
  const misplaced = claims.roles.filter((role) => !ROLE_AGENCY_KINDS[role].includes(claims.agencyKind));
  if (misplaced.length > 0) return `${misplaced.join(', ')} cannot be held at a ${claims.agencyKind} agency`;
  if (claims.roles.includes(Role.SYSTEM)) {
    if (claims.roles.length > 1) return 'SYSTEM must be the only role of a token';
    if (claims.personClaims) return "SYSTEM cannot be claimed by a person's token";
  }
  if (claims.roles.includes(Role.AUDITOR) && claims.roles.length > 1) return 'AUDITOR cannot be combined with another role';
  return null;
}

registerEnumType(Role, {
  name: 'Role',
  description: "A role carried by the caller's token.",
  valuesMap: {
    YOS_CASE_MANAGER: { description: 'YOS case manager.' },
    YOS_MANAGER: { description: 'YOS operational or team manager.' },
    YOS_PARENTING_WORKER: { description: 'YOS parenting worker.' },
    CSC_SOCIAL_WORKER: { description: "Children's social care social worker." },
    CSC_TEAM_MANAGER: { description: "Children's social care team manager." },
    CSC_FRONT_DOOR: { description: 'CSC front door (e.g. CSCT, ICAT).' },
    IRO: { description: 'Independent reviewing officer.' },
    PERSONAL_ADVISER: { description: 'Leaving-care personal adviser.' },
    HEAD_OF_SERVICE: { description: 'Head of service.' },
    SECURE_ESTATE_GOVERNOR: { description: 'Governor, director or registered manager of a secure establishment.' },
    SECURE_ESTATE_OFFENDER_SUPERVISOR: { description: 'Offender supervisor in a secure establishment.' },
    POLICE_CPS: { description: 'Police officer or CPS lawyer (narrow access).' },
    PROBATION_OFFICER: { description: 'Probation officer supervising a care leaver aged 18 or over.' },
    AUDITOR: { description: 'Auditor of the disclosure log; never sees record content.' },
    SYSTEM: { description: 'A case system acting for its agency (system-to-system integration).' },
  },
});

registerEnumType(Permission, {
  name: 'Permission',
  description: 'An operation-level permission.',
  valuesMap: {
    DIRECTORY_READ: { description: "Read the directory of agencies and one's own identity." },
    CHILD_READ: { description: "Read children the caller's agency is involved with." },
    CHILD_REGISTER: { description: "Register a child with the caller's case-system reference." },
    CHILD_UPDATE: { description: "Correct a child's identifying details." },
    CHILD_MERGE: { description: 'Merge duplicate children, and undo a merge within MERGE_UNDO_DAYS (managers).' },
    RECORD_READ: { description: 'Read shared assessments and plans.' },
    RECORD_WRITE: { description: "Create and update records the caller's agency owns." },
    PLACEMENT_RECORD: { description: 'Record placement changes (CSC).' },
    LEGAL_STATUS_RECORD: { description: 'Record legal-status changes.' },
    ALLOCATION_MANAGE: { description: "Allocate the caller's agency's practitioners to children." },
    INVOLVEMENT_MANAGE: { description: 'Record agency involvements such as a host YOS.' },
    AUDIT_READ: { description: 'Read the disclosure log (auditors, purpose AUDIT): metadata, never content.' },
    AUDIT_DISPOSE: { description: 'Run anomaly detection and record dispositions (auditors).' },
    NOTIFICATION_READ: {
      description:
        "Read the caller's case system's notifications, and acknowledge them (a person, not a case system's own token).",
    },
    WEBHOOK_MANAGE: { description: "Register and manage the caller's case system's webhooks (case systems)." },
    DPP_SIGN: {
      description:
        "Sign (agree) a FINAL detention placement plan as the establishment's governor, director or registered manager (001 §6.11); never edit it.",
    },
    SETTLING_IN_REPORT_SEND: {
      description:
        'Reply to the social worker how a child held at the establishment has settled and the visits agreed (001 §7.7).',
    },
    VISIT_RECORD: { description: 'Record visits to children the caller is allocated to (or manages the team of).' },
    AUDIT_LOG_READ: {
      description:
        "Search the disclosure log's entries and subject-access reports (auditors as their scope allows; YOS and CSC team managers for their own team's children, S59), purpose AUDIT.",
    },
    RELEASE_PLAN_DECIDE: {
      description: "Agree or not agree the YJS's release plan as children's social care's operations manager (003 §8.3).",
    },
  },
});
