import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import type { ReceiptBody } from 'src/disclosure/receipt.js';
import type { GraphQLResponse, TestApp } from './test-app.js';
import { loggedReceipts } from './logged-receipts.js';

/** The Derby YOS case system's client id at the identity provider, as a delegated token's `act.sub`. */
export const YOS_CLIENT = 'derby-yos-childview-client';

/**
 * A token the Derby YOS case system got by token exchange (RFC 8693) to act for one person: `sub`
 * is the person, `act.sub` the system's client, `roles` the person's.
 */
export function delegatedToken(t: TestApp, person: string, roles: readonly string[], claims: Record<string, unknown> = {}) {
  return t.token('derby-yos-integration', {
    sub: person,
    name: 'Derby YOS ChildView',
    roles: [...roles],
    act: { sub: YOS_CLIENT },
    ...claims,
  });
}

/** POST /graphql with a token of the test's own making; returns the correlation id it sent too. */
export async function gqlAs<T = Record<string, unknown>>(
  t: TestApp,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
  purpose = 'CASE_MANAGEMENT',
): Promise<GraphQLResponse<T> & { correlationId: string }> {
  const correlationId = `test-${randomUUID()}`;
  const response = await request(t.app.getHttpServer())
    .post('/graphql')
    .set('content-type', 'application/json')
    .set('authorization', `Bearer ${token}`)
    .set('x-purpose-of-use', purpose)
    .set('x-correlation-id', correlationId)
    .send({ query, variables });
  return {
    status: response.status,
    body: response.body as GraphQLResponse<never>['body'],
    headers: response.headers,
    correlationId,
  };
}

export async function receiptsOf(db: DataSource, correlationId: string): Promise<ReceiptBody[]> {
  return (await loggedReceipts(db, { correlationId })).map((receipt) => receipt.body);
}
