import { describe, expect, it } from 'vitest';
import { AgencyKind, InvolvementRole } from 'src/vocabulary/children.enums.js';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from 'src/common/time/bank-holidays.js';
import { endOfNextWorkingDay } from 'src/common/time/london.js';
import { backoff } from 'src/notifications/webhooks/webhook-delivery.service.js';
import { EventType } from 'src/events/event-type.js';
import { route } from 'src/notifications/routing.js';
import { checkUrl, DestinationRefused, resolveDestination } from 'src/notifications/webhooks/destination.js';
import { sign, signatureHeader, verify } from 'src/notifications/webhooks/signature.js';

const agencies = [
  { id: 'derby-yos', kind: AgencyKind.YOUTH_JUSTICE, localAuthorityId: 'derby' },
  { id: 'derby-csc', kind: AgencyKind.CHILDRENS_SOCIAL_CARE, localAuthorityId: 'derby' },
  { id: 'islington-yos', kind: AgencyKind.YOUTH_JUSTICE, localAuthorityId: 'islington' },
  { id: 'islington-csc', kind: AgencyKind.CHILDRENS_SOCIAL_CARE, localAuthorityId: 'islington' },
];

describe('routing (DOMAIN §2.3, §4.4; DECISIONS §10)', () => {
  const base = { recordedByAgencyId: 'islington-csc', ownerAgencyId: null, agencies };

  it('sends a placement change to the home YOS, and to the host YOS when the move is out of borough', () => {
    const involvements = [
      { agencyId: 'islington-yos', role: InvolvementRole.YOS_HOME },
      { agencyId: 'islington-csc', role: InvolvementRole.CSC },
    ];
    const inBorough = route({ ...base, type: EventType.PLACEMENT_CHANGED, placementAreaId: 'islington', involvements });
    expect(inBorough.routes.map((r) => r.agencyId)).toEqual(['islington-yos']);
    expect(inBorough.caretaking).toBeNull();
    const away = route({ ...base, type: EventType.PLACEMENT_CHANGE_PLANNED, placementAreaId: 'derby', involvements });
    expect(away.routes.map((r) => r.agencyId)).toEqual(['islington-yos', 'derby-yos']);
    expect(away.caretaking).toEqual({ hostAgencyId: 'derby-yos', homeAgencyId: 'islington-yos' });
    const hosted = route({
      ...base,
      type: EventType.PLACEMENT_CHANGED,
      placementAreaId: 'derby',
      involvements: [...involvements, { agencyId: 'derby-yos', role: InvolvementRole.YOS_HOST }],
    });
    expect(hosted.caretaking).toBeNull();
  });

  it('sends remands and custodial sentences recorded by the YOS to social care, and nothing back to the recorder', () => {
    const involvements = [
      { agencyId: 'derby-yos', role: InvolvementRole.YOS_HOME },
      { agencyId: 'derby-csc', role: InvolvementRole.CSC },
    ];
    for (const type of [EventType.REMAND_RECORDED, EventType.CUSTODY_SENTENCE_RECORDED]) {
      expect(
        route({ ...base, recordedByAgencyId: 'derby-yos', type, placementAreaId: null, involvements }).routes.map(
          (r) => r.agencyId,
        ),
      ).toEqual(['derby-csc']);
    }
    const published = route({
      ...base,
      recordedByAgencyId: 'derby-csc',
      ownerAgencyId: 'derby-csc',
      type: EventType.RECORD_PUBLISHED,
      placementAreaId: null,
      involvements,
    });
    expect(published.routes.map((r) => r.agencyId)).toEqual(['derby-yos']);
  });
});

describe('webhook signatures (Standard Webhooks)', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  it('signs id.timestamp.body with HMAC-SHA256 and verifies within the tolerance only', () => {
    const now = 1_700_000_000_000;
    const signature = sign(secret, 'msg_1', 1_700_000_000, '{"a":1}');
    expect(signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    const headers = { id: 'msg_1', timestamp: '1700000000', signature };
    expect(verify(secret, headers, '{"a":1}', 300, now)).toBe(true);
    expect(verify(secret, headers, '{"a":2}', 300, now)).toBe(false);
    expect(verify(secret, headers, '{"a":1}', 300, now + 600_000)).toBe(false);
    const both = signatureHeader([secret, 'whsec_b2xk'], 'msg_1', 1_700_000_000, '{"a":1}');
    expect(verify('whsec_b2xk', { ...headers, signature: both }, '{"a":1}', 300, now)).toBe(true);
  });
});

describe('destinations', () => {
  const strict = { allowPrivateNetworks: false, allowHttp: false };
  it('refuses private, loopback, link-local and metadata addresses, plain http and credentials', async () => {
    for (const url of [
      'https://127.0.0.1/x',
      'https://10.1.2.3/x',
      'https://169.254.169.254/latest',
      'https://[::1]/x',
      'https://192.168.0.10/x',
      'https://localhost/x',
    ]) {
      await expect(resolveDestination(checkUrl(url, strict), strict), url).rejects.toBeInstanceOf(DestinationRefused);
    }
    expect(() => checkUrl('http://example.org/x', strict)).toThrow(DestinationRefused);
    expect(() => checkUrl('https://user:pw@example.org/x', strict)).toThrow(DestinationRefused);
    await expect(resolveDestination(checkUrl('https://93.184.215.14/x', strict), strict)).resolves.toEqual({
      address: '93.184.215.14',
      family: 4,
    });
    await expect(
      resolveDestination(checkUrl('http://127.0.0.1/x', { allowPrivateNetworks: true, allowHttp: true }), strict),
    ).rejects.toThrow();
  });
});

describe('timing', () => {
  it('backs off exponentially with jitter to about a day over 18 attempts', () => {
    expect(backoff(1, 30_000, 7_200_000, () => 0.5)).toBe(30_000);
    expect(backoff(4, 30_000, 7_200_000, () => 0.5)).toBe(240_000);
    expect(backoff(12, 30_000, 7_200_000, () => 0.5)).toBe(7_200_000);
    const total = Array.from({ length: 17 }, (_, index) => backoff(index + 1, 30_000, 7_200_000, () => 0.5)).reduce(
      (a, b) => a + b,
      0,
    );
    expect(total / 3_600_000).toBeGreaterThan(18);
    expect(total / 3_600_000).toBeLessThan(30);
    expect(backoff(1, 30_000, 7_200_000, () => 0)).toBe(24_000);
    expect(backoff(1, 30_000, 7_200_000, () => 1)).toBe(36_000);
  });

  it('escalates at the end of the next working day, London time', () => {
    // Friday 5 December 2025, 15:00 UTC → Monday 8 December 23:59:59 GMT.
    expect(endOfNextWorkingDay(new Date('2025-12-05T15:00:00Z')).toISOString()).toBe('2025-12-08T23:59:59.000Z');
    // Tuesday 1 July 2025 (BST) → Wednesday 23:59:59 BST = 22:59:59 UTC.
    expect(endOfNextWorkingDay(new Date('2025-07-01T09:00:00Z')).toISOString()).toBe('2025-07-02T22:59:59.000Z');
    // Christmas Eve 2026 (Thursday) → past Christmas and the Boxing Day substitute → Tuesday 29th.
    expect(endOfNextWorkingDay(new Date('2026-12-24T10:00:00Z')).toISOString()).toBe('2026-12-29T23:59:59.000Z');
    // Maundy Thursday 2027 → past Good Friday, the weekend and Easter Monday → Tuesday 30 March (BST).
    expect(endOfNextWorkingDay(new Date('2027-03-25T10:00:00Z')).toISOString()).toBe('2027-03-30T22:59:59.000Z');
  });

  it('knows the bank holidays of the year after next', () => {
    const nextYear = String(new Date().getUTCFullYear() + 1);
    expect(ENGLAND_AND_WALES_BANK_HOLIDAYS.filter((date) => date.startsWith(nextYear)).length).toBeGreaterThanOrEqual(8);
  });
});

describe('sending', () => {
  it('gives up on a receiver that does not answer within the timeout', async () => {
    const { createServer } = await import('node:http');
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const { postWebhook } = await import('src/notifications/webhooks/webhook-sender.js');
    const started = Date.now();
    const result = await postWebhook(`http://127.0.0.1:${port}/hook`, {}, '{}', {
      allowPrivateNetworks: true,
      allowHttp: true,
      timeoutMs: 150,
    });
    expect(result.status).toBeNull();
    expect(result.error).toMatch(/No response within 150 ms/);
    expect(Date.now() - started).toBeLessThan(5000);
    server.closeAllConnections();
    server.close();
    const refused = await postWebhook('https://10.0.0.1/hook', {}, '{}', {
      allowPrivateNetworks: false,
      allowHttp: false,
      timeoutMs: 150,
    });
    expect(refused).toEqual({ status: null, error: expect.stringMatching(/private or local/) as string });
  });
});
