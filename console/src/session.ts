import { UserManager, WebStorageStateStore } from 'oidc-client-ts';

/** How the gateway says people sign in (GET /console/api/sign-in). */
export type SignInConfig =
  | { readonly mode: 'development'; readonly users: readonly DemoUser[] }
  | { readonly mode: 'oidc'; readonly authority: string; readonly clientId: string; readonly scope: string }
  | { readonly mode: 'unavailable'; readonly reason: string };

export interface DemoUser {
  readonly subject: string;
  readonly name: string;
  readonly agency: string;
  readonly team: string | null;
  readonly roles: readonly string[];
}

/** A signed-in person: their own bearer token for /graphql, and when it runs out. */
export interface Session {
  readonly token: string;
  readonly expiresAt: number;
  readonly via: 'development' | 'oidc';
}

const STORAGE_KEY = 'tandem-console-session';
export const CALLBACK_PATH = '/console/callback';

export async function loadSignInConfig(): Promise<SignInConfig> {
  const response = await fetch('/console/api/sign-in', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`The gateway did not say how to sign in (HTTP ${response.status})`);
  return (await response.json()) as SignInConfig;
}

/** The session kept for this browser tab (sessionStorage: gone when the tab closes), if still valid. */
export function storedSession(): Session | null {
  const raw = sessionStorage.getItem(STORAGE_KEY);
  if (!raw) return null;
  try {
    const session = JSON.parse(raw) as Session;
    return session.expiresAt > Date.now() ? session : null;
  } catch {
    return null;
  }
}

function keep(session: Session): Session {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  return session;
}

export function forgetSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/** Development: a 15-minute token for a demo user from the gateway (refused in production). */
export async function signInAsDemoUser(subject: string): Promise<Session> {
  const response = await fetch('/console/api/dev-token', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ subject }),
  });
  if (!response.ok) throw new Error(`The gateway refused a development token (HTTP ${response.status})`);
  const { token, expiresAt } = (await response.json()) as { token: string; expiresAt: string };
  return keep({ token, expiresAt: Date.parse(expiresAt), via: 'development' });
}

function userManager(config: Extract<SignInConfig, { mode: 'oidc' }>): UserManager {
  return new UserManager({
    authority: config.authority,
    client_id: config.clientId,
    scope: config.scope,
    redirect_uri: `${window.location.origin}${CALLBACK_PATH}`,
    post_logout_redirect_uri: `${window.location.origin}/console/`,
    response_type: 'code',
    // The console keeps the token for this tab only, and asks again when it runs out.
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    automaticSilentRenew: false,
  });
}

/** Production: off to the identity provider (authorization code with PKCE, which oidc-client-ts does). */
export async function startOidcSignIn(config: Extract<SignInConfig, { mode: 'oidc' }>): Promise<void> {
  await userManager(config).signinRedirect();
}

/** Back from the identity provider at /console/callback: exchanges the code for the person's token. */
export async function finishOidcSignIn(config: Extract<SignInConfig, { mode: 'oidc' }>): Promise<Session> {
  const user = await userManager(config).signinRedirectCallback();
  const expiresAt = (user.expires_at ?? Math.floor(Date.now() / 1000) + 300) * 1000;
  return keep({ token: user.access_token, expiresAt, via: 'oidc' });
}

export async function signOut(config: SignInConfig | null): Promise<void> {
  forgetSession();
  if (config?.mode === 'oidc') await userManager(config).removeUser();
}
