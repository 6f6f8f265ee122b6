import { Injectable, Logger } from '@nestjs/common';
import passport from 'passport';
import { TandemError } from 'src/common/errors/tandem-error.js';
import type { Principal } from 'src/auth/principal.js';
import { principalOf, setPrincipal } from 'src/auth/request-principal.js';

/** Runs the passport-jwt strategy once per request and remembers the result. */
@Injectable()
export class Authenticator {
  private readonly logger = new Logger(Authenticator.name);
  private readonly pending = new WeakMap<object, Promise<Principal>>();

  authenticate(request: object): Promise<Principal> {
    const known = principalOf(request);
    if (known) return Promise.resolve(known);
    let verification = this.pending.get(request);
    if (!verification) {
      verification = this.verify(request);
      this.pending.set(request, verification);
    }
    return verification;
  }

  private verify(request: object): Promise<Principal> {
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
