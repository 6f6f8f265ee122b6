import { describe, expect, it } from 'vitest';
import { ErrorCode, type TandemError } from 'src/common/errors/tandem-error.js';
import { EventType } from 'src/events/event-type.js';
import { AgencyKind, LegalStatusBasis } from 'src/vocabulary/children.enums.js';
import { custodySince, type JusticeEpisode } from 'src/visits/custody.js';
import { VisitKind } from 'src/visits/models/visit-kind.js';
import { checkRecorder, checkVisitors, leadRoleOf, seenAloneOf } from 'src/visits/visit-rules.js';
import { visitEventOf, visitRecorded } from 'src/visits/visits.events.js';

const CSC = { role: 'SOCIAL_WORKER', agencyKind: AgencyKind.CHILDRENS_SOCIAL_CARE };
const YOS = { role: 'YOS_CASE_MANAGER', agencyKind: AgencyKind.YOUTH_JUSTICE };
const PA = { role: 'PERSONAL_ADVISER', agencyKind: AgencyKind.LEAVING_CARE };
const FIRST = { first: true, custodySince: '2026-03-02' };
const LATER = { first: false, custodySince: '2026-03-02' };
const OUTSIDE = { first: false, custodySince: null };

/** The error `run` throws, for its code, message and field. */
function refusal(run: () => unknown): { code: ErrorCode; message: string; field: unknown } {
  try {
    run();
  } catch (error) {
    const { code, message, details } = error as TandemError;
    return { code, message, field: details.field };
  }
  throw new Error('expected a refusal');
}

describe('custodySince', () => {
  const episode = (basis: LegalStatusBasis, startDate: string, endDate: string | null = null): JusticeEpisode => ({
    basis,
    startDate,
    endDate,
  });

  it('is null outside custody, before it and after release', () => {
    const episodes = [
      episode(LegalStatusBasis.BAIL, '2026-01-05', '2026-03-02'),
      episode(LegalStatusBasis.CUSTODIAL_SENTENCE, '2026-03-02', '2026-09-01'),
      episode(LegalStatusBasis.RELEASED_ON_LICENCE, '2026-09-01'),
    ];
    expect(custodySince([], '2026-03-10')).toBeNull();
    expect(custodySince(episodes, '2026-02-10')).toBeNull();
    expect(custodySince(episodes, '2026-03-02')).toBe('2026-03-02');
    expect(custodySince(episodes, '2026-09-02')).toBeNull();
  });

  it('counts a remand to YDA followed by a sentence as one spell, from the remand', () => {
    const episodes = [
      episode(LegalStatusBasis.CUSTODIAL_SENTENCE, '2026-04-20'),
      episode(LegalStatusBasis.REMAND_YOUTH_DETENTION_ACCOMMODATION, '2026-03-02', '2026-04-20'),
    ];
    expect(custodySince(episodes, '2026-05-01')).toBe('2026-03-02');
  });

  it('starts a new spell after a gap in custody', () => {
    const episodes = [
      episode(LegalStatusBasis.REMAND_YOUTH_DETENTION_ACCOMMODATION, '2026-01-05', '2026-02-01'),
      episode(LegalStatusBasis.BAIL, '2026-02-01', '2026-04-20'),
      episode(LegalStatusBasis.CUSTODIAL_SENTENCE, '2026-04-20'),
    ];
    expect(custodySince(episodes, '2026-05-01')).toBe('2026-04-20');
    expect(custodySince(episodes, '2026-01-20')).toBe('2026-01-05');
  });
});

describe('who records a visit', () => {
  it('lets CSC record statutory, former-looked-after and joint visits, leaving care PA visits, the YOS its own', () => {
    expect(() => checkRecorder(VisitKind.STATUTORY_LOOKED_AFTER, AgencyKind.CHILDRENS_SOCIAL_CARE)).not.toThrow();
    expect(() => checkRecorder(VisitKind.FORMER_LOOKED_AFTER_IN_DETENTION, AgencyKind.CHILDRENS_SOCIAL_CARE)).not.toThrow();
    expect(() => checkRecorder(VisitKind.JOINT, AgencyKind.CHILDRENS_SOCIAL_CARE)).not.toThrow();
    expect(() => checkRecorder(VisitKind.PERSONAL_ADVISER, AgencyKind.LEAVING_CARE)).not.toThrow();
    expect(() => checkRecorder(VisitKind.YOS_SUPERVISION, AgencyKind.YOUTH_JUSTICE)).not.toThrow();
  });

  it('never lets a YOS record the local authority’s visits (C17), and refuses other kinds as bad input', () => {
    expect(refusal(() => checkRecorder(VisitKind.STATUTORY_LOOKED_AFTER, AgencyKind.YOUTH_JUSTICE))).toMatchObject({
      code: ErrorCode.FORBIDDEN,
      message: expect.stringMatching(/^C17: /) as unknown,
    });
    expect(refusal(() => checkRecorder(VisitKind.FORMER_LOOKED_AFTER_IN_DETENTION, AgencyKind.YOUTH_JUSTICE)).code).toBe(
      ErrorCode.FORBIDDEN,
    );
    expect(refusal(() => checkRecorder(VisitKind.PERSONAL_ADVISER, AgencyKind.YOUTH_JUSTICE))).toMatchObject({
      code: ErrorCode.BAD_USER_INPUT,
      field: 'input.kind',
    });
    expect(refusal(() => checkRecorder(VisitKind.YOS_SUPERVISION, AgencyKind.CHILDRENS_SOCIAL_CARE))).toMatchObject({
      code: ErrorCode.BAD_USER_INPUT,
      field: 'input.kind',
    });
    expect(refusal(() => checkRecorder(VisitKind.JOINT, AgencyKind.LEAVING_CARE)).field).toBe('input.kind');
  });
});

describe('who made the visit (C17)', () => {
  it('refuses the YOS worker as lead of the first statutory or PA visit in custody', () => {
    for (const kind of [
      VisitKind.STATUTORY_LOOKED_AFTER,
      VisitKind.FORMER_LOOKED_AFTER_IN_DETENTION,
      VisitKind.PERSONAL_ADVISER,
    ]) {
      expect(refusal(() => checkVisitors(kind, [YOS, CSC], FIRST))).toMatchObject({
        code: ErrorCode.FORBIDDEN,
        message: expect.stringContaining('C17: the first visit after the child entered custody (2026-03-02)') as unknown,
      });
    }
  });

  it('a YOS worker in a CSC role, or at another agency code, is still a YOS worker', () => {
    expect(
      refusal(() =>
        checkVisitors(VisitKind.STATUTORY_LOOKED_AFTER, [{ ...YOS, agencyKind: AgencyKind.CHILDRENS_SOCIAL_CARE }], FIRST),
      ).code,
    ).toBe(ErrorCode.FORBIDDEN);
    expect(
      refusal(() => checkVisitors(VisitKind.STATUTORY_LOOKED_AFTER, [{ ...CSC, agencyKind: AgencyKind.YOUTH_JUSTICE }], FIRST))
        .code,
    ).toBe(ErrorCode.FORBIDDEN);
  });

  it('never has a YOS worker lead a statutory visit, first or not (the visiting representative)', () => {
    expect(refusal(() => checkVisitors(VisitKind.STATUTORY_LOOKED_AFTER, [YOS], LATER))).toMatchObject({
      code: ErrorCode.FORBIDDEN,
      message: expect.stringContaining('visiting representative') as unknown,
    });
    expect(refusal(() => checkVisitors(VisitKind.STATUTORY_LOOKED_AFTER, [YOS], OUTSIDE)).code).toBe(ErrorCode.FORBIDDEN);
  });

  it('lets the YOS worker come along, and refuses a PA visit led by the YOS later as bad input', () => {
    expect(() => checkVisitors(VisitKind.STATUTORY_LOOKED_AFTER, [CSC, YOS], FIRST)).not.toThrow();
    expect(() => checkVisitors(VisitKind.PERSONAL_ADVISER, [PA, YOS], FIRST)).not.toThrow();
    expect(refusal(() => checkVisitors(VisitKind.PERSONAL_ADVISER, [YOS], LATER))).toMatchObject({
      code: ErrorCode.BAD_USER_INPUT,
      field: 'input.leadVisitor.agencyCode',
    });
  });

  it('has a joint visit led by CSC and name the YOS worker who came', () => {
    expect(() => checkVisitors(VisitKind.JOINT, [CSC, YOS], FIRST)).not.toThrow();
    expect(refusal(() => checkVisitors(VisitKind.JOINT, [CSC], FIRST))).toMatchObject({
      code: ErrorCode.BAD_USER_INPUT,
      field: 'input.otherVisitors',
    });
    expect(refusal(() => checkVisitors(VisitKind.JOINT, [YOS, CSC], OUTSIDE)).field).toBe('input.leadVisitor.agencyCode');
  });

  it('has the YOS lead its own supervision visits', () => {
    expect(() => checkVisitors(VisitKind.YOS_SUPERVISION, [YOS], FIRST)).not.toThrow();
    expect(refusal(() => checkVisitors(VisitKind.YOS_SUPERVISION, [CSC], OUTSIDE)).field).toBe('input.leadVisitor.agencyCode');
  });
});

describe('seen alone (001 §7.8)', () => {
  it('must be said for the local authority’s visits', () => {
    expect(refusal(() => seenAloneOf(VisitKind.STATUTORY_LOOKED_AFTER, null, null))).toMatchObject({
      code: ErrorCode.BAD_USER_INPUT,
      field: 'input.seenAlone',
    });
    expect(seenAloneOf(VisitKind.STATUTORY_LOOKED_AFTER, true, null)).toEqual({ seenAlone: true, refusedToBeSeenAlone: false });
    expect(seenAloneOf(VisitKind.YOS_SUPERVISION, undefined, undefined)).toEqual({
      seenAlone: null,
      refusedToBeSeenAlone: false,
    });
  });

  it('is false when the child refused, and cannot be true then', () => {
    expect(seenAloneOf(VisitKind.STATUTORY_LOOKED_AFTER, null, true)).toEqual({ seenAlone: false, refusedToBeSeenAlone: true });
    expect(refusal(() => seenAloneOf(VisitKind.STATUTORY_LOOKED_AFTER, true, true)).field).toBe('input.seenAlone');
  });
});

describe('the lead visitor’s role', () => {
  it('is the caller’s allocation that fits the kind best, else any, else the fallback', () => {
    expect(leadRoleOf(VisitKind.STATUTORY_LOOKED_AFTER, ['SOCIAL_WORKER', 'VISITING_REPRESENTATIVE'], 'X')).toBe(
      'VISITING_REPRESENTATIVE',
    );
    expect(leadRoleOf(VisitKind.JOINT, ['TEAM_MANAGER'], 'X')).toBe('TEAM_MANAGER');
    expect(leadRoleOf(VisitKind.JOINT, [], 'CSC_TEAM_MANAGER')).toBe('CSC_TEAM_MANAGER');
  });
});

describe('VISIT_RECORDED', () => {
  const event = visitRecorded({
    id: 'v1',
    childId: 'c1',
    kind: VisitKind.STATUTORY_LOOKED_AFTER,
    visitDate: '2026-03-05',
    seenAlone: true,
    refusedToBeSeenAlone: false,
    visitorAgencyIds: ['csc', 'yos'],
    visitorRoles: ['SOCIAL_WORKER', 'YOS_CASE_MANAGER'],
    recordedByAgencyId: 'csc',
    first: true,
    custodySince: '2026-03-02',
  });
  const stored = { ...event, eventId: 'e1' };

  it('reads back as a visit event, and other types as null', () => {
    expect(visitEventOf(stored)).toEqual(event);
    expect(visitEventOf({ ...stored, type: EventType.RECORD_PUBLISHED })).toBeNull();
  });

  it('throws on a malformed visit event', () => {
    expect(() => visitEventOf({ ...stored, facts: { visit: { id: 'v1' } } })).toThrow(/does not have the shape/);
  });
});
