import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { Role } from 'src/auth/roles.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { requireText } from 'src/common/validation/text.js';
import { UnitOfWork } from 'src/events/unit-of-work.js';
import { PolicyService } from 'src/policy/policy.service.js';
import { SignatureDecision } from 'src/records/entities/record-signature.entity.js';
import type { DecideReleasePlanInput } from 'src/records/models/lifecycle.inputs.js';
import { currentFinal } from 'src/records/readable-versions.js';
import { RecordReader } from 'src/records/record-reader.service.js';
import { recordAltered, requireStanding } from 'src/records/record-writes.js';
import type { RecordView } from 'src/records/records.mappers.js';
import { releasePlanDecided } from 'src/records/records.events.js';
import { RecordLifecycleRepository } from 'src/records/repositories/record-lifecycle.repository.js';
import { RecordRepository } from 'src/records/repositories/record.repository.js';
import { AgencyKind, InvolvementRole } from 'src/vocabulary/children.enums.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';

/**
 * Who decides for children's social care: its operations manager, a CSC team manager here (a head of
 * service reads children only through agreements that name the role, which none does for plans).
 */
const DECIDERS: readonly Role[] = [Role.CSC_TEAM_MANAGER];

/**
 * The CSC operations manager's decision on the YJS's release plan (003 §8.2–8.3): agreed, or not
 * agreed with a reason, so the YJS operations manager and the establishment are told and agreement
 * is reached before release. It is a signature on the plan's FINAL version, never an edit of it.
 */
@Injectable()
export class ReleasePlanDecisions {
  constructor(
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(RecordRepository) private readonly records: RecordRepository,
    @Inject(RecordLifecycleRepository) private readonly lifecycle: RecordLifecycleRepository,
    @Inject(RecordReader) private readonly reader: RecordReader,
    @Inject(PolicyService) private readonly policy: PolicyService,
  ) {}

  async decide(principal: Principal, input: DecideReleasePlanInput): Promise<RecordView> {
    const reason = input.agreed ? null : requireText(input.reason ?? '', 'input.reason');
    if (input.agreed && input.reason) {
      throw TandemError.badInput('A reason is given only when the plan is not agreed', 'input.reason');
    }
    const record = await this.reader.findVisible(principal, input.recordId);
    if (record.kind !== RecordKind.RELEASE_PLAN) {
      throw TandemError.badInput('Only a release plan is decided this way (003 §8.3)', 'input.recordId');
    }
    await this.requireSocialCareManager(principal, record.childId);
    requireStanding(record);
    const readable = await this.reader.readable(principal, record);
    const final = currentFinal(readable.versions);
    if (input.expectedVersion !== final) {
      if (final !== null && readable.versions.some((entry) => entry.version === input.expectedVersion)) {
        throw TandemError.conflict('A later FINAL version replaced the one you read: read it and decide on that', {
          expectedVersion: input.expectedVersion,
          currentVersion: final,
        });
      }
      throw TandemError.badInput(
        `Only the latest FINAL version is decided: ${final === null ? 'the plan has none yet' : `version ${final}`}`,
        'input.expectedVersion',
      );
    }
    await this.unitOfWork.run(principal, async (work) => {
      const current = await this.lifecycle.lockRecord(work.manager, record.id);
      if (!current) throw TandemError.notFound('Record');
      requireStanding(current);
      if ((await this.records.latestFinalVersion(work.manager, record.id)) !== input.expectedVersion) {
        throw TandemError.conflict('A later FINAL version replaced the one you read', { expectedVersion: input.expectedVersion });
      }
      const earlier = await this.lifecycle.findSignature(work.manager, record.id, input.expectedVersion, principal.agency.id);
      if (earlier) {
        throw TandemError.conflict(`Your agency decided on version ${input.expectedVersion} already`, {
          decision: earlier.decision,
          decidedBy: earlier.signerName,
        });
      }
      const decision = await this.lifecycle.sign(work.manager, {
        recordId: record.id,
        version: input.expectedVersion,
        signerSubject: principal.subject,
        signerName: principal.name,
        signerRole: Role.CSC_TEAM_MANAGER,
        signerAgencyId: principal.agency.id,
        decision: input.agreed ? SignatureDecision.AGREED : SignatureDecision.NOT_AGREED,
        reason,
      });
      recordAltered(work, 'decideReleasePlan', { ...current, currentVersion: input.expectedVersion });
      work.altered({
        action: 'decideReleasePlan',
        childId: record.childId,
        versionBefore: null,
        versionAfter: input.expectedVersion,
        kind: 'RECORD_SIGNATURE',
        id: decision.id,
        owningAgencyId: principal.agency.id,
      });
      work.emit(releasePlanDecided(current, decision, input.agreed, 'decideReleasePlan'));
    });
    return this.reader.get(principal, record.id, input.expectedVersion);
  }

  /** A manager of the children's social care involved with the child (as CSC), not another agency's. */
  private async requireSocialCareManager(principal: Principal, childId: string): Promise<void> {
    const access = await this.policy.childAccess(principal, childId);
    if (
      principal.agency.kind !== AgencyKind.CHILDRENS_SOCIAL_CARE ||
      !principal.roles.some((role) => DECIDERS.includes(role)) ||
      !access.agencyRoles.includes(InvolvementRole.CSC)
    ) {
      throw TandemError.forbidden("The release plan is agreed by the operations manager of the child's social care (003 §8.3)");
    }
  }
}
