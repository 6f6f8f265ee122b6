import type { KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy, type StrategyOptions, type VerifyCallbackWithRequest } from 'passport-jwt';
import { AppConfig } from 'src/config/app-config.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { SigningKeyResolver } from 'src/auth/keys/signing-key-resolver.js';
import { VerifiedTokens } from 'src/auth/keys/verified-tokens.js';
import { ACCESS_REASON_HEADER, JUSTIFICATION_HEADER, Principal, PURPOSE_HEADER } from 'src/auth/principal.js';
import { Role, roleRefusal } from 'src/auth/roles.js';
import { PractitionerLookup } from 'src/auth/practitioner-lookup.repository.js';
import { type Claims, readClaims, type TokenIdentity } from 'src/auth/token-claims.js';

type PassportJwtOptions = Extract<StrategyOptions, { passReqToCallback: true }>;

/** Gives passport-jwt the key for a token, which it hands unchanged to jsonwebtoken.verify. */
type KeyProvider = (request: unknown, rawJwt: string, done: (error: unknown, key?: KeyObject | string | Buffer) => void) => void;

/**
 * passport-jwt's Strategy as it behaves, for its type only (nothing of this name exists at run
 * time): the key goes unchanged to jsonwebtoken.verify, which takes a KeyObject and checks the
 * token's algorithm against the key's type with it, though @types/passport-jwt names only a string
 * or Buffer. The compiler accepts passport-jwt's Strategy for it only while everything passport-jwt
 * declares still fits these options, so the key's type is all that is widened.
 */
export declare class KeyObjectJwtStrategy extends Strategy {
  constructor(
    options: Omit<PassportJwtOptions, 'secretOrKey' | 'secretOrKeyProvider'> &
      ({ secretOrKeyProvider: KeyProvider } | { secretOrKey: string | Buffer }),
    verify: VerifyCallbackWithRequest,
  );
}

/** The header's key id, and whether it names extensions that must be understood (`crit`). */
function headerOf(rawJwt: string): { kid: string | undefined; critical: boolean } {
  try {
    const header = JSON.parse(Buffer.from(rawJwt.split('.')[0] ?? '', 'base64url').toString('utf8')) as {
      kid?: unknown;
      crit?: unknown;
    };
    return { kid: typeof header.kid === 'string' ? header.kid : undefined, critical: header.crit !== undefined };
  } catch {
    return { kid: undefined, critical: false };
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * passport-jwt with the issuer, audience and algorithms pinned (so `alg: none` and HS256 signed with
 * a public key are refused), the token's lifetime capped, and the claims turned into a Principal
 * known to the directory, whose roles fit its agency (ROLE_AGENCY_KINDS, roleRefusal).
 */
@Injectable()
export class JwtStrategy extends PassportStrategy<typeof KeyObjectJwtStrategy, Principal>(Strategy, 'jwt') {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(SigningKeyResolver) keys: SigningKeyResolver,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(PractitionerLookup) private readonly practitioners: PractitionerLookup,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: (_request, rawJwt, done) => {
        const header = headerOf(rawJwt);
        // RFC 7515 §4.1.11: a token whose header names extensions the recipient must understand is
        // refused unless it understands them; Tandem understands none (jsonwebtoken ignores `crit`).
        if (header.critical) {
          done(new Error('The token names critical header extensions Tandem does not understand'));
          return;
        }
        keys.keyFor(header.kid).then(
          (key) => done(null, key),
          (error: unknown) => done(error),
        );
      },
      issuer: config.auth.issuer,
      audience: config.auth.audience,
      algorithms: [...config.auth.algorithms] as never,
      jsonWebTokenOptions: { clockTolerance: config.auth.clockToleranceSeconds },
      ignoreExpiration: false,
      passReqToCallback: true,
    });
    VerifiedTokens.install(config.auth.clockToleranceSeconds);
  }

  async validate(
    request: { headers: Record<string, string | string[] | undefined>; id?: unknown },
    claims: Claims,
  ): Promise<Principal> {
    const read = readClaims(claims, Math.floor(Date.now() / 1000), this.config.auth);
    if ('refusal' in read) throw TandemError.unauthenticated(read.refusal);
    const token = read.identity;
    const caller = await this.directory.resolveCaller(token.agencyCode, token.caseSystemCode);
    if (!caller) throw TandemError.unauthenticated('Token names an agency or case system Tandem does not know');
    const refusal = roleRefusal({ roles: token.roles, agencyKind: caller.agency.kind, personClaims: token.personClaims });
    if (refusal) throw TandemError.unauthenticated(refusal);
    const nationalAudit = this.config.audit.nationalAgencies.includes(caller.agency.code);
    if (token.roles.includes(Role.AUDITOR) && !nationalAudit && caller.agency.localAuthorityId === null) {
      throw TandemError.unauthenticated('AUDITOR needs an agency of a local authority, or a national one');
    }
    const name = await this.delegatedName(token, caller.agency.id);
    return new Principal(
      token.subject,
      name,
      caller.agency,
      caller.caseSystem,
      token.roles,
      {
        header: single(request.headers[PURPOSE_HEADER]),
        justification: single(request.headers[JUSTIFICATION_HEADER]),
        accessReason: single(request.headers[ACCESS_REASON_HEADER]),
        correlationId: typeof request.id === 'string' ? request.id : undefined,
      },
      { expiresAt: token.expiresAt, nationalAudit, ...(token.actor ? { actor: token.actor } : {}) },
    );
  }

  /**
   * The person's name as the directory knows it; for a token that is not delegated, the token's.
   * A case system may act only for a practitioner of its own agency known to the directory: the
   * identity provider vouches for the exchange, Tandem for who the practitioner works for.
   */
  private async delegatedName(token: TokenIdentity, agencyId: string): Promise<string> {
    if (!token.actor) return token.name;
    const person = await this.practitioners.bySubject(token.subject);
    if (!person) throw TandemError.unauthenticated('Delegated token names a practitioner the directory does not know');
    if (person.agencyId !== agencyId) {
      throw TandemError.unauthenticated("Delegated token names a practitioner of another agency than the case system's");
    }
    return person.displayName;
  }
}
