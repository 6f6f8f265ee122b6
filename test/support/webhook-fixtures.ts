import { expect } from 'vitest';
import type { TestApp } from './test-app.js';
import type { TestReceiver } from './test-receiver.js';

/** Settings for a test gateway whose webhooks reach receivers on this machine and retry at once. */
export const FAST_RETRIES = {
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_RETRY_BASE_MS: '10',
  WEBHOOK_RETRY_MAX_MS: '20',
  WEBHOOK_MAX_ATTEMPTS: '4',
  WEBHOOK_TIMEOUT_MS: '2000',
};

/** A planned move of a child to foster care, for recordPlacementChange; `overrides` replaces any part. */
export function placementFor(childId: string, overrides: Record<string, unknown> = {}) {
  return {
    childId,
    placementType: 'FOSTER_CARE',
    placementName: 'Foster carers',
    address: '2 Duffield Road, Derby',
    areaLocalAuthority: 'derby',
    reason: 'Step down from residential care',
    plannedDate: '2030-01-15',
    ...overrides,
  };
}

/** Starts each receiver and registers it as its case-system user's webhook endpoint; their secrets and endpoint ids by user. */
export async function registerReceivers(
  t: TestApp,
  receivers: readonly (readonly [string, TestReceiver])[],
): Promise<Record<string, { secret: string; endpointId: string }>> {
  const registered: Record<string, { secret: string; endpointId: string }> = {};
  for (const [user, receiver] of receivers) {
    const url = await receiver.start();
    const response = await t.gql<{ registerWebhook: { secret: string; endpoint: { id: string } } }>(
      user,
      `mutation($url: String!) { registerWebhook(input: { url: $url }) { secret endpoint { id } } }`,
      { url },
    );
    expect(response.body.errors).toBeUndefined();
    registered[user] = {
      secret: response.body.data?.registerWebhook.secret ?? '',
      endpointId: response.body.data?.registerWebhook.endpoint.id ?? '',
    };
  }
  return registered;
}
