import { type AgencyKind } from 'src/children/children.enums.js';
import { type Permission, ROLE_PERMISSIONS, type Role } from 'src/auth/roles.js';

/** The agency a caller acts for, as the directory knows it. */
export interface PrincipalAgency {
  readonly id: string;
  readonly code: string;
  readonly kind: AgencyKind;
  readonly localAuthorityId: string | null;
}

/** The authenticated caller: a person (or system) using a case system on behalf of an agency. */
export class Principal {
  private readonly permissions: ReadonlySet<Permission>;

  constructor(
    readonly subject: string,
    readonly name: string,
    readonly agency: PrincipalAgency,
    readonly caseSystem: { readonly id: string; readonly code: string },
    readonly roles: readonly Role[],
  ) {
    this.permissions = new Set(roles.flatMap((role) => ROLE_PERMISSIONS[role]));
  }

  can(permission: Permission): boolean {
    return this.permissions.has(permission);
  }
}
