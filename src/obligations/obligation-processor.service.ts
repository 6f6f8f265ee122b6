import { Inject, Injectable } from '@nestjs/common';
import { format, parseISO, subDays } from 'date-fns';
import { Principal } from 'src/auth/principal.js';
import { Role } from 'src/auth/roles.js';
import { Clock } from 'src/common/clock/clock.js';
import { CalendarRangeError, type Due } from 'src/common/time/working-days.js';
import { BackgroundWorker } from 'src/common/worker/background-worker.js';
import { AppConfig } from 'src/config/app-config.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import type { DutyHolder } from 'src/children/duty-holder.js';
import { type ChildAtOnce, ChildResponsibilityService } from 'src/children/responsibility.service.js';
import type { DomainEventEntity } from 'src/events/domain-event.entity.js';
import { EventType } from 'src/events/event-type.js';
import { UnitOfWork, type Work } from 'src/events/unit-of-work.js';
import { ObligationEntity } from 'src/obligations/entities/obligation.entity.js';
import { type DutyEvent, dutyEventOf } from 'src/obligations/duty-events.js';
import { DUTIES_ACTOR, recordTransition } from 'src/obligations/duty-ledger.js';
import { cancels, dueOf, dueSoonOf, opens, satisfies, type TriggerContext } from 'src/obligations/obligation-matching.js';
import { ObligationRepository } from 'src/obligations/obligation.repository.js';
import { ObligationState } from 'src/obligations/obligation-state.js';
import { policyRef, type ResponsibilityPolicy } from 'src/responsibility/protocol-policy.schema.js';
import type { DueRule, ObligationDefinition } from 'src/responsibility/obligation-definitions.schema.js';
import { ResponsibilityRegistry } from 'src/responsibility/responsibility-registry.service.js';
import { stepOn } from 'src/responsibility/looked-after.js';
import { PurposeOfUse } from 'src/vocabulary/purpose.js';
import { AgencyKind, AllocationRole } from 'src/vocabulary/children.enums.js';

/** Due rules counted back from the expected release date: a repeated trigger carries a corrected date. */
const COUNTED_FROM_RELEASE: ReadonlySet<DueRule['kind']> = new Set(['MONTHS_BEFORE_RELEASE', 'DAYS_BEFORE_RELEASE']);

/** The states of a duty whose time has passed. */
const PAST_DUE: ReadonlySet<ObligationState> = new Set([ObligationState.OVERDUE, ObligationState.ESCALATED]);

const BATCH = 100;

/**
 * Reads every committed event once, in order, and applies the child's authority's duty
 * definitions to it: evidence satisfies open duties (a recurring duty then opens its next), a
 * reversed trigger cancels them, a trigger opens new ones (satisfied at once by evidence that came
 * first). Each event is handled in one transaction with the transitions it caused, their receipts
 * and events, and the mark that it was read.
 */
@Injectable()
export class ObligationProcessor extends BackgroundWorker {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(ObligationRepository) private readonly repository: ObligationRepository,
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(ChildResponsibilityService) private readonly responsibility: ChildResponsibilityService,
    @Inject(ResponsibilityRegistry) private readonly registry: ResponsibilityRegistry,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    super('ObligationProcessor');
  }

  /** Where the current pass is: the last event it looked at. */
  private after: string | null = null;

  protected intervalMs(): number {
    return this.config.notifications.pollMs;
  }

  protected async pass(): Promise<void> {
    while (!this.isStopped && (await this.processBatch()) > 0);
  }

  /**
   * Reads the next batch of unread events; returns how many it looked at (0: it reached the end, and
   * the next batch starts again from the first unread). An event that must wait (no case system acts
   * for its agency, an earlier event of the same child not read yet) or that failed is passed over
   * until a later pass, so it never holds up other children's events behind it.
   */
  async processBatch(): Promise<number> {
    const events = await this.repository.unchecked(BATCH, this.after);
    this.after = events.at(-1)?.id ?? null;
    for (const stored of events) {
      try {
        await this.process(stored);
      } catch (error) {
        // Left unread (retried next pass) and said loudly; the child's later events wait behind it.
        this.logger.error(`Duties could not read event ${stored.eventId} (${stored.type}): ${String(error)}`);
      }
    }
    return events.length;
  }

  private async process(stored: DomainEventEntity): Promise<boolean> {
    const principal = await this.actingFor(stored);
    if (!principal) return false;
    return this.unitOfWork.run(principal, async (work) => {
      if (!(await this.repository.claim(work.manager, stored.id))) return false;
      // A child's events are read in commit order: one another instance holds, or one that waits,
      // comes first (a reversal read before the remand it reverses would be lost).
      if (await this.repository.hasUnreadBefore(work.manager, stored.childId, stored.id)) return false;
      const event = dutyEventOf(stored);
      if (event) await this.apply(work, event);
      await this.repository.markChecked(work.manager, stored.id, this.clock.now());
      return true;
    });
  }

  private async apply(work: Work, event: DutyEvent): Promise<void> {
    // The child's inputs are read once per event: the duties change none of them.
    const child = await this.responsibility.atOnce(event.childId, work.manager);
    const policy = this.registry.forAuthority(child.authority);
    const definitions = new Map(policy.obligations.map((definition) => [definition.id, definition]));
    const now = this.clock.now();
    const live: ObligationEntity[] = [];
    for (const row of await this.repository.liveForChild(work.manager, event.childId)) {
      // A duty is judged by its definition in the policy in force (an id keeps its meaning across versions).
      const definition = definitions.get(row.definitionId);
      if (!definition) continue;
      if (satisfies(definition, event, row.triggerDate)) {
        await this.satisfy(work, { policy, child, earlier: null }, definition, row, event, now);
      } else if (cancels(definition, event, row.triggerDate)) {
        await this.close(
          work,
          row,
          ObligationState.CANCELLED,
          now,
          `${event.type}${event.outcome ? ` (${event.outcome})` : ''} on ${event.date}`,
          event.eventId,
        );
      } else {
        live.push(row);
        // A worker allocated (or replaced) after the duty opened takes it on.
        if (event.type === String(EventType.WORKER_ALLOCATION_CHANGED)) await this.reassign(work, definition, row, child, now);
      }
    }
    const triggered = policy.obligations.filter((definition) => definition.trigger.event === event.type);
    if (triggered.length === 0) return;
    const context = contextOf(child, event);
    const opening = triggered.filter((definition) => opens(definition, event, context));
    if (opening.length === 0) return;
    // Evidence that came first, read once for every duty the event opens.
    const earlier = await this.earlierEvidence(work, event, opening);
    for (const definition of opening) {
      const running = live.filter((candidate) => candidate.definitionId === definition.id);
      // The same trigger again while its duty runs is never a reason to cancel it: restarting the
      // clock would hide a breach and put the review or visit back. Within the duty's window (a
      // second remand in one spell of custody) the earlier clock stands and nothing more opens;
      // past it, the overdue duty stays and the new trigger opens its own. Only a duty counted back
      // from the release date is replaced (the date was corrected).
      if (running.length > 0 && !COUNTED_FROM_RELEASE.has(definition.due.kind)) {
        if (running.some((row) => !PAST_DUE.has(row.state))) continue;
        await this.open(work, { policy, child, earlier }, definition, event, now);
        continue;
      }
      for (const row of running) {
        await this.close(
          work,
          row,
          ObligationState.CANCELLED,
          now,
          `superseded by ${event.type} on ${event.date}`,
          event.eventId,
        );
      }
      await this.open(work, { policy, child, earlier }, definition, event, now);
    }
  }

  /** Closes a duty the event satisfies; a recurring one (D15, D32) then opens its next, due from this evidence. */
  private async satisfy(
    work: Work,
    around: Around,
    definition: ObligationDefinition,
    row: ObligationEntity,
    evidence: DutyEvent,
    now: Date,
  ): Promise<void> {
    await this.close(work, row, ObligationState.SATISFIED, now, `${evidence.type} on ${evidence.date}`, evidence.eventId);
    if (definition.recursEveryCalendarDays) await this.open(work, { ...around, earlier: null }, definition, evidence, now);
  }

  /** Moves a live duty to whoever holds it now (the allocated worker in its role, else the team queue). */
  private async reassign(
    work: Work,
    definition: ObligationDefinition,
    row: ObligationEntity,
    child: ChildAtOnce,
    now: Date,
  ): Promise<void> {
    const holder = child.holder(definition.owner.agencyKind, definition.owner.allocationRole ?? null);
    if (!holder || holder.agencyId !== row.ownerAgencyId) return;
    if (holder.subject === row.ownerSubject && holder.team === row.ownerTeam) return;
    row.ownerSubject = holder.subject;
    row.ownerName = holder.name;
    row.ownerRole = holder.role;
    row.ownerTeam = holder.team;
    await recordTransition(
      this.repository,
      work,
      row,
      row.state,
      now,
      DUTIES_ACTOR,
      `now with ${holder.name ?? holder.team ?? 'the agency'}`,
    );
  }

  private async open(work: Work, around: Around, definition: ObligationDefinition, event: DutyEvent, now: Date): Promise<void> {
    const { policy, child } = around;
    const holder = child.holder(definition.owner.agencyKind, definition.owner.allocationRole ?? null);
    if (!holder) {
      this.logger.warn(`No ${definition.owner.agencyKind} agency holds ${definition.id} for child ${event.childId}`);
      return;
    }
    // A recurring duty's next one runs from the evidence that satisfied the last (D15, D32).
    let due: Due;
    let dueSoonAt: Date;
    try {
      due =
        definition.recursEveryCalendarDays && definition.trigger.event !== event.type
          ? dueOf({ kind: 'CALENDAR_DAYS', n: definition.recursEveryCalendarDays }, event)
          : dueOf(definition.due, event);
      dueSoonAt = dueSoonOf(definition, due, now);
    } catch (error) {
      // A day the calendar cannot count (outside its years) opens no duty rather than a guessed one,
      // and must not hold up every later event behind it.
      if (!(error instanceof CalendarRangeError)) throw error;
      this.logger.warn(`${definition.id} for child ${event.childId} not opened: ${error.message}`);
      return;
    }
    const opened = await this.repository.open(work.manager, {
      childId: event.childId,
      definitionId: definition.id,
      policy: policyRef(policy),
      title: definition.title,
      citation: definition.citation,
      state: ObligationState.OPEN,
      ownerAgencyId: holder.agencyId,
      ownerSubject: holder.subject,
      ownerName: holder.name,
      ownerRole: holder.role,
      ownerTeam: holder.team,
      triggerEventId: event.eventId,
      triggerType: event.type,
      triggerDate: event.date,
      dueAt: due.dueAt,
      dueSoonAt,
      dueExplanation: due.explanation,
      escalationLevel: 0,
      nextCheckAt: dueSoonAt,
      evidenceEventId: null,
      closedAt: null,
      closedBy: null,
      closedReason: null,
    });
    if (!opened) return;
    await recordTransition(this.repository, work, opened, null, now, DUTIES_ACTOR, `${event.type} on ${event.date}`);
    // Evidence recorded before the duty was opened (the plan was ready first) satisfies it at once.
    const earlier = around.earlier ?? (await this.earlierEvidence(work, event, [definition]));
    const evidence = earlier.find((candidate) => satisfies(definition, candidate, opened.triggerDate));
    if (evidence) await this.satisfy(work, around, definition, opened, evidence, now);
  }

  /** The child's events before `event` that could satisfy one of `definitions`. */
  private async earlierEvidence(
    work: Work,
    event: DutyEvent,
    definitions: readonly ObligationDefinition[],
  ): Promise<DutyEvent[]> {
    const types = [...new Set(definitions.flatMap((definition) => definition.satisfiedBy.map((evidence) => evidence.event)))];
    return (await this.repository.earlierEvidence(work.manager, event.childId, types, event.position))
      .map((stored) => dutyEventOf(stored))
      .filter((evidence): evidence is DutyEvent => evidence !== null && evidence.eventId !== event.eventId);
  }

  private async close(
    work: Work,
    row: ObligationEntity,
    to: ObligationState,
    now: Date,
    reason: string,
    evidenceEventId: string,
  ): Promise<void> {
    const from = row.state;
    row.state = to;
    row.closedAt = now;
    row.closedBy = DUTIES_ACTOR;
    row.closedReason = reason;
    row.evidenceEventId = evidenceEventId;
    row.nextCheckAt = null;
    await recordTransition(this.repository, work, row, from, now, DUTIES_ACTOR, reason);
  }

  /** Tandem acts for the agency that recorded the event, through that agency's case system. */
  private async actingFor(stored: DomainEventEntity): Promise<Principal | null> {
    const agency = await this.directory.agency(stored.recordedByAgencyId);
    const record = (await this.directory.agencyRecords()).find((candidate) => candidate.id === agency.id);
    const [caseSystem] = await this.directory.caseSystemsOf(agency.id);
    if (!record || !caseSystem) {
      this.logger.warn(`No case system acts for agency ${agency.code}: event ${stored.eventId} waits`);
      return null;
    }
    return new Principal(
      DUTIES_ACTOR,
      `Tandem, for ${agency.name} (protocol duties)`,
      { id: record.id, code: record.code, kind: record.kind, localAuthorityId: record.localAuthorityId },
      caseSystem,
      [Role.SYSTEM],
      { header: PurposeOfUse.CASE_MANAGEMENT, justification: undefined, correlationId: stored.correlationId },
    );
  }
}

/** What an event's duties are opened with: the policy in force, the child read once, evidence that came first (null: not read yet). */
interface Around {
  readonly policy: ResponsibilityPolicy;
  readonly child: ChildAtOnce;
  readonly earlier: readonly DutyEvent[] | null;
}

/** The child around the event: looked after the day before and on the day, the care-leaver category that day. */
function contextOf(child: ChildAtOnce, event: DutyEvent): TriggerContext {
  const facts = child.compute(event.date);
  const dayBefore = format(subDays(parseISO(event.date), 1), 'yyyy-MM-dd');
  return {
    lookedAfterBefore: stepOn(facts.lookedAfter, dayBefore)?.lookedAfter ?? false,
    lookedAfterAfter: stepOn(facts.lookedAfter, event.date)?.lookedAfter ?? false,
    careLeaver: facts.careLeaver.category,
    socialWorkerAllocated: allocatedBefore(
      child.holder(AgencyKind.CHILDRENS_SOCIAL_CARE, AllocationRole.SOCIAL_WORKER),
      event.date,
    ),
  };
}

/** Whether the holder is a worker allocated before the day (one allocated on day 0 or since is evidence, not a reason not to open). */
function allocatedBefore(holder: DutyHolder | null, date: string): boolean {
  const since = holder?.since ?? null;
  return since !== null && since < date;
}
