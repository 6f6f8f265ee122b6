import type { AppConfig } from 'src/config/app-config.js';
import { DEMO_USERS } from 'src/seed/demo-directory.js';

/** How the console signs people in, as the browser is told before anyone has signed in. */
export type ConsoleSignIn =
  | { readonly mode: 'development'; readonly users: readonly ConsoleDemoUser[] }
  | {
      readonly mode: 'oidc';
      readonly authority: string;
      readonly clientId: string;
      readonly scope: string;
    }
  /** Production without CONSOLE_OIDC_CLIENT_ID (or an authority): nobody can sign in. */
  | { readonly mode: 'unavailable'; readonly reason: string };

/** A demo user the development sign-in offers: who they are, never a credential. */
export interface ConsoleDemoUser {
  readonly subject: string;
  readonly name: string;
  readonly agency: string;
  readonly team: string | null;
  readonly roles: readonly string[];
}

/** Development tokens live as long as `npm run token`'s. */
export const DEV_TOKEN_LIFETIME_SECONDS = 15 * 60;

/** Development sign-in is offered exactly where `npm run token` works: never in production. */
export function developmentSignIn(config: AppConfig): boolean {
  return !config.isProduction && config.auth.mode === 'development';
}

export function consoleSignIn(config: AppConfig): ConsoleSignIn {
  if (developmentSignIn(config)) {
    return {
      mode: 'development',
      users: DEMO_USERS.map((user) => ({
        subject: user.subject,
        name: user.name,
        agency: user.agency,
        team: user.team,
        roles: [...user.roles],
      })),
    };
  }
  const { authority, clientId, scope } = config.console.oidc;
  if (!clientId) return { mode: 'unavailable', reason: 'CONSOLE_OIDC_CLIENT_ID is not set' };
  if (!authority || !URL.canParse(authority)) {
    return { mode: 'unavailable', reason: 'CONSOLE_OIDC_AUTHORITY (or AUTH_ISSUER) is not a URL' };
  }
  return { mode: 'oidc', authority, clientId, scope };
}
