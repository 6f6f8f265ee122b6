import { Client, fetchExchange } from 'urql';

/**
 * The urql client for one signed-in person. No cache: every page asks the gateway, so every view
 * is a logged auditor consultation, and nothing read is kept in the browser's memory for longer
 * than the page shows it. Every request states the purpose AUDIT.
 */
export function createClient(token: string, onUnauthenticated: () => void): Client {
  return new Client({
    url: '/graphql',
    exchanges: [fetchExchange],
    preferGetMethod: false,
    requestPolicy: 'network-only',
    fetchOptions: () => ({
      headers: { authorization: `Bearer ${token}`, 'x-purpose-of-use': 'AUDIT' },
    }),
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (response.status === 401) onUnauthenticated();
      return response;
    },
  });
}
