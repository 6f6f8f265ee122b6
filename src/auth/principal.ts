import { type AgencyKind } from 'src/children/children.enums.js';
import { type Permission, ROLE_PERMISSIONS, type Role } from 'src/auth/roles.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { isPurpose, type PurposeOfUse } from 'src/policy/purpose.js';

export const PURPOSE_HEADER = 'x-purpose-of-use';
export const JUSTIFICATION_HEADER = 'x-access-justification';

/** What the request says about why it is made: the purpose header and, for break-glass, a justification. */
export interface RequestPurpose {
  readonly header: string | undefined;
  readonly justification: string | undefined;
  /** The request's correlation id, carried into every log line and disclosure receipt. */
  readonly correlationId?: string | undefined;
}

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
    private readonly requested: RequestPurpose = { header: undefined, justification: undefined },
  ) {
    this.permissions = new Set(roles.flatMap((role) => ROLE_PERMISSIONS[role]));
  }

  /**
   * The stated purpose of use; BAD_USER_INPUT when it is missing or not in the vocabulary, so no
   * child data is read without one.
   */
  get purpose(): PurposeOfUse {
    const header = this.requested.header?.trim();
    if (!header) throw TandemError.badInput('Say why you want child data in the X-Purpose-Of-Use header', 'X-Purpose-Of-Use');
    if (!isPurpose(header)) throw TandemError.badInput(`Unknown purpose of use "${header.slice(0, 40)}"`, 'X-Purpose-Of-Use');
    return header;
  }

  /** The break-glass justification, trimmed; null when none was given. */
  get justification(): string | null {
    const text = this.requested.justification?.trim();
    return text ? text.slice(0, 2000) : null;
  }

  /** The purpose if one valid was stated, else null (for logging a refused request). */
  get statedPurpose(): PurposeOfUse | null {
    const header = this.requested.header?.trim();
    return header && isPurpose(header) ? header : null;
  }

  get correlationId(): string {
    return this.requested.correlationId ?? 'none';
  }

  can(permission: Permission): boolean {
    return this.permissions.has(permission);
  }
}
