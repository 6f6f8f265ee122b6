import { PERSON_CLAIMS, Role } from 'src/auth/roles.js';

/** The claims of a verified token (signature, issuer, audience, `exp` and `nbf` already checked). */
export interface Claims {
  readonly sub?: unknown;
  readonly name?: unknown;
  readonly agency?: unknown;
  readonly case_system?: unknown;
  readonly roles?: unknown;
  readonly exp?: unknown;
  readonly iat?: unknown;
  /** RFC 8693 §4.1: the client acting for the subject (a case system acting for its practitioner). */
  readonly act?: unknown;
  readonly [claim: string]: unknown;
}

/** What Tandem reads from a token before it asks the directory about the agency. */
export interface TokenIdentity {
  readonly subject: string;
  readonly name: string;
  readonly agencyCode: string;
  readonly caseSystemCode: string;
  readonly roles: readonly Role[];
  readonly expiresAt: number;
  /** The token carries a claim only a person's token has (PERSON_CLAIMS). */
  readonly personClaims: boolean;
  /**
   * For a delegated token (RFC 8693 token exchange), the client that acts for the subject: `act.sub`.
   * The subject is then the person, and the person's roles, relationships and purpose decide.
   */
  readonly actor?: { readonly subject: string };
}

export interface LifetimeLimits {
  readonly maxTokenAgeSeconds: number;
  readonly clockToleranceSeconds: number;
}

/** The disclosure log records the subject in at most this many characters. */
const MAX_SUBJECT_LENGTH = 200;

const KNOWN_ROLES = new Set<string>(Object.values(Role));

function isRole(value: unknown): value is Role {
  return typeof value === 'string' && KNOWN_ROLES.has(value);
}

/**
 * The token's identity, or why it is refused. A token must expire (a numeric `exp`) and live no
 * longer than AUTH_MAX_TOKEN_AGE_SECONDS, measured from `iat` — or from now without one, and never
 * from an `iat` in the future — so a leaked token and a subscription opened with it end soon.
 */
export function readClaims(
  claims: Claims,
  nowSeconds: number,
  limits: LifetimeLimits,
): { identity: TokenIdentity } | { refusal: string } {
  const { sub, name, agency, case_system: caseSystem, roles, exp, iat } = claims;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return { refusal: 'Token has no numeric exp' };
  const issued = typeof iat === 'number' && Number.isFinite(iat) ? Math.min(iat, nowSeconds) : nowSeconds;
  if (exp - issued > limits.maxTokenAgeSeconds + limits.clockToleranceSeconds) {
    return { refusal: `Token lives ${Math.round(exp - issued)} s, longer than ${limits.maxTokenAgeSeconds} s` };
  }
  if (typeof sub !== 'string' || typeof agency !== 'string' || typeof caseSystem !== 'string' || !Array.isArray(roles)) {
    return { refusal: 'Token lacks the sub, agency, case_system or roles claim' };
  }
  if (sub.trim() === '') return { refusal: 'Token has an empty sub' };
  if (sub.length > MAX_SUBJECT_LENGTH) return { refusal: `Token sub is longer than ${MAX_SUBJECT_LENGTH} characters` };
  const known = [...new Set(roles.filter(isRole))];
  if (known.length === 0) return { refusal: 'Token carries no known role' };
  const actor = actorOf(claims.act);
  if (typeof actor === 'string') return { refusal: actor };
  if (actor && known.includes(Role.SYSTEM)) return { refusal: "A delegated token carries the person's roles, not SYSTEM" };
  return {
    identity: {
      subject: sub,
      name: typeof name === 'string' && name.trim() !== '' ? name : sub,
      agencyCode: agency,
      caseSystemCode: caseSystem,
      roles: known,
      expiresAt: exp,
      personClaims: PERSON_CLAIMS.some((claim) => claims[claim] !== undefined),
      ...(actor ? { actor } : {}),
    },
  };
}

/**
 * The current actor of an RFC 8693 `act` claim, undefined when there is none, or why it is refused.
 * Only `act.sub` is read: a nested `act` names earlier actors, which the RFC makes informational.
 */
function actorOf(act: unknown): { subject: string } | undefined | string {
  if (act === undefined) return undefined;
  if (typeof act !== 'object' || act === null || Array.isArray(act)) return 'Token act claim is not an object';
  const sub = 'sub' in act ? act.sub : undefined;
  if (typeof sub !== 'string' || sub.trim() === '') return 'Token act claim has no sub';
  if (sub.length > MAX_SUBJECT_LENGTH) return `Token act.sub is longer than ${MAX_SUBJECT_LENGTH} characters`;
  return { subject: sub };
}
