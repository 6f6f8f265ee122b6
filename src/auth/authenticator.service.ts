import { Injectable, Logger } from '@nestjs/common';
import passport from 'passport';
import { TandemError } from 'src/common/errors/tandem-error.js';
import type { Principal } from 'src/auth/principal.js';
import { principalOf, setPrincipal, type TandemRequest } from 'src/auth/request-principal.js';

/** Runs the passport-jwt strategy once per request and remembers the result. */
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
      const callback = (error: unknown, principal: Principal | false, info: unknown) => {
        if (principal) {
          setPrincipal(request, principal);
          resolve(principal);
          return;
        }
        const reason = error instanceof TandemError ? error.message : info instanceof Error ? info.message : undefined;
        if (error && !(error instanceof TandemError))
          this.logger.warn(`Token verification failed: ${error instanceof Error ? error.message : 'unknown error'}`);
        reject(TandemError.unauthenticated(reason ? `Invalid token: ${reason}` : undefined));
      };
      const authenticate = passport.authenticate('jwt', { session: false }, callback) as (
        request: object,
        response: object,
        next: (error?: unknown) => void,
      ) => void;
      authenticate(request, {}, (error?: unknown) => reject(error instanceof Error ? error : TandemError.unauthenticated()));
    });
  }
}
