import { useState } from 'react';
import { Button } from 'react-aria-components';
import { words } from '../format.ts';
import { signInAsDemoUser, startOidcSignIn, type DemoUser, type Session, type SignInConfig } from '../session.ts';

const MANAGERS = ['CSC_TEAM_MANAGER', 'YOS_MANAGER'];

function groupsOf(users: readonly DemoUser[]) {
  const auditors = users.filter((user) => user.roles.includes('AUDITOR'));
  const managers = users.filter((user) => user.roles.some((role) => MANAGERS.includes(role)));
  const others = users.filter((user) => !auditors.includes(user) && !managers.includes(user));
  return [
    { title: 'Auditors', note: 'Information governance: read their local authority’s part of the log.', users: auditors },
    {
      title: 'Team managers',
      note: 'Joint-case audit: the children of their own team only, as the API allows.',
      users: managers,
    },
    { title: 'Everyone else', note: 'Practitioners and case systems: the API refuses them the log.', users: others },
  ];
}

export function SignInPage({
  config,
  notice,
  onSignedIn,
}: {
  config: SignInConfig;
  notice: string | null;
  onSignedIn: (session: Session) => void;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = (work: () => Promise<void>) => {
    setBusy(true);
    setProblem(null);
    work()
      .catch((error: unknown) => setProblem(error instanceof Error ? error.message : 'Sign-in failed'))
      .finally(() => setBusy(false));
  };
  return (
    <main id="main" className="signin">
      <h1>Sign in to the auditors’ console</h1>
      {notice ? (
        <p role="status" className="notice notice-warning">
          {notice}
        </p>
      ) : null}
      {problem ? (
        <p role="alert" className="notice notice-error">
          {problem}
        </p>
      ) : null}
      {config.mode === 'development' ? (
        <>
          <p className="lede">
            Development: choose a demo user. The gateway gives the console a 15-minute token for them, as{' '}
            <code>npm run token</code> does; production signs people in with the identity provider instead.
          </p>
          {groupsOf(config.users).map((group) => (
            <section key={group.title} aria-labelledby={`group-${group.title}`} className="user-group">
              <h2 id={`group-${group.title}`}>{group.title}</h2>
              <p className="muted">{group.note}</p>
              <ul className="users">
                {group.users.map((user) => (
                  <li key={user.subject}>
                    <Button
                      className="user"
                      isDisabled={busy}
                      onPress={() => run(async () => onSignedIn(await signInAsDemoUser(user.subject)))}
                    >
                      <span className="user-name">{user.name}</span>
                      <span className="user-detail">
                        {user.roles.map(words).join(', ')} · {user.agency}
                        {user.team ? ` · ${user.team}` : ''}
                      </span>
                    </Button>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </>
      ) : config.mode === 'oidc' ? (
        <>
          <p className="lede">Sign in with your organisation’s account. The console then reads the log with your own token.</p>
          <Button className="button" isDisabled={busy} onPress={() => run(() => startOidcSignIn(config))}>
            Sign in
          </Button>
        </>
      ) : (
        <p role="alert" className="notice notice-error">
          Sign-in is not configured on this gateway ({config.reason}). See docs/CONSOLE.md.
        </p>
      )}
    </main>
  );
}
