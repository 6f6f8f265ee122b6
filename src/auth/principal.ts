import { Logger } from '@nestjs/common';
import type { AgencyRef } from 'src/directory/agency-directory.service.js';
import { type AuditScope, auditScopeFor } from 'src/auth/audit-scope.js';
import { type Permission, Role, ROLE_PERMISSIONS } from 'src/auth/roles.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { LoaderCache } from 'src/common/loaders/request-loaders.js';
import { isPurpose, type PurposeOfUse } from 'src/vocabulary/purpose.js';

export const PURPOSE_HEADER = 'x-purpose-of-use';
export const JUSTIFICATION_HEADER = 'x-access-justification';
export const ACCESS_REASON_HEADER = 'x-access-reason';

/** What the request says about why it is made: the purpose header and, for break-glass, a justification. */
export interface RequestPurpose {
  readonly header: string | undefined;
  readonly justification: string | undefined;
  /** For break-glass, the reason code (X-Access-Reason). */
  readonly accessReason?: string | undefined;
  /** The request's correlation id, carried into every log line and disclosure receipt. */
  readonly correlationId?: string | undefined;
}

/** What a verified token adds to the request context beyond its claims. */
export interface TokenFacts {
  /** Seconds since the epoch at which the token expires. */
  readonly expiresAt?: number;
  /** The caller's agency is named in AUDIT_NATIONAL_AGENCIES: an auditor there reads the whole log. */
  readonly nationalAudit?: boolean;
  /** For a delegated token: the client (the case system's token subject) acting for the person. */
  readonly actor?: PrincipalActor;
}

/**
 * The client that acts for the person under a delegated token (RFC 8693 `act`): the case system
 * named by the token's `case_system`, identified by its own token subject.
 */
export interface PrincipalActor {
  readonly subject: string;
}

/** The agency a caller acts for, as the directory knows it. */
export type PrincipalAgency = AgencyRef;

/**
 * A typed place in the request context for what a higher module keeps per request (the policy's
 * ability, the disclosure log's receipt collector) without auth knowing its type.
 */
export class ContextSlot<T> {
  constructor(
    readonly name: string,
    readonly create: () => T,
  ) {}
}

/**
 * The request context: the authenticated caller (a person or system using a case system on behalf
 * of an agency), why they ask (the purpose, checked against the vocabulary once), the correlation
 * id, and what the request keeps while it runs — its DataLoaders and the slots the policy and the
 * disclosure log fill. One per request (and one per recipient view a notification renders);
 * services take it first.
 */
export class Principal {
  readonly loaders = new LoaderCache();
  /** The stated purpose if it is one of the vocabulary, else null. */
  readonly statedPurpose: PurposeOfUse | null;
  /** The break-glass justification, trimmed; null when none was given. */
  readonly justification: string | null;
  /** The break-glass reason code as sent (checked against the vocabulary by the policy); null when none. */
  readonly accessReason: string | null;
  readonly correlationId: string;
  /** The part of the disclosure log the caller may read as an auditor (see AuditScope). */
  readonly auditScope: AuditScope;
  /** Seconds since the epoch at which the caller's token expires; undefined when no token made it. */
  readonly tokenExpiresAt: number | undefined;
  /**
   * Under a delegated token, the case system's client acting for the person this principal is;
   * null when the caller acts for itself (a person at a case system, or a SYSTEM token).
   */
  readonly actor: PrincipalActor | null;
  private readonly permissions: ReadonlySet<Permission>;
  private readonly purposeHeader: string | undefined;
  private readonly slots = new Map<ContextSlot<unknown>, unknown>();
  private logger: RequestLogger | undefined;

  constructor(
    readonly subject: string,
    readonly name: string,
    readonly agency: PrincipalAgency,
    readonly caseSystem: { readonly id: string; readonly code: string },
    readonly roles: readonly Role[],
    private readonly requested: RequestPurpose = { header: undefined, justification: undefined },
    private readonly token: TokenFacts = {},
  ) {
    this.permissions = new Set(roles.flatMap((role) => ROLE_PERMISSIONS[role]));
    this.purposeHeader = requested.header?.trim() || undefined;
    this.statedPurpose = this.purposeHeader && isPurpose(this.purposeHeader) ? this.purposeHeader : null;
    const justification = requested.justification?.trim();
    this.justification = justification ? justification.slice(0, 2000) : null;
    this.accessReason = requested.accessReason?.trim().slice(0, 64) || null;
    this.correlationId = requested.correlationId ?? 'none';
    this.auditScope = auditScopeFor(agency, token.nationalAudit ?? false);
    this.tokenExpiresAt = token.expiresAt;
    this.actor = token.actor ? { subject: token.actor.subject } : null;
  }

  /**
   * The same caller, token and request, for a new unit of work (each event a live subscription
   * sends): nothing one unit cached of the caller's access (loaders, slots) reaches the next, so a
   * contact restriction recorded or an allocation ended since then holds.
   */
  afresh(): Principal {
    return new Principal(this.subject, this.name, this.agency, this.caseSystem, this.roles, this.requested, this.token);
  }

  /** A case system reads for itself (SYSTEM) or for a named practitioner of its agency (delegated). */
  get isCaseSystem(): boolean {
    return this.actor !== null || (this.roles.length > 0 && this.roles.every((role) => role === Role.SYSTEM));
  }

  /**
   * The stated purpose of use; BAD_USER_INPUT when it is missing or not in the vocabulary, so no
   * child data is read without one.
   */
  requirePurpose(): PurposeOfUse {
    if (!this.purposeHeader)
      throw TandemError.badInput('Say why you want child data in the X-Purpose-Of-Use header', 'X-Purpose-Of-Use');
    if (!this.statedPurpose)
      throw TandemError.badInput(`Unknown purpose of use "${this.purposeHeader.slice(0, 40)}"`, 'X-Purpose-Of-Use');
    return this.statedPurpose;
  }

  can(permission: Permission): boolean {
    return this.permissions.has(permission);
  }

  /** The request's value in a slot, made on first use. */
  slot<T>(slot: ContextSlot<T>): T {
    if (!this.slots.has(slot)) this.slots.set(slot, slot.create());
    return this.slots.get(slot) as T;
  }

  /** The request's value in a slot if one was made. */
  peek<T>(slot: ContextSlot<T>): T | undefined {
    return this.slots.get(slot) as T | undefined;
  }

  /** A logger whose every line names the correlation id and the caller. */
  get log(): RequestLogger {
    this.logger ??= new RequestLogger(`${this.correlationId} ${this.subject}@${this.agency.code}`);
    return this.logger;
  }
}

/** Nest's logger with the request's correlation id and caller before every message. */
export class RequestLogger {
  private static readonly logger = new Logger('Request');

  constructor(private readonly prefix: string) {}

  log(message: string): void {
    RequestLogger.logger.log(`${this.prefix} ${message}`);
  }

  warn(message: string): void {
    RequestLogger.logger.warn(`${this.prefix} ${message}`);
  }

  error(message: string): void {
    RequestLogger.logger.error(`${this.prefix} ${message}`);
  }
}
