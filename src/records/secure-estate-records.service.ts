import { CONTACT_RESTRICTION } from 'src/policy/contact-restriction.js';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Principal } from 'src/auth/principal.js';
import { Role } from 'src/auth/roles.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { ChildrenService } from 'src/children/children.service.js';
import { ChildResponsibilityService } from 'src/children/responsibility.service.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { UnitOfWork, type Work } from 'src/events/unit-of-work.js';
import { PolicyService } from 'src/policy/policy.service.js';
import { validateContent } from 'src/records/content/content-validation.js';
import { requireFinalContent } from 'src/records/content/final-requirements.js';
import { SettlingInReportContent } from 'src/records/content/settling-in.content.js';
import type { SharedRecordEntity } from 'src/records/entities/shared-record.entity.js';
import { SignatureDecision } from 'src/records/entities/record-signature.entity.js';
import type {
  SendCarePlanToEstablishmentInput,
  SendSettlingInReportInput,
  SignDetentionPlacementPlanInput,
} from 'src/records/models/lifecycle.inputs.js';
import { currentFinal } from 'src/records/readable-versions.js';
import { RecordReader } from 'src/records/record-reader.service.js';
import { RecordWriter } from 'src/records/record-writer.service.js';
import {
  authorOf,
  recordAltered,
  requireOwner,
  requireStanding,
  requireWrite,
  versionAltered,
} from 'src/records/record-writes.js';
import type { RecordView } from 'src/records/records.mappers.js';
import { planSigned, recordCopySent } from 'src/records/records.events.js';
import { RecordLifecycleRepository } from 'src/records/repositories/record-lifecycle.repository.js';
import { RecordRepository } from 'src/records/repositories/record.repository.js';
import { AgencyKind, InvolvementRole } from 'src/vocabulary/children.enums.js';
import { PurposeOfUse } from 'src/vocabulary/purpose.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';
import { RecordVersionStatus } from 'src/vocabulary/record-status.js';

/**
 * The narrow writes between CSC and the youth detention accommodation holding the child: the
 * governor signs the detention placement plan (001 §6.11), the social worker gives the
 * establishment a copy of the care plan (001 §6.10), and the establishment replies how the child
 * has settled (001 §7.7). None of them lets the establishment change CSC's content.
 */
@Injectable()
export class SecureEstateRecords {
  constructor(
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(RecordRepository) private readonly records: RecordRepository,
    @Inject(RecordLifecycleRepository) private readonly lifecycle: RecordLifecycleRepository,
    @Inject(RecordReader) private readonly reader: RecordReader,
    @Inject(RecordWriter) private readonly writer: RecordWriter,
    @Inject(ChildrenService) private readonly children: ChildrenService,
    @Inject(ChildResponsibilityService) private readonly responsibility: ChildResponsibilityService,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(PolicyService) private readonly policy: PolicyService,
  ) {}

  /**
   * The governor, director or registered manager of the establishment holding the child signs the
   * latest FINAL version of its detention placement plan. The plan must reach them under their
   * agreement (purpose CUSTODY_CARE), so another establishment, agency or child is NOT_FOUND.
   */
  async signDetentionPlacementPlan(principal: Principal, input: SignDetentionPlacementPlanInput): Promise<RecordView> {
    const record = await this.reader.findVisible(principal, input.recordId);
    if (record.kind !== RecordKind.DETENTION_PLACEMENT_PLAN) {
      throw TandemError.badInput('Only a detention placement plan is signed by the establishment', 'input.recordId');
    }
    await this.requireHoldingEstablishment(principal, record.childId);
    requireStanding(record);
    const readable = await this.reader.readable(principal, record);
    const final = currentFinal(readable.versions);
    if (input.expectedVersion !== final) {
      if (readable.versions.some((entry) => entry.version === input.expectedVersion)) {
        throw TandemError.conflict('A later FINAL version replaced the one you read: read it and sign that', {
          expectedVersion: input.expectedVersion,
          currentVersion: final,
        });
      }
      throw TandemError.badInput(
        `Only a FINAL version is signed: the plan's latest FINAL version is ${final ?? 'none'}`,
        'input.expectedVersion',
      );
    }
    await this.unitOfWork.run(principal, async (work) => {
      const current = await this.lockStanding(work.manager, record.id);
      if ((await this.records.latestFinalVersion(work.manager, record.id)) !== input.expectedVersion) {
        throw TandemError.conflict('A later FINAL version replaced the one you read', { expectedVersion: input.expectedVersion });
      }
      const earlier = await this.lifecycle.findSignature(work.manager, record.id, input.expectedVersion, principal.agency.id);
      if (earlier) {
        throw TandemError.conflict(`Version ${input.expectedVersion} was signed for your establishment already`, {
          signedBy: earlier.signerName,
          signedAt: earlier.signedAt.toISOString(),
        });
      }
      const signature = await this.lifecycle.sign(work.manager, {
        recordId: record.id,
        version: input.expectedVersion,
        signerSubject: principal.subject,
        signerName: principal.name,
        signerRole: Role.SECURE_ESTATE_GOVERNOR,
        signerAgencyId: principal.agency.id,
        decision: SignatureDecision.AGREED,
        reason: null,
      });
      // The signature is the establishment's own entry on CSC's plan.
      this.noteOn(work, 'signDetentionPlacementPlan', current, input.expectedVersion, {
        kind: 'RECORD_SIGNATURE',
        id: signature.id,
        owningAgencyId: principal.agency.id,
      });
      work.emit(planSigned(current, signature, 'signDetentionPlacementPlan'));
    });
    return this.reader.get(principal, record.id, input.expectedVersion);
  }

  /**
   * The allocated social worker (or their manager) gives the establishment holding a looked-after
   * child a copy of the latest FINAL care plan; the establishment then reads that version, and
   * only the versions sent to it, under its agreement with CSC.
   */
  async sendCarePlanToEstablishment(principal: Principal, input: SendCarePlanToEstablishmentInput): Promise<RecordView> {
    const record = await this.reader.findVisible(principal, input.recordId);
    if (record.kind !== RecordKind.CARE_PLAN) {
      throw TandemError.badInput('Only a care plan is sent to the establishment this way (001 §6.10)', 'input.recordId');
    }
    requireOwner(principal, record);
    await requireWrite(this.policy, principal, 'update', record);
    requireStanding(record);
    const final = currentFinal((await this.reader.readable(principal, record)).versions);
    if (input.expectedVersion !== final) {
      throw TandemError.badInput(
        `Only the latest FINAL version is sent: ${final === null ? 'the plan has none yet' : `version ${final}`}`,
        'input.expectedVersion',
      );
    }
    // C10: whether an establishment holds the child is where the child is; a party a contact
    // restriction names is refused before the answer could say so.
    if ((await this.policy.childAccess(principal, record.childId)).contactRestricted) {
      throw TandemError.forbidden(
        `${CONTACT_RESTRICTION.reason} (${CONTACT_RESTRICTION.rule}): someone else sends the care plan`,
      );
    }
    const establishments = await this.establishmentsHolding(record.childId);
    if (establishments.length === 0) {
      throw TandemError.badInput('No secure establishment is recorded as holding the child', 'input.recordId');
    }
    const { lookedAfter } = await this.responsibility.compute(record.childId);
    if (!lookedAfter.current?.lookedAfter) {
      throw TandemError.forbidden('001 §6.10: the care plan copy is for a looked-after child remanded to youth detention');
    }
    await this.unitOfWork.run(principal, async (work) => {
      const current = await this.lockStanding(work.manager, record.id);
      if ((await this.records.latestFinalVersion(work.manager, record.id)) !== input.expectedVersion) {
        throw TandemError.conflict('A later FINAL version replaced the one you read', { expectedVersion: input.expectedVersion });
      }
      let sent = 0;
      for (const establishment of establishments) {
        if (await this.lifecycle.findCopy(work.manager, record.id, input.expectedVersion, establishment)) continue;
        const copy = await this.lifecycle.sendCopy(work.manager, {
          recordId: record.id,
          version: input.expectedVersion,
          recipientAgencyId: establishment,
          sentBySubject: principal.subject,
          sentByName: principal.name,
          sentByAgencyId: principal.agency.id,
        });
        this.noteOn(work, 'sendCarePlanToEstablishment', current, input.expectedVersion, {
          kind: 'RECORD_COPY',
          id: copy.id,
          owningAgencyId: current.owningAgencyId,
        });
        // Evidence for the duty to give the establishment the copy (001 §6.10), and the establishment's notice.
        work.emit(recordCopySent(current, copy, 'sendCarePlanToEstablishment'));
        sent += 1;
      }
      if (sent === 0) throw TandemError.conflict(`Version ${input.expectedVersion} was sent to the establishment already`);
    });
    return this.reader.get(principal, record.id, input.expectedVersion);
  }

  /**
   * The establishment (governor or offender supervisor, caring for the child) tells the social
   * worker how the child has settled and the visits agreed: a FINAL settling-in report it owns,
   * or a new version of the one it sent.
   */
  async sendSettlingInReport(principal: Principal, input: SendSettlingInReportInput): Promise<RecordView> {
    if (principal.requirePurpose() !== PurposeOfUse.CUSTODY_CARE) {
      throw TandemError.forbidden('The establishment replies while caring for the child: purpose CUSTODY_CARE');
    }
    await this.children.requireVisible(principal, input.childId);
    await this.requireHoldingEstablishment(principal, input.childId);
    const content = validateContent(SettlingInReportContent, input.content, 'input.content');
    requireFinalContent(RecordKind.SETTLING_IN_REPORT, content, 'input.content');
    if (input.recordId) return this.correctSettlingInReport(principal, input, input.recordId, content);
    const saved = await this.unitOfWork.run(principal, async (work) => {
      const record = await this.records.insert(
        work.manager,
        { childId: input.childId, kind: RecordKind.SETTLING_IN_REPORT, owningAgencyId: principal.agency.id },
        { content, status: RecordVersionStatus.FINAL, ...authorOf(principal) },
      );
      versionAltered(work, 'sendSettlingInReport', record, {
        before: null,
        after: 1,
        status: RecordVersionStatus.FINAL,
        supersedes: null,
      });
      return record;
    });
    return this.reader.get(principal, saved.id);
  }

  private async correctSettlingInReport(
    principal: Principal,
    input: SendSettlingInReportInput,
    recordId: string,
    content: Record<string, unknown>,
  ): Promise<RecordView> {
    const record = await this.reader.findVisible(principal, recordId);
    if (record.kind !== RecordKind.SETTLING_IN_REPORT || record.childId !== input.childId) {
      throw TandemError.badInput("Not this child's settling-in report", 'input.recordId');
    }
    requireOwner(principal, record);
    requireStanding(record);
    if (input.expectedVersion === null || input.expectedVersion === undefined) {
      throw TandemError.badInput('Name the version you read to correct a report', 'input.expectedVersion');
    }
    const added = await this.writer.addVersion(
      principal,
      'sendSettlingInReport',
      record,
      input.expectedVersion,
      content,
      RecordVersionStatus.FINAL,
    );
    if (!added) {
      throw TandemError.conflict('The report was changed since you read it', {
        expectedVersion: input.expectedVersion,
        currentVersion: (await this.records.findById(record.id))?.currentVersion,
      });
    }
    return this.reader.get(principal, record.id);
  }

  /** Only the establishment holding the child (its open SECURE_ESTATE involvement) acts for it. */
  private async requireHoldingEstablishment(principal: Principal, childId: string): Promise<void> {
    const access = await this.policy.childAccess(principal, childId);
    if (principal.agency.kind !== AgencyKind.SECURE_ESTATE || !access.agencyRoles.includes(InvolvementRole.SECURE_ESTATE)) {
      throw TandemError.forbidden('Only the secure establishment holding the child does this');
    }
  }

  /** The secure establishments involved with the child now. */
  private async establishmentsHolding(childId: string): Promise<string[]> {
    const involved = await this.policy.involvedAgencyIds(childId);
    const agencies = await Promise.all(involved.map((id) => this.directory.agency(id)));
    return agencies.filter((agency) => agency.kind === AgencyKind.SECURE_ESTATE).map((agency) => agency.id);
  }

  /** The record under lock, refused if it was withdrawn meanwhile. */
  private async lockStanding(manager: EntityManager, recordId: string): Promise<SharedRecordEntity> {
    const current = await this.lifecycle.lockRecord(manager, recordId);
    if (!current) throw TandemError.notFound('Record');
    requireStanding(current);
    return current;
  }

  /**
   * Notes the change on the record (its version unchanged) and the new row of its own, whose id
   * receipts of what it lets out name: who signed, or who sent what to whom.
   */
  private noteOn(
    work: Work,
    action: string,
    record: SharedRecordEntity,
    version: number,
    entry: { kind: string; id: string; owningAgencyId: string },
  ): void {
    recordAltered(work, action, { ...record, currentVersion: version });
    work.altered({ action, childId: record.childId, versionBefore: null, versionAfter: version, ...entry });
  }
}
