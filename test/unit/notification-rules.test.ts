import { describe, expect, it } from 'vitest';
import { AgencyKind, InvolvementRole, PlacementStatus, PlacementType } from 'src/vocabulary/children.enums.js';
import type { PlacementEntity } from 'src/children/entities/placement.entity.js';
import { type PlacementEvent, placementEvent } from 'src/children/children.events.js';
import { londonToday } from 'src/common/time/london.js';
import { agreementSchema } from 'src/policy/agreements/agreement.schema.js';
import { readAgreementFiles } from 'src/policy/agreements/agreement-files.js';
import { audienceOf } from 'src/notifications/notification-builder.js';
import { endOfNextWorkingDay } from 'src/common/time/working-days.js';
import { backoff } from 'src/notifications/webhooks/webhook-delivery.service.js';
import { EventType, MUST_ACKNOWLEDGE } from 'src/events/event-type.js';
import { escalationDeadline } from 'src/notifications/notification-escalation.service.js';
import { noticeTypeOf, route } from 'src/notifications/routing.js';
import { sign, signatureHeader, verify } from 'src/notifications/webhooks/signature.js';

const agencies = [
  { id: 'derby-yos', kind: AgencyKind.YOUTH_JUSTICE, localAuthorityId: 'derby' },
  { id: 'derby-csc', kind: AgencyKind.CHILDRENS_SOCIAL_CARE, localAuthorityId: 'derby' },
  { id: 'derby-leaving-care', kind: AgencyKind.LEAVING_CARE, localAuthorityId: 'derby' },
  { id: 'islington-yos', kind: AgencyKind.YOUTH_JUSTICE, localAuthorityId: 'islington' },
  { id: 'islington-csc', kind: AgencyKind.CHILDRENS_SOCIAL_CARE, localAuthorityId: 'islington' },
];

/** The court notices the YOS records, which children's social care must hear (001 §6.2–6.5, §7.5; 002 §8.1). */
const NOTICES = [
  EventType.REMAND_RECORDED,
  EventType.CUSTODY_SENTENCE_RECORDED,
  EventType.RELEASE_RECORDED,
  EventType.COURT_OUTCOME_RECORDED,
];

describe('routing (DOMAIN §2.3, §4.4; DECISIONS §10)', () => {
  const base = { recordedByAgencyId: 'islington-csc', ownerAgencyId: null, agencies };
  const ids = (routing: ReturnType<typeof route>) => routing.routes.map((r) => r.agencyId);

  it('sends a placement change to the home YOS, and to the host YOS when the move is out of borough', () => {
    const involvements = [
      { agencyId: 'islington-yos', role: InvolvementRole.YOS_HOME },
      { agencyId: 'islington-csc', role: InvolvementRole.CSC },
    ];
    const inBorough = route({ ...base, type: EventType.PLACEMENT_CHANGED, placementAreaId: 'islington', involvements });
    expect(ids(inBorough)).toEqual(['islington-yos']);
    expect(inBorough.caretaking).toBeNull();
    const away = route({ ...base, type: EventType.PLACEMENT_CHANGE_PLANNED, placementAreaId: 'derby', involvements });
    expect(ids(away)).toEqual(['islington-yos', 'derby-yos']);
    // Not yet involved: the host hears by notice from the home YOS, which asks it to take on caretaking.
    expect(away.routes[1]?.notice).toEqual({
      fromAgencyId: 'islington-yos',
      role: InvolvementRole.YOS_HOST,
      opensReferral: true,
    });
    expect(away.caretaking).toEqual({ hostAgencyId: 'derby-yos', homeAgencyId: 'islington-yos' });
    const hosted = route({
      ...base,
      type: EventType.PLACEMENT_CHANGED,
      placementAreaId: 'derby',
      involvements: [...involvements, { agencyId: 'derby-yos', role: InvolvementRole.YOS_HOST }],
    });
    expect(hosted.caretaking).toBeNull();
    expect(hosted.routes.map((r) => r.notice)).toEqual([null, null]);
    // A move back home: the host YOS is not told where the child goes (DOMAIN §4.4 H7).
    const home = route({
      ...base,
      type: EventType.PLACEMENT_CHANGE_PLANNED,
      placementAreaId: 'islington',
      involvements: [...involvements, { agencyId: 'derby-yos', role: InvolvementRole.YOS_HOST }],
    });
    expect(ids(home)).toEqual(['islington-yos']);
  });

  it('tells everyone told of a plan of its cancellation, opening nothing again', () => {
    const involvements = [{ agencyId: 'islington-yos', role: InvolvementRole.YOS_HOME }];
    const cancelled = route({
      ...base,
      type: EventType.PLACEMENT_CHANGE_CANCELLED,
      placementAreaId: 'derby',
      involvements,
      toldOfPlan: [
        { agencyId: 'islington-yos', notice: null },
        { agencyId: 'derby-yos', notice: { fromAgencyId: 'islington-yos', role: InvolvementRole.YOS_HOST } },
      ],
    });
    expect(ids(cancelled)).toEqual(['islington-yos', 'derby-yos']);
    expect(cancelled.routes[1]?.notice?.opensReferral).toBe(false);
    expect(cancelled.caretaking).toBeNull();
    expect(noticeTypeOf(EventType.PLACEMENT_CHANGE_CANCELLED)).toBe(EventType.PLACEMENT_CHANGE_PLANNED);
    // A corrected plan that no longer goes to Derby does not reach Derby, told of it only by notice: the new
    // address is not its to know (its caretaking request is withdrawn with the correction).
    const corrected = route({
      ...base,
      type: EventType.PLACEMENT_CHANGE_PLANNED,
      placementAreaId: 'islington',
      involvements,
      toldOfPlan: [{ agencyId: 'derby-yos', notice: { fromAgencyId: 'islington-yos', role: InvolvementRole.YOS_HOST } }],
    });
    expect(corrected.routes.map((r) => [r.agencyId, r.notice?.opensReferral ?? null])).toEqual([['islington-yos', null]]);
    // Corrected within Derby, it still reaches Derby (a pending request is not opened twice).
    const withinDerby = route({
      ...base,
      type: EventType.PLACEMENT_CHANGE_PLANNED,
      placementAreaId: 'derby',
      involvements,
      toldOfPlan: [{ agencyId: 'derby-yos', notice: { fromAgencyId: 'islington-yos', role: InvolvementRole.YOS_HOST } }],
    });
    expect(withinDerby.routes.find((r) => r.agencyId === 'derby-yos')?.notice).not.toBeNull();
  });

  it('sends remands, custody, releases and court outcomes recorded by the YOS to social care, and nothing back to the recorder', () => {
    const involvements = [
      { agencyId: 'derby-yos', role: InvolvementRole.YOS_HOME },
      { agencyId: 'derby-csc', role: InvolvementRole.CSC },
      { agencyId: 'derby-leaving-care', role: InvolvementRole.LEAVING_CARE },
    ];
    for (const type of NOTICES) {
      const routing = route({ ...base, recordedByAgencyId: 'derby-yos', type, placementAreaId: null, involvements });
      expect(ids(routing), type).toEqual(['derby-csc', 'derby-leaving-care']);
      expect(routing.routes.every((r) => r.notice === null)).toBe(true);
    }
    const published = route({
      ...base,
      recordedByAgencyId: 'derby-csc',
      ownerAgencyId: 'derby-csc',
      type: EventType.RECORD_PUBLISHED,
      placementAreaId: null,
      involvements,
    });
    expect(ids(published)).toEqual(['derby-yos', 'derby-leaving-care']);
  });

  it('sends them to the front door of the YOS’s authority, by notice, when children’s social care is not involved', () => {
    const involvements = [{ agencyId: 'derby-yos', role: InvolvementRole.YOS_HOME }];
    for (const type of NOTICES) {
      const routing = route({ ...base, recordedByAgencyId: 'derby-yos', type, placementAreaId: null, involvements });
      expect(routing.routes, type).toEqual([
        {
          agencyId: 'derby-csc',
          why: 'front door: children’s social care is not yet involved',
          notice: { fromAgencyId: 'derby-yos', role: InvolvementRole.CSC, opensReferral: true },
        },
      ]);
    }
    // Leaving care involved is not children's social care: the front door still hears.
    const leaver = route({
      ...base,
      recordedByAgencyId: 'derby-yos',
      type: EventType.REMAND_RECORDED,
      placementAreaId: null,
      involvements: [...involvements, { agencyId: 'derby-leaving-care', role: InvolvementRole.LEAVING_CARE }],
    });
    expect(ids(leaver)).toEqual(['derby-leaving-care', 'derby-csc']);
    // Only what the YOS records is a notice; a status change never is.
    expect(
      route({ ...base, recordedByAgencyId: 'derby-csc', type: EventType.REMAND_RECORDED, placementAreaId: null, involvements })
        .routes,
    ).toEqual([]);
    expect(
      ids(
        route({
          ...base,
          recordedByAgencyId: 'derby-yos',
          type: EventType.LEGAL_STATUS_CHANGED,
          placementAreaId: null,
          involvements,
        }),
      ),
    ).toEqual([]);
  });

  it('tells leaving care of moves and status changes, and every involved agency of derived facts', () => {
    const involvements = [
      { agencyId: 'derby-yos', role: InvolvementRole.YOS_HOME },
      { agencyId: 'derby-csc', role: InvolvementRole.CSC },
      { agencyId: 'derby-leaving-care', role: InvolvementRole.LEAVING_CARE },
    ];
    const moved = route({
      ...base,
      recordedByAgencyId: 'derby-csc',
      type: EventType.PLACEMENT_CHANGED,
      placementAreaId: 'derby',
      involvements,
    });
    expect(ids(moved)).toEqual(['derby-yos', 'derby-leaving-care']);
    const status = route({
      ...base,
      recordedByAgencyId: 'derby-csc',
      type: EventType.LEGAL_STATUS_CHANGED,
      placementAreaId: null,
      involvements,
    });
    expect(ids(status)).toEqual(['derby-yos', 'derby-leaving-care']);
    for (const type of [EventType.LOOKED_AFTER_STATUS_CHANGED, EventType.LEAD_PROFESSIONAL_CHANGED]) {
      expect(ids(route({ ...base, recordedByAgencyId: 'derby-csc', type, placementAreaId: null, involvements })), type).toEqual([
        'derby-yos',
        'derby-csc',
        'derby-leaving-care',
      ]);
    }
  });

  it('names the allocated workers of the receiving agency, and its front door when nobody is allocated', () => {
    const workers = [
      { subject: 'sam', name: 'Sam', team: 'Children in Care 1', agencyId: 'derby-csc', role: 'SOCIAL_WORKER' },
      { subject: 'irene', name: 'Irene', team: 'Reviewing', agencyId: 'derby-csc', role: 'INDEPENDENT_REVIEWING_OFFICER' },
      { subject: 'dana', name: 'Dana', team: 'Derby YOS North', agencyId: 'derby-yos', role: 'YOS_CASE_MANAGER' },
    ];
    const frontDoorTeam = { code: 'derby-csc-front-door' };
    expect(audienceOf(workers, { id: 'derby-csc', frontDoorTeam })).toEqual({
      allocatedWorker: { subject: 'sam', name: 'Sam', role: 'SOCIAL_WORKER' },
      allocatedWorkers: [
        { subject: 'sam', name: 'Sam', role: 'SOCIAL_WORKER' },
        { subject: 'irene', name: 'Irene', role: 'INDEPENDENT_REVIEWING_OFFICER' },
      ],
      teamQueue: 'Children in Care 1',
    });
    expect(audienceOf([], { id: 'derby-csc', frontDoorTeam })).toEqual({
      allocatedWorker: null,
      allocatedWorkers: [],
      teamQueue: 'derby-csc-front-door',
    });
    expect(audienceOf([], { id: 'derby-yos', frontDoorTeam: null }).teamQueue).toBe('FRONT_DOOR');
  });
});

describe('notice clauses in the sharing agreements', () => {
  const files = readAgreementFiles('policy/agreements');
  const derby = files.find((file) => file.agreement.id === 'derby-yos-csc')?.agreement;
  const notice = derby?.referrals?.find((clause) => clause.openedBy);

  it('name only events Tandem raises, and disclose only classes with a lawful basis, the child’s identity among them', () => {
    const known = new Set<string>(Object.values(EventType));
    for (const { agreement } of files) {
      for (const clause of agreement.referrals ?? []) {
        for (const type of clause.openedBy ?? []) expect(known.has(type), `${agreement.id} §${clause.clause} ${type}`).toBe(true);
      }
    }
    expect(notice?.noticeClasses).toContain('OFFENDING_CRIMINAL');
    const accepted = (change: Record<string, unknown>) =>
      agreementSchema.safeParse({ ...derby, referrals: [{ ...notice, ...change }] }).success;
    expect(accepted({})).toBe(true);
    expect(accepted({ noticeClasses: ['IDENTITY_BASIC', 'SEXUAL_BEHAVIOUR'] })).toBe(false);
    expect(accepted({ noticeClasses: ['LEGAL_STATUS'] })).toBe(false);
    expect(accepted({ noticeClasses: undefined })).toBe(false);
    expect(accepted({ openedBy: undefined })).toBe(false);
    // Nobody asks under a notice clause by hand: it needs the events that open it.
    expect(accepted({ openedBy: undefined, noticeClasses: undefined })).toBe(false);
  });
});

describe('placement events', () => {
  const placement = (dates: { plannedDate?: string; effectiveDate?: string }): PlacementEntity => ({
    id: 'p1',
    childId: 'c1',
    status: dates.effectiveDate ? PlacementStatus.CURRENT : PlacementStatus.PLANNED,
    placementType: PlacementType.FOSTER_CARE,
    placementName: null,
    address: '2 Duffield Road, Derby',
    postcode: null,
    areaLocalAuthorityId: 'derby',
    reason: 'Step down',
    plannedDate: dates.plannedDate ?? null,
    effectiveDate: dates.effectiveDate ?? null,
    endDate: null,
    recordedBy: 'sam.okafor',
    recordedByAgencyId: 'derby-csc',
    createdAt: new Date(),
    version: 1,
  });

  it('are late when recorded on or after the day of the move, unless told in advance; a cancellation never is', () => {
    const today = londonToday();
    const late = (type: PlacementEvent['type'], dates: Parameters<typeof placement>[0], told = false) =>
      placementEvent(type, placement(dates), null, told).facts.late;
    expect(late(EventType.PLACEMENT_CHANGED, { effectiveDate: today })).toBe(true);
    expect(late(EventType.PLACEMENT_CHANGE_PLANNED, { plannedDate: today })).toBe(true);
    expect(late(EventType.PLACEMENT_CHANGE_PLANNED, { plannedDate: '2999-01-01' })).toBe(false);
    expect(late(EventType.PLACEMENT_CHANGED, { effectiveDate: today }, true)).toBe(false);
    expect(late(EventType.PLACEMENT_CHANGE_CANCELLED, { plannedDate: today })).toBe(false);
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
    expect(endOfNextWorkingDay(new Date('2025-12-05T15:00:00Z')).dueAt.toISOString()).toBe('2025-12-08T23:59:59.000Z');
    // Tuesday 1 July 2025 (BST) → Wednesday 23:59:59 BST = 22:59:59 UTC.
    expect(endOfNextWorkingDay(new Date('2025-07-01T09:00:00Z')).dueAt.toISOString()).toBe('2025-07-02T22:59:59.000Z');
    // Christmas Eve 2026 (Thursday) → past Christmas and the Boxing Day substitute → Tuesday 29th.
    expect(endOfNextWorkingDay(new Date('2026-12-24T10:00:00Z')).dueAt.toISOString()).toBe('2026-12-29T23:59:59.000Z');
    // Maundy Thursday 2027 → past Good Friday, the weekend and Easter Monday → Tuesday 30 March (BST).
    expect(endOfNextWorkingDay(new Date('2027-03-25T10:00:00Z')).dueAt.toISOString()).toBe('2027-03-30T22:59:59.000Z');
  });

  it('escalates after NOTIFY_ESCALATE_AFTER_MINUTES when set, else at the end of the next working day', () => {
    const friday = new Date('2025-12-05T15:00:00Z');
    expect(escalationDeadline(friday, 90).toISOString()).toBe('2025-12-05T16:30:00.000Z');
    expect(escalationDeadline(friday, undefined).toISOString()).toBe('2025-12-08T23:59:59.000Z');
  });

  // 002 §9.2 (moves); 001 §6.2–6.5, §7.5 and 002 §8.1 (court notices the receiving team must act on).
  it.each(Object.values(EventType).map((type) => [type] as const))('%s: must be acknowledged or it escalates?', (type) => {
    const mustAcknowledge: readonly string[] = [
      EventType.PLACEMENT_CHANGE_PLANNED,
      EventType.PLACEMENT_CHANGED,
      EventType.PLACEMENT_CHANGE_CANCELLED,
      EventType.REMAND_RECORDED,
      EventType.CUSTODY_SENTENCE_RECORDED,
      EventType.RELEASE_RECORDED,
      EventType.COURT_OUTCOME_RECORDED,
    ];
    expect(MUST_ACKNOWLEDGE.has(type)).toBe(mustAcknowledge.includes(type));
  });
});
