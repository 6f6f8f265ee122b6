import { describe, expect, it } from 'vitest';
import { EventType } from 'src/events/event-type.js';
import type { ObligationDefinition } from 'src/responsibility/obligation-definitions.schema.js';
import { readResponsibilityFiles } from 'src/responsibility/responsibility-files.js';
import { CareLeaverCategory } from 'src/responsibility/responsibility.types.js';
import { CourtOutcome, LegalStatusBasis } from 'src/vocabulary/children.enums.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { VisitKind } from 'src/visits/models/visit-kind.js';

const FOLDER = 'policy/responsibility';

/** Events that carry a legal-status episode, so the bases, outcome and expected release date of the trigger mean something. */
const LEGAL_STATUS_EVENTS: readonly string[] = [
  EventType.LEGAL_STATUS_CHANGED,
  EventType.REMAND_RECORDED,
  EventType.CUSTODY_SENTENCE_RECORDED,
  EventType.RELEASE_RECORDED,
  EventType.COURT_OUTCOME_RECORDED,
];

const RECORD_EVENTS: readonly string[] = [EventType.RECORD_FINALISED, EventType.RECORD_PUBLISHED, EventType.RECORD_COPY_SENT];
const REMAND_RECORDED: string = EventType.REMAND_RECORDED;
const VISIT_RECORDED: string = EventType.VISIT_RECORDED;

/** A source DOMAIN cites (000–004 with a line, section, table, recommendation, footnote or annex) or a statute. */
const NAMES_A_SOURCE = /\b00[0-4] (L\d|§|App\.|Table|Rec|fn|Annex)|\b(Act|Regulations)\b/;

/** What a committed event says about the child, as far as the trigger fields look (the obligations module decides the real thing). */
interface Facts {
  /** An EventType value (kept a string: definitions name events as strings, below the events module). */
  readonly event: string;
  readonly basis?: LegalStatusBasis;
  readonly outcome?: CourtOutcome;
  readonly lookedAfterBefore: boolean;
  readonly lookedAfterAfter: boolean;
  readonly careLeaver: CareLeaverCategory;
  readonly expectedReleaseDate?: string;
  readonly socialWorkerAllocated?: boolean;
}

function opens(definition: ObligationDefinition, facts: Facts): boolean {
  const trigger = definition.trigger;
  return (
    trigger.event === facts.event &&
    (!trigger.bases || (facts.basis !== undefined && trigger.bases.includes(facts.basis))) &&
    (!trigger.outcomes || (facts.outcome !== undefined && trigger.outcomes.includes(facts.outcome))) &&
    (trigger.lookedAfterBefore === undefined || trigger.lookedAfterBefore === facts.lookedAfterBefore) &&
    (trigger.lookedAfterAfter === undefined || trigger.lookedAfterAfter === facts.lookedAfterAfter) &&
    (!trigger.careLeaver || trigger.careLeaver.includes(facts.careLeaver)) &&
    (trigger.socialWorkerAllocated === undefined || trigger.socialWorkerAllocated === (facts.socialWorkerAllocated ?? false)) &&
    (!trigger.withExpectedReleaseDate || facts.expectedReleaseDate !== undefined)
  );
}

function cancels(definition: ObligationDefinition, event: string, outcome?: CourtOutcome): boolean {
  return (definition.cancelledBy ?? []).some(
    (cancel) => cancel.event === event && (!cancel.outcomes || (outcome !== undefined && cancel.outcomes.includes(outcome))),
  );
}

describe('obligation definitions (policy/responsibility, DOMAIN §3)', () => {
  const files = readResponsibilityFiles(FOLDER);
  const byAuthority = new Map(files.map(({ policy }) => [policy.localAuthority, policy.obligations]));
  const all = files.flatMap(({ policy }) =>
    policy.obligations.map((definition) => ({ authority: policy.localAuthority, definition })),
  );
  const obligationsOf = (authority: string): readonly ObligationDefinition[] => {
    const obligations = byAuthority.get(authority);
    if (!obligations) throw new Error(`no policy for ${authority}`);
    return obligations;
  };
  const idsOf = (authority: string) => obligationsOf(authority).map((definition) => definition.id);
  const opened = (authority: string, facts: Facts) =>
    obligationsOf(authority)
      .filter((definition) => opens(definition, facts))
      .map((definition) => definition.id)
      .sort();

  it('name only real events, record kinds, visit kinds and court outcomes', () => {
    const events = new Set<string>(Object.values(EventType));
    const recordKinds = new Set<string>(Object.values(RecordKind));
    const visitKinds = new Set<string>(Object.values(VisitKind));
    for (const { authority, definition } of all) {
      const where = `${authority} ${definition.id}`;
      expect(events.has(definition.trigger.event), `${where} trigger ${definition.trigger.event}`).toBe(true);
      for (const evidence of definition.satisfiedBy) {
        expect(events.has(evidence.event), `${where} evidence ${evidence.event}`).toBe(true);
        for (const kind of evidence.recordKinds ?? []) expect(recordKinds.has(kind), `${where} record kind ${kind}`).toBe(true);
        for (const kind of evidence.visitKinds ?? []) expect(visitKinds.has(kind), `${where} visit kind ${kind}`).toBe(true);
      }
      for (const cancel of definition.cancelledBy ?? []) {
        expect(events.has(cancel.event), `${where} cancellation ${cancel.event}`).toBe(true);
      }
    }
  });

  it('put each condition on an event that carries it', () => {
    for (const { authority, definition } of all) {
      const where = `${authority} ${definition.id}`;
      const { trigger } = definition;
      if (trigger.bases || trigger.outcomes || trigger.withExpectedReleaseDate) {
        expect(LEGAL_STATUS_EVENTS, `${where} trigger conditions`).toContain(trigger.event);
      }
      for (const evidence of definition.satisfiedBy) {
        if (evidence.recordKinds) expect(RECORD_EVENTS, `${where} record kinds`).toContain(evidence.event);
        else expect(RECORD_EVENTS, `${where}: which records satisfy it?`).not.toContain(evidence.event);
        if (evidence.visitKinds || evidence.seenAlone) expect(evidence.event, where).toBe(EventType.VISIT_RECORDED);
        if (evidence.event === VISIT_RECORDED) expect(evidence.visitKinds, `${where}: which visits count?`).toBeDefined();
        if (evidence.allocationRoles) expect(evidence.event, where).toBe(EventType.WORKER_ALLOCATION_CHANGED);
      }
      for (const cancel of definition.cancelledBy ?? []) {
        if (cancel.outcomes) expect(LEGAL_STATUS_EVENTS, `${where} cancellation outcomes`).toContain(cancel.event);
      }
      // A clock counted back from release needs the release date on the triggering episode (D18, D19, D33, D34).
      const fromRelease = definition.due.kind === 'MONTHS_BEFORE_RELEASE' || definition.due.kind === 'DAYS_BEFORE_RELEASE';
      expect(trigger.withExpectedReleaseDate === true, `${where} release date`).toBe(fromRelease);
    }
  });

  it('cite a source for every definition', () => {
    for (const { authority, definition } of all) {
      expect(definition.citation, `${authority} ${definition.id}`).toMatch(NAMES_A_SOURCE);
    }
  });

  it("give each authority its protocol's duties, and the statutory ones to all", () => {
    const statutory = ['D30-REMAND', 'D30-SENTENCE', 'D31-REMAND', 'D31-SENTENCE', 'D32-REMAND', 'D32-SENTENCE', 'L2-ALLOCATE'];
    expect(idsOf('derby').sort()).toEqual([...statutory, 'D1', 'D2', 'D2-CUSTODY'].sort());
    expect(idsOf('hammersmith-fulham').sort()).toEqual([...statutory].sort());
    expect(idsOf('islington')).toEqual(
      expect.arrayContaining(['D7-CARE-PLAN', 'D7-PLACEMENT-PLAN', 'D8', 'D8-CARE-PLAN-COPY', 'D9', 'D9-SIGNED']),
    );
    expect(idsOf('islington').sort()).toEqual(
      [
        ...statutory,
        'D7-CARE-PLAN',
        'D7-PLACEMENT-PLAN',
        'D8',
        'D8-CARE-PLAN-COPY',
        'D9',
        'D9-SIGNED',
        'D12',
        'D13',
        'D14',
        'D15',
        'D17',
        'D17-REMAND',
        'D18',
        'D19',
      ].sort(),
    );
    expect(idsOf('somerset').sort()).toEqual([...statutory, 'L10-ALLOCATE-BAIL', 'D28', 'D29', 'D33', 'D34'].sort());
    // Each protocol's own rows cite that protocol.
    const protocolOf: Record<string, string> = { derby: '000', islington: '001', somerset: '003' };
    for (const { authority, definition } of all) {
      if (statutory.includes(definition.id) || definition.id === 'L10-ALLOCATE-BAIL') continue;
      expect(definition.citation.startsWith(`${protocolOf[authority]} `), `${authority} ${definition.id}`).toBe(true);
    }
  });

  it('open, for a child unknown to CSC remanded to youth detention accommodation, the duties each protocol gives', () => {
    const remandedToYda: Facts = {
      event: EventType.REMAND_RECORDED,
      basis: LegalStatusBasis.REMAND_YOUTH_DETENTION_ACCOMMODATION,
      outcome: CourtOutcome.REMANDED_YOUTH_DETENTION_ACCOMMODATION,
      lookedAfterBefore: false,
      lookedAfterAfter: true,
      careLeaver: CareLeaverCategory.NONE,
    };
    const everywhere = ['D30-REMAND', 'D31-REMAND', 'D32-REMAND', 'L2-ALLOCATE'];
    expect(opened('derby', remandedToYda)).toEqual(everywhere);
    expect(opened('hammersmith-fulham', remandedToYda)).toEqual(everywhere);
    expect(opened('somerset', remandedToYda)).toEqual(everywhere);
    // 001 §6.11: a DPP in place of the care plan and placement plan, signed by the YDA head (DOMAIN S10).
    expect(opened('islington', remandedToYda)).toEqual([...everywhere, 'D9', 'D9-SIGNED'].sort());
    // L2 is the allocation of a social worker: a child CSC already holds with one allocated has no such duty.
    for (const authority of ['derby', 'hammersmith-fulham', 'somerset', 'islington']) {
      expect(opened(authority, { ...remandedToYda, socialWorkerAllocated: true }), authority).not.toContain('L2-ALLOCATE');
    }

    // The same check written over the trigger fields alone, as the brief states it.
    for (const { policy } of files) {
      const ids = policy.obligations
        .filter(
          ({ trigger }) =>
            trigger.event === REMAND_RECORDED &&
            trigger.bases?.includes(LegalStatusBasis.REMAND_YOUTH_DETENTION_ACCOMMODATION) &&
            trigger.lookedAfterBefore !== true &&
            !trigger.careLeaver,
        )
        .map(({ id }) => id)
        .sort();
      expect(ids, policy.localAuthority).toEqual(opened(policy.localAuthority, remandedToYda));
    }
  });

  it('tell 001 §6.10 from §6.11, and a remand to LA accommodation from one to YDA (DOMAIN §4.3)', () => {
    const wasLookedAfter: Facts = {
      event: EventType.REMAND_RECORDED,
      basis: LegalStatusBasis.REMAND_YOUTH_DETENTION_ACCOMMODATION,
      lookedAfterBefore: true,
      lookedAfterAfter: true,
      careLeaver: CareLeaverCategory.NONE,
    };
    expect(opened('islington', wasLookedAfter)).toEqual(
      ['D30-REMAND', 'D31-REMAND', 'D32-REMAND', 'D8', 'D8-CARE-PLAN-COPY'].sort(),
    );
    const toLaAccommodation: Facts = {
      event: EventType.REMAND_RECORDED,
      basis: LegalStatusBasis.REMAND_LOCAL_AUTHORITY_ACCOMMODATION,
      lookedAfterBefore: false,
      lookedAfterAfter: true,
      careLeaver: CareLeaverCategory.NONE,
    };
    // DOMAIN S09: care plan and placement plan in 5 working days; no custody duties.
    expect(opened('islington', toLaAccommodation)).toEqual(['D7-CARE-PLAN', 'D7-PLACEMENT-PLAN', 'L2-ALLOCATE']);
    expect(opened('derby', toLaAccommodation)).toEqual(['L2-ALLOCATE']);
  });

  it('open the custody duties by status on sentence (DOMAIN S05, S08, S16, S19, S36)', () => {
    const sentenced = (facts: Omit<Facts, 'event' | 'basis'>): Facts => ({
      event: EventType.CUSTODY_SENTENCE_RECORDED,
      basis: LegalStatusBasis.CUSTODIAL_SENTENCE,
      ...facts,
    });
    const careOrder = sentenced({
      lookedAfterBefore: true,
      lookedAfterAfter: true,
      careLeaver: CareLeaverCategory.NONE,
      expectedReleaseDate: '2025-03-01',
    });
    const lookedAfterInCustody = ['D30-SENTENCE', 'D31-SENTENCE', 'D32-SENTENCE'];
    expect(opened('derby', careOrder)).toEqual([...lookedAfterInCustody, 'D2-CUSTODY'].sort());
    expect(opened('somerset', careOrder)).toEqual([...lookedAfterInCustody, 'D28', 'D29', 'D33', 'D34'].sort());
    expect(opened('islington', careOrder)).toEqual([...lookedAfterInCustody, 'D12', 'D13', 'D14'].sort());

    const remandOnly = sentenced({ lookedAfterBefore: true, lookedAfterAfter: false, careLeaver: CareLeaverCategory.NONE });
    expect(opened('islington', remandOnly)).toEqual(['D12', 'D13', 'D14', 'D15']);
    expect(opened('hammersmith-fulham', remandOnly)).toEqual([]);

    // 001 §7.4: a child who becomes relevant on entering custody gets leaving-care duties, not the former-LAC ones.
    const becomesRelevant = sentenced({
      lookedAfterBefore: true,
      lookedAfterAfter: false,
      careLeaver: CareLeaverCategory.RELEVANT,
      expectedReleaseDate: '2025-03-01',
    });
    expect(opened('islington', becomesRelevant)).toEqual(['D17', 'D18', 'D19']);
  });

  it('cancel remand duties when the remand is reversed, and keep what a custodial sentence still needs', () => {
    for (const { authority, definition } of all) {
      if (definition.trigger.event !== REMAND_RECORDED) continue;
      const where = `${authority} ${definition.id}`;
      for (const outcome of [CourtOutcome.ACQUITTED, CourtOutcome.REMAND_ENDED, CourtOutcome.BAILED]) {
        expect(cancels(definition, EventType.COURT_OUTCOME_RECORDED, outcome), `${where} ${outcome}`).toBe(true);
      }
      // A social worker is still needed once sentenced: the former-LAC visits (001 §7.4–7.5; 000 L106).
      expect(cancels(definition, EventType.CUSTODY_SENTENCE_RECORDED), where).toBe(definition.id !== 'L2-ALLOCATE');
    }
    // Somerset: bail to reside as directed keeps the child looked after and managed by CSC (T3, 003 §7.1–7.2).
    const allocation = (authority: string) => obligationsOf(authority).find(({ id }) => id === 'L2-ALLOCATE');
    const somerset = allocation('somerset');
    const derby = allocation('derby');
    if (!somerset || !derby) throw new Error('L2-ALLOCATE missing');
    expect(cancels(somerset, EventType.COURT_OUTCOME_RECORDED, CourtOutcome.BAILED_TO_RESIDE_AS_DIRECTED)).toBe(false);
    expect(cancels(derby, EventType.COURT_OUTCOME_RECORDED, CourtOutcome.BAILED_TO_RESIDE_AS_DIRECTED)).toBe(true);
  });

  it('schedule visits by status and regulation, not one number (DECISIONS §6)', () => {
    for (const { authority, definition } of all) {
      const where = `${authority} ${definition.id}`;
      if (definition.id.startsWith('D32-')) {
        expect([definition.due, definition.recursEveryCalendarDays], where).toEqual([{ kind: 'CALENDAR_DAYS', n: 42 }, 42]);
      } else if (definition.id === 'D15') {
        expect([definition.due, definition.recursEveryCalendarDays], where).toEqual([{ kind: 'CALENDAR_DAYS', n: 28 }, 28]);
      } else {
        expect(definition.recursEveryCalendarDays, where).toBeUndefined();
      }
      if (definition.id.startsWith('D31-')) expect(definition.due, where).toEqual({ kind: 'CALENDAR_DAYS', n: 7 });
    }
    const d13 = obligationsOf('islington').find(({ id }) => id === 'D13');
    expect(d13?.satisfiedBy.every((evidence) => evidence.seenAlone === true)).toBe(true);
    expect(d13?.satisfiedBy.flatMap((evidence) => evidence.visitKinds ?? [])).not.toContain('YOS_SUPERVISION');
  });
});
