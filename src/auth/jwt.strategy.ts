import type { KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy, type StrategyOptions, type VerifyCallbackWithRequest } from 'passport-jwt';
import { AppConfig } from 'src/config/app-config.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { SigningKeyResolver } from 'src/auth/keys/signing-key-resolver.js';
import { JUSTIFICATION_HEADER, Principal, PURPOSE_HEADER } from 'src/auth/principal.js';
import { Role } from 'src/auth/roles.js';

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

const KNOWN_ROLES = new Set<string>(Object.values(Role));

function keyIdOf(rawJwt: string): string | undefined {
  try {
    const header = JSON.parse(Buffer.from(rawJwt.split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid?: unknown };
    return typeof header.kid === 'string' ? header.kid : undefined;
  } catch {
    return undefined;
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

interface Claims {
  sub?: unknown;
  name?: unknown;
  agency?: unknown;
  case_system?: unknown;
  roles?: unknown;
}

/**
 * passport-jwt with the issuer, audience and algorithms pinned (so `alg: none` and HS256 signed with
 * a public key are refused), and the claims turned into a Principal known to the directory.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy<typeof KeyObjectJwtStrategy, Principal>(Strategy, 'jwt') {
  constructor(
    @Inject(AppConfig) config: AppConfig,
    @Inject(SigningKeyResolver) keys: SigningKeyResolver,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: (_request, rawJwt, done) => {
        keys.keyFor(keyIdOf(rawJwt)).then(
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
  }

  async validate(
    request: { headers: Record<string, string | string[] | undefined>; id?: unknown },
    claims: Claims,
  ): Promise<Principal> {
    const { sub, name, agency, case_system: caseSystem, roles } = claims;
    if (typeof sub !== 'string' || typeof agency !== 'string' || typeof caseSystem !== 'string' || !Array.isArray(roles)) {
      throw TandemError.unauthenticated('Token lacks the sub, agency, case_system or roles claim');
    }
    const knownRoles = roles.filter((role): role is Role => typeof role === 'string' && KNOWN_ROLES.has(role));
    if (knownRoles.length === 0) throw TandemError.unauthenticated('Token carries no known role');
    const caller = await this.directory.resolveCaller(agency, caseSystem);
    if (!caller) throw TandemError.unauthenticated('Token names an agency or case system Tandem does not know');
    return new Principal(sub, typeof name === 'string' ? name : sub, caller.agency, caller.caseSystem, knownRoles, {
      header: single(request.headers[PURPOSE_HEADER]),
      justification: single(request.headers[JUSTIFICATION_HEADER]),
      correlationId: typeof request.id === 'string' ? request.id : undefined,
    });
  }
}
