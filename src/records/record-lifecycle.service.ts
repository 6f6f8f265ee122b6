import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { requireText } from 'src/common/validation/text.js';
import { UnitOfWork } from 'src/events/unit-of-work.js';
import { PolicyService } from 'src/policy/policy.service.js';
import { requireFinalContent } from 'src/records/content/final-requirements.js';
import type { SharedRecordEntity } from 'src/records/entities/shared-record.entity.js';
import type { FinaliseRecordInput, WithdrawRecordInput } from 'src/records/models/lifecycle.inputs.js';
import { RecordReader } from 'src/records/record-reader.service.js';
import { RecordWriter } from 'src/records/record-writer.service.js';
import { recordAltered, requireOwner, requireStanding, requireWrite } from 'src/records/record-writes.js';
import type { RecordView } from 'src/records/records.mappers.js';
import { recordWithdrawn } from 'src/records/records.events.js';
import { RecordLifecycleRepository } from 'src/records/repositories/record-lifecycle.repository.js';
import { RecordRepository } from 'src/records/repositories/record.repository.js';
import { RecordVersionStatus } from 'src/vocabulary/record-status.js';

const MAX_REASON = 2000;

/** A record's lifecycle by its owner: a draft made FINAL, a record withdrawn with a reason. */
@Injectable()
export class RecordLifecycle {
  constructor(
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(RecordRepository) private readonly records: RecordRepository,
    @Inject(RecordLifecycleRepository) private readonly lifecycle: RecordLifecycleRepository,
    @Inject(RecordReader) private readonly reader: RecordReader,
    @Inject(RecordWriter) private readonly writer: RecordWriter,
    @Inject(PolicyService) private readonly policy: PolicyService,
  ) {}

  /**
   * Makes the latest version, a draft, FINAL: a new FINAL version with the draft's content (versions
   * are never changed), once it holds what its kind requires (a DPP its Appendix 2 items).
   */
  async finalise(principal: Principal, input: FinaliseRecordInput): Promise<RecordView> {
    const record = await this.ownRecord(principal, input.recordId);
    if (input.expectedVersion !== record.currentVersion) throw this.moved(input.expectedVersion, record.currentVersion);
    const [draft] = await this.records.versions([{ recordId: record.id, version: record.currentVersion }]);
    if (!draft) throw TandemError.notFound('Record version');
    if (draft.status === RecordVersionStatus.FINAL) {
      throw TandemError.badInput(`Version ${draft.version} is already FINAL`, 'input.expectedVersion');
    }
    requireFinalContent(record.kind, draft.content, 'input.recordId');
    const added = await this.writer.addVersion(
      principal,
      'finaliseRecord',
      record,
      input.expectedVersion,
      draft.content,
      RecordVersionStatus.FINAL,
    );
    if (!added) throw this.moved(input.expectedVersion, (await this.records.findById(record.id))?.currentVersion);
    return this.reader.get(principal, record.id);
  }

  /** Withdraws the record: it stays readable, marked withdrawn with the reason, and no longer changes. */
  async withdraw(principal: Principal, input: WithdrawRecordInput): Promise<RecordView> {
    const record = await this.ownRecord(principal, input.recordId);
    const reason = requireText(input.reason, 'input.reason', MAX_REASON);
    const withdrawn = await this.unitOfWork.run(principal, async (work) => {
      const done = await this.lifecycle.withdraw(work.manager, record.id, input.expectedVersion, {
        reason,
        name: principal.name,
        agencyId: principal.agency.id,
      });
      if (!done) return false;
      recordAltered(work, 'withdrawRecord', record);
      // Told at the version other agencies read (the latest FINAL): told at a draft, it reached none of them.
      const shown = (await this.records.latestFinalVersion(work.manager, record.id)) ?? input.expectedVersion;
      work.emit(recordWithdrawn(record, shown, 'withdrawRecord'));
      return true;
    });
    if (!withdrawn) {
      const latest = await this.records.findById(record.id);
      if (latest?.withdrawnAt) requireStanding(latest);
      throw this.moved(input.expectedVersion, latest?.currentVersion);
    }
    return this.reader.get(principal, record.id);
  }

  /** A record the caller's agency owns, may write, and that still stands. */
  private async ownRecord(principal: Principal, recordId: string): Promise<SharedRecordEntity> {
    const record = await this.reader.findVisible(principal, recordId);
    requireOwner(principal, record);
    await requireWrite(this.policy, principal, 'update', record);
    requireStanding(record);
    return record;
  }

  private moved(expectedVersion: number, currentVersion: number | undefined): TandemError {
    return TandemError.conflict('The record was changed since you read it', { expectedVersion, currentVersion });
  }
}
