import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { RouterProvider } from 'react-aria-components';

/** The console's pages, by their path under /console/. */
export const PAGES = [
  { path: 'disclosures', title: 'Disclosures' },
  { path: 'overview', title: 'Overview' },
  { path: 'subject-access', title: 'Subject access' },
  { path: 'anomalies', title: 'Anomalies' },
  { path: 'integrity', title: 'Integrity' },
  { path: 'explain', title: 'Explain access' },
] as const;

export type PagePath = (typeof PAGES)[number]['path'];

interface Location {
  readonly page: string;
  readonly search: URLSearchParams;
}

const RouterContext = createContext<{ location: Location; navigate: (href: string) => void } | null>(null);

function current(): Location {
  const page = window.location.pathname.replace(/^\/console\/?/, '').replace(/\/$/, '');
  return { page, search: new URLSearchParams(window.location.search) };
}

/** A small history router: the gateway answers every /console/<page> with the app. */
export function Router({ children }: { children: ReactNode }) {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const onPop = () => setLocation(current());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((href: string) => {
    window.history.pushState(null, '', href);
    setLocation(current());
    window.scrollTo(0, 0);
  }, []);
  const value = useMemo(() => ({ location, navigate }), [location, navigate]);
  return (
    <RouterContext.Provider value={value}>
      <RouterProvider navigate={navigate}>{children}</RouterProvider>
    </RouterContext.Provider>
  );
}

export function useRouter() {
  const router = useContext(RouterContext);
  if (!router) throw new Error('useRouter outside Router');
  return router;
}

export function pageHref(path: PagePath, params: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => !!entry[1]));
  const query = search.toString();
  return `/console/${path}${query ? `?${query}` : ''}`;
}
