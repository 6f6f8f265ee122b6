import { Injectable, Logger } from '@nestjs/common';
import passport from 'passport';
import { TandemError } from 'src/common/errors/tandem-error.js';
import type { Principal } from 'src/auth/principal.js';
import { principalOf, setPrincipal, type TandemRequest } from 'src/auth/request-principal.js';

/**
 * Runs the passport-jwt strategy once per request and remembers the result. Every refusal gets the
 * same answer, whatever the reason: telling a caller which check failed (and echoing the expected
 * issuer or audience) helps whoever forges tokens, not the case system. The reason is logged at
 * debug level for whoever runs the gateway.
 */
@Injectable()
export class Authenticator {
  private readonly logger = new Logger(Authenticator.name);

  authenticate(request: TandemRequest): Promise<Principal> {
    const known = principalOf(request);
    if (known) return Promise.resolve(known);
    request.tandemAuthentication ??= this.verify(request);
    return request.tandemAuthentication;
  }

  private verify(request: TandemRequest): Promise<Principal> {
    return new Promise<Principal>((resolve, reject) => {
      const refuse = (reason: string) => {
        this.logger.debug(`Token refused: ${reason}`);
        reject(TandemError.unauthenticated());
      };
      const callback = (error: unknown, principal: Principal | false, info: unknown) => {
        if (principal) {
          setPrincipal(request, principal);
          resolve(principal);
          return;
        }
        if (error && !(error instanceof TandemError)) {
          this.logger.warn(`Token verification failed: ${error instanceof Error ? error.message : 'unknown error'}`);
        }
        refuse(error instanceof Error ? error.message : info instanceof Error ? info.message : 'no reason given');
      };
      const authenticate = passport.authenticate('jwt', { session: false }, callback) as (
        request: object,
        response: object,
        next: (error?: unknown) => void,
      ) => void;
      authenticate(request, {}, (error?: unknown) => refuse(error instanceof Error ? error.message : 'no reason given'));
    });
  }
}
