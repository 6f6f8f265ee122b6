import { useCallback, useEffect, useMemo, useState } from 'react';
import { Button, Link } from 'react-aria-components';
import { Provider, useQuery } from 'urql';
import { createClient } from './client.ts';
import { words } from './format.ts';
import { graphql } from './graphql.ts';
import { PAGES, pageHref, useRouter } from './router.tsx';
import {
  CALLBACK_PATH,
  finishOidcSignIn,
  loadSignInConfig,
  signOut,
  storedSession,
  type Session,
  type SignInConfig,
} from './session.ts';
import { ErrorNotice, Loading } from './ui.tsx';
import { AnomaliesPage } from './pages/Anomalies.tsx';
import { DisclosuresPage } from './pages/Disclosures.tsx';
import { ExplainPage } from './pages/Explain.tsx';
import { IntegrityPage } from './pages/Integrity.tsx';
import { OverviewPage } from './pages/Overview.tsx';
import { SignInPage } from './pages/SignIn.tsx';
import { SubjectAccessPage } from './pages/SubjectAccess.tsx';

const MeQuery = graphql(`
  query ConsoleMe {
    me {
      subject
      name
      roles
      agency {
        code
        name
      }
    }
  }
`);

function Page({ page }: { page: string }) {
  const { location } = useRouter();
  switch (page) {
    case 'overview':
      return <OverviewPage />;
    case 'subject-access':
      return <SubjectAccessPage />;
    case 'anomalies':
      return <AnomaliesPage />;
    case 'integrity':
      return <IntegrityPage />;
    case 'explain':
      return <ExplainPage />;
    default:
      // Keyed by the query string: a link with other filters starts the page afresh.
      return <DisclosuresPage key={location.search.toString()} />;
  }
}

function SignedIn({ onSignOut }: { onSignOut: () => void }) {
  const { location } = useRouter();
  const [me] = useQuery({ query: MeQuery });
  const page = PAGES.some((candidate) => candidate.path === location.page) ? location.page : 'disclosures';
  const title = PAGES.find((candidate) => candidate.path === page)?.title ?? 'Disclosures';
  useEffect(() => {
    document.title = `${title} — Tandem auditors' console`;
  }, [title]);
  return (
    <>
      <header className="masthead">
        <div className="masthead-top">
          <p className="brand">Tandem · auditors’ console</p>
          <div className="who">
            {me.data ? (
              <span>
                Signed in as <strong>{me.data.me.name}</strong> ({me.data.me.roles.map(words).join(', ')},{' '}
                {me.data.me.agency.name})
              </span>
            ) : null}
            <Button className="button secondary small" onPress={onSignOut}>
              Sign out
            </Button>
          </div>
        </div>
        <nav aria-label="Console pages" className="tabs">
          <ul>
            {PAGES.map((candidate) => (
              <li key={candidate.path}>
                <Link href={pageHref(candidate.path)} className="tab" aria-current={candidate.path === page ? 'page' : undefined}>
                  {candidate.title}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {me.error ? <ErrorNotice error={me.error} what="who you are" /> : null}
        <Page page={page} />
      </main>
    </>
  );
}

export function App() {
  const { location, navigate } = useRouter();
  const [config, setConfig] = useState<SignInConfig | null>(null);
  const [failure, setFailure] = useState<Error | null>(null);
  const [session, setSession] = useState<Session | null>(storedSession);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    loadSignInConfig().then(setConfig, (error: unknown) => setFailure(error instanceof Error ? error : new Error('No sign-in')));
  }, []);
  useEffect(() => {
    if (config?.mode !== 'oidc' || window.location.pathname !== CALLBACK_PATH) return;
    finishOidcSignIn(config).then(
      (signedIn) => {
        setSession(signedIn);
        navigate(pageHref('disclosures'));
      },
      (error: unknown) => {
        setNotice(`Sign-in did not complete: ${error instanceof Error ? error.message : 'unknown error'}`);
        navigate('/console/');
      },
    );
  }, [config, navigate]);

  const end = useCallback(
    (why: string | null) => {
      void signOut(config);
      setSession(null);
      setNotice(why);
    },
    [config],
  );
  // The token runs out: back to sign-in, saying why.
  useEffect(() => {
    if (!session) return;
    const timer = setTimeout(() => end('Your session ended: sign in again.'), Math.max(0, session.expiresAt - Date.now()));
    return () => clearTimeout(timer);
  }, [session, end]);
  const client = useMemo(
    () => (session ? createClient(session.token, () => end('The gateway no longer accepts your sign-in: sign in again.')) : null),
    [session, end],
  );

  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      {failure ? (
        <main id="main">
          <ErrorNotice error={failure} what="the console" />
        </main>
      ) : !config || location.page === 'callback' ? (
        <main id="main">
          <Loading what="sign-in" />
        </main>
      ) : client ? (
        <Provider value={client}>
          <SignedIn onSignOut={() => end(null)} />
        </Provider>
      ) : (
        <SignInPage
          config={config}
          notice={notice}
          onSignedIn={(signedIn) => {
            setNotice(null);
            setSession(signedIn);
            if (!PAGES.some((candidate) => candidate.path === location.page)) navigate(pageHref('disclosures'));
          }}
        />
      )}
    </>
  );
}
