import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Principal } from 'src/auth/principal.js';
import { Role } from 'src/auth/roles.js';
import { Clock } from 'src/common/clock/clock.js';
import { CalendarRangeError, endOfNextWorkingDay } from 'src/common/time/working-days.js';
import { BackgroundWorker } from 'src/common/worker/background-worker.js';
import { AppConfig } from 'src/config/app-config.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { UnitOfWork } from 'src/events/unit-of-work.js';
import type { ObligationEntity } from 'src/obligations/entities/obligation.entity.js';
import { DUTIES_ACTOR, recordTransition } from 'src/obligations/duty-ledger.js';
import { ObligationRepository } from 'src/obligations/obligation.repository.js';
import { ObligationState } from 'src/obligations/obligation-state.js';
import { ResponsibilityRegistry } from 'src/responsibility/responsibility-registry.service.js';
import { PurposeOfUse } from 'src/vocabulary/purpose.js';

const BATCH = 200;

/**
 * Moves duties along with the clock: OPEN → DUE_SOON → OVERDUE, then one escalation level per
 * working day overdue (team manager, then head of service). Each pass reads only the duties whose
 * `next_check_at` has come, through its partial index, and locks them with SKIP LOCKED, so that
 * several instances share the work and the cost does not grow with the duties that wait.
 */
@Injectable()
export class ObligationSweeper extends BackgroundWorker {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(ObligationRepository) private readonly repository: ObligationRepository,
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(ResponsibilityRegistry) private readonly registry: ResponsibilityRegistry,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    super('ObligationSweeper');
  }

  protected intervalMs(): number {
    return this.config.notifications.pollMs === 0 ? 0 : Math.max(this.config.notifications.pollMs, 30_000);
  }

  protected async pass(): Promise<void> {
    while (!this.isStopped && (await this.sweep()) > 0);
  }

  /**
   * One batch of duties whose next check has come, for each owning agency: the clock acts for that
   * agency (its receipts and events name it); returns how many moved.
   */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    let moved = 0;
    for (const owner of await this.repository.dueOwners(now)) {
      const principal = await this.actingFor(owner);
      if (!principal) continue;
      moved += await this.unitOfWork.run(principal, async (work) => {
        const rows = await this.repository.due(work.manager, now, BATCH, owner);
        for (const row of rows)
          await this.step(row, now, (from, reason, audience) =>
            recordTransition(this.repository, work, row, from, now, DUTIES_ACTOR, reason, audience),
          );
        return rows.length;
      });
    }
    return moved;
  }

  private async step(
    row: ObligationEntity,
    now: Date,
    record: (from: ObligationState, reason: string, audience: string) => Promise<ObligationEntity>,
  ): Promise<void> {
    const from = row.state;
    if (now < row.dueAt) {
      row.state = ObligationState.DUE_SOON;
      row.nextCheckAt = row.dueAt;
      await record(from, `due ${row.dueAt.toISOString()}`, 'OWNER');
      return;
    }
    const chain = this.chainOf(row);
    if (from === ObligationState.OPEN || from === ObligationState.DUE_SOON) {
      row.state = ObligationState.OVERDUE;
      row.nextCheckAt = chain.length > 0 ? this.nextWorkingDayEnd(row, row.dueAt) : null;
      await record(from, `not done by ${row.dueAt.toISOString()}`, 'OWNER');
      return;
    }
    const level = chain[row.escalationLevel];
    if (!level) {
      row.nextCheckAt = null;
      await record(from, 'no further escalation', 'OWNER');
      return;
    }
    row.state = ObligationState.ESCALATED;
    row.escalationLevel += 1;
    // A working day after this level's own time, not after the sweep that noticed it (a sweep past
    // midnight must not push the next level a day later).
    row.nextCheckAt = row.escalationLevel < chain.length ? this.nextWorkingDayEnd(row, row.nextCheckAt ?? now) : null;
    await record(from, `overdue since ${row.dueAt.toISOString()}: escalated to ${level}`, level);
  }

  /** The end of the working day after `from`; null (no further escalation, said in the log) where the calendar ends. */
  private nextWorkingDayEnd(row: ObligationEntity, from: Date): Date | null {
    try {
      return endOfNextWorkingDay(from).dueAt;
    } catch (error) {
      if (!(error instanceof CalendarRangeError)) throw error;
      this.logger.warn(`Duty ${row.id} escalates no further: ${error.message}`);
      return null;
    }
  }

  /** The escalation chain of the duty's definition, in the latest version of the policy that opened it. */
  private chainOf(row: ObligationEntity): readonly string[] {
    const policyId = row.policy.replace(/@v\d+$/, '');
    const policy = this.registry.all().find((candidate) => candidate.id === policyId);
    return policy?.obligations.find((definition) => definition.id === row.definitionId)?.escalation ?? ['TEAM_MANAGER'];
  }

  /** The clock acts for the agency that owns the duties, through its case system. */
  private async actingFor(agencyId: string): Promise<Principal | null> {
    const agency = (await this.directory.agencyRecords()).find((candidate) => candidate.id === agencyId);
    const [caseSystem] = agency ? await this.directory.caseSystemsOf(agency.id) : [];
    if (!agency || !caseSystem) {
      this.logger.warn(`No case system acts for agency ${agencyId}: its duties wait`);
      return null;
    }
    return new Principal(
      DUTIES_ACTOR,
      `Tandem, for ${agency.name} (protocol duties clock)`,
      { id: agency.id, code: agency.code, kind: agency.kind, localAuthorityId: agency.localAuthorityId },
      caseSystem,
      [Role.SYSTEM],
      { header: PurposeOfUse.CASE_MANAGEMENT, justification: undefined, correlationId: `duties-clock-${randomUUID()}` },
    );
  }
}
