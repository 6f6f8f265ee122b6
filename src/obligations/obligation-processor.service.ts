import { Inject, Injectable } from '@nestjs/common';
import { format, parseISO, subDays } from 'date-fns';
import { Principal } from 'src/auth/principal.js';
import { Role } from 'src/auth/roles.js';
import { Clock } from 'src/common/clock/clock.js';
import { CalendarRangeError, type Due } from 'src/common/time/working-days.js';
import { BackgroundWorker } from 'src/common/worker/background-worker.js';
import { AppConfig } from 'src/config/app-config.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { ChildResponsibilityService } from 'src/children/responsibility.service.js';
import type { DomainEventEntity } from 'src/events/domain-event.entity.js';
import { UnitOfWork, type Work } from 'src/events/unit-of-work.js';
import { ObligationEntity } from 'src/obligations/entities/obligation.entity.js';
import { type DutyEvent, dutyEventOf } from 'src/obligations/duty-events.js';
import { DUTIES_ACTOR, recordTransition } from 'src/obligations/duty-ledger.js';
import { cancels, dueOf, dueSoonOf, opens, satisfies, type TriggerContext } from 'src/obligations/obligation-matching.js';
import { ObligationRepository } from 'src/obligations/obligation.repository.js';
import { ObligationState } from 'src/obligations/obligation-state.js';
import { policyRef, type ResponsibilityPolicy } from 'src/responsibility/protocol-policy.schema.js';
import type { ObligationDefinition } from 'src/responsibility/obligation-definitions.schema.js';
import { ResponsibilityRegistry } from 'src/responsibility/responsibility-registry.service.js';
import { stepOn } from 'src/responsibility/looked-after.js';
import { PurposeOfUse } from 'src/vocabulary/purpose.js';

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

  protected intervalMs(): number {
    return this.config.notifications.pollMs;
  }

  protected async pass(): Promise<void> {
    while (!this.isStopped && (await this.processBatch()) > 0);
  }

  /** Reads one batch of unread events; returns how many it read. */
  async processBatch(): Promise<number> {
    const events = await this.repository.unchecked(BATCH);
    let read = 0;
    for (const stored of events) if (await this.process(stored)) read += 1;
    return read;
  }

  private async process(stored: DomainEventEntity): Promise<boolean> {
    const principal = await this.actingFor(stored);
    if (!principal) return false;
    return this.unitOfWork.run(principal, async (work) => {
      if (!(await this.repository.claim(work.manager, stored.id))) return false;
      const event = dutyEventOf(stored);
      if (event) await this.apply(work, event);
      await this.repository.markChecked(work.manager, stored.id, this.clock.now());
      return true;
    });
  }

  private async apply(work: Work, event: DutyEvent): Promise<void> {
    const policy = this.registry.forAuthority(await this.responsibility.authorityOf(event.childId, work.manager));
    const definitions = new Map(policy.obligations.map((definition) => [definition.id, definition]));
    const now = this.clock.now();
    for (const row of await this.repository.liveForChild(work.manager, event.childId)) {
      // A duty is judged by its definition in the policy in force (an id keeps its meaning across versions).
      const definition = definitions.get(row.definitionId);
      if (!definition) continue;
      if (satisfies(definition, event, row.triggerDate)) {
        await this.close(work, row, ObligationState.SATISFIED, now, `${event.type} on ${event.date}`, event.eventId);
        if (definition.recursEveryCalendarDays) await this.open(work, policy, definition, event, now);
      } else if (cancels(definition, event, row.triggerDate)) {
        await this.close(
          work,
          row,
          ObligationState.CANCELLED,
          now,
          `${event.type}${event.outcome ? ` (${event.outcome})` : ''} on ${event.date}`,
          event.eventId,
        );
      }
    }
    const triggered = policy.obligations.filter((definition) => definition.trigger.event === event.type);
    if (triggered.length === 0) return;
    const context = await this.context(work, event);
    for (const definition of triggered) {
      if (opens(definition, event, context)) await this.open(work, policy, definition, event, now);
    }
  }

  private async open(
    work: Work,
    policy: ResponsibilityPolicy,
    definition: ObligationDefinition,
    event: DutyEvent,
    now: Date,
  ): Promise<void> {
    const holder = await this.responsibility.dutyHolder(
      event.childId,
      definition.owner.agencyKind,
      definition.owner.allocationRole ?? null,
      work.manager,
    );
    if (!holder) {
      this.logger.warn(`No ${definition.owner.agencyKind} agency holds ${definition.id} for child ${event.childId}`);
      return;
    }
    // A recurring duty's next one runs from the evidence that satisfied the last (D15, D32).
    let due: Due;
    try {
      due =
        definition.recursEveryCalendarDays && definition.trigger.event !== event.type
          ? dueOf({ kind: 'CALENDAR_DAYS', n: definition.recursEveryCalendarDays }, event)
          : dueOf(definition.due, event);
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
      dueSoonAt: dueSoonOf(definition, due, now),
      dueExplanation: due.explanation,
      escalationLevel: 0,
      nextCheckAt: dueSoonOf(definition, due, now),
      evidenceEventId: null,
      closedAt: null,
      closedBy: null,
      closedReason: null,
    });
    if (!opened) return;
    await recordTransition(this.repository, work, opened, null, now, DUTIES_ACTOR, `${event.type} on ${event.date}`);
    // Evidence recorded before the duty was opened (the plan was ready first) satisfies it at once.
    const types = definition.satisfiedBy.map((evidence) => evidence.event);
    for (const earlier of await this.repository.earlierEvidence(work.manager, event.childId, types, event.occurredAt)) {
      const evidence = dutyEventOf(earlier);
      if (evidence && evidence.eventId !== event.eventId && satisfies(definition, evidence, opened.triggerDate)) {
        await this.close(work, opened, ObligationState.SATISFIED, now, `${evidence.type} on ${evidence.date}`, evidence.eventId);
        return;
      }
    }
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

  /** The child around the event: looked after the day before and on the day, the care-leaver category that day. */
  private async context(work: Work, event: DutyEvent): Promise<TriggerContext> {
    const facts = await this.responsibility.compute(event.childId, work.manager, event.date);
    const dayBefore = format(subDays(parseISO(event.date), 1), 'yyyy-MM-dd');
    return {
      lookedAfterBefore: stepOn(facts.lookedAfter, dayBefore)?.lookedAfter ?? false,
      lookedAfterAfter: stepOn(facts.lookedAfter, event.date)?.lookedAfter ?? false,
      careLeaver: facts.careLeaver.category,
    };
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
