import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { Role } from 'src/auth/roles.js';
import { groupBy, RequestLoaders } from 'src/common/loaders/request-loaders.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import { ChildDetailsService } from 'src/children/child-details.service.js';
import type { RecordSignatureEntity } from 'src/records/entities/record-signature.entity.js';
import type { RecordCopy, RecordSignature } from 'src/records/models/record-lifecycle.model.js';
import type { RecordAcknowledgement } from 'src/records/models/shared-record.model.js';
import { isReadable, type Readable, withinHistory } from 'src/records/readable-versions.js';
import { isWithheld, RecordReader, scopeOf, type VersionSummaryView } from 'src/records/record-reader.service.js';
import { type RecordView, toAcknowledgement } from 'src/records/records.mappers.js';
import { RecordLifecycleRepository } from 'src/records/repositories/record-lifecycle.repository.js';
import { RecordRepository } from 'src/records/repositories/record.repository.js';

/**
 * What other agencies did with a record, as the caller may see it: signatures, copies sent and
 * acknowledgements, of the versions the caller may read, within its history (C3), and none naming
 * an agency where the child is or was when a contact restriction names the caller (C10).
 */
@Injectable()
export class RecordLifecycleReader {
  private readonly loaders = new RequestLoaders('record-lifecycle');

  constructor(
    @Inject(RecordReader) private readonly reader: RecordReader,
    @Inject(RecordRepository) private readonly records: RecordRepository,
    @Inject(RecordLifecycleRepository) private readonly lifecycleRows: RecordLifecycleRepository,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(ChildDetailsService) private readonly childDetails: ChildDetailsService,
  ) {}

  /** Signatures of one version in the history the caller read. */
  async versionSignatures(principal: Principal, summary: VersionSummaryView): Promise<RecordSignature[]> {
    const signatures = await this.signatures(
      principal,
      { id: summary.recordId, childId: summary.childId },
      {
        versions: [{ version: summary.version, status: summary.status }],
        latest: summary.version,
        before: summary.historyBefore,
      },
    );
    return signatures.filter((signature) => signature.version === summary.version);
  }

  /** Signatures of the version shown; null when that field was withheld. */
  async signaturesOf(principal: Principal, record: RecordView): Promise<RecordSignature[] | null> {
    if (isWithheld(record, 'signatures')) return null;
    const readable = await this.reader.readable(principal, scopeOf(record));
    return (await this.signatures(principal, record, readable)).filter((signature) => signature.version === record.version);
  }

  /**
   * Copies sent of the versions the caller may read (to the caller's agency only, unless it owns the
   * record; under C10 none to an agency where the child is or was); null when withheld.
   */
  async copiesSent(principal: Principal, record: RecordView): Promise<RecordCopy[] | null> {
    if (isWithheld(record, 'copiesSent')) return null;
    const facts = scopeOf(record);
    const readable = await this.reader.readable(principal, facts);
    const own = facts.owningAgencyId === principal.agency.id;
    const [copies, locating] = await Promise.all([
      this.reader.copies(principal, record.id),
      this.childDetails.placesWithheld(principal, record.childId),
    ]);
    const rows = copies.filter(
      (copy) =>
        (own || copy.recipientAgencyId === principal.agency.id) &&
        isReadable(readable, copy.version) &&
        withinHistory(readable, copy.sentAt) &&
        !locating.has(copy.recipientAgencyId),
    );
    return Promise.all(
      rows.map(async (copy) => ({
        id: copy.id,
        version: copy.version,
        recipient: await this.directory.agency(copy.recipientAgencyId),
        sentByName: copy.sentByName,
        sentAt: copy.sentAt,
      })),
    );
  }

  /**
   * Acknowledgements of the versions the caller may read, made before any C3 cut-off: all of them
   * for the owner, to whom they answer, the caller's own agency's otherwise (a comment is the
   * acknowledging agency's words, shared with the owner, not with every agency the owner shares
   * the record with); under C10 none by an agency where the child is or was. Null when withheld.
   */
  async acknowledgements(principal: Principal, record: RecordView): Promise<RecordAcknowledgement[] | null> {
    if (isWithheld(record, 'acknowledgements')) return null;
    const facts = scopeOf(record);
    const own = facts.owningAgencyId === principal.agency.id;
    const [readable, locating] = await Promise.all([
      this.reader.readable(principal, facts),
      this.childDetails.placesWithheld(principal, record.childId),
    ]);
    const all = await this.loaders
      .loader<string, RecordAcknowledgement[]>(principal, 'acknowledgements', async (ids) => {
        const rows = await this.records.acknowledgementsFor(ids);
        const grouped = groupBy(ids, rows, (row) => row.recordId);
        return Promise.all(grouped.map((group) => Promise.all(group.map((row) => toAcknowledgement(row, this.directory)))));
      })
      .load(record.id);
    return all.filter(
      (acknowledgement) =>
        (own || acknowledgement.agency.id === principal.agency.id) &&
        isReadable(readable, acknowledgement.version) &&
        withinHistory(readable, acknowledgement.createdAt) &&
        !locating.has(acknowledgement.agency.id),
    );
  }

  /** Signatures of the versions the caller may read, made before any C3 cut-off; under C10 none by an agency where the child is or was. */
  private async signatures(
    principal: Principal,
    record: { readonly id: string; readonly childId: string },
    readable: Readable,
  ): Promise<RecordSignature[]> {
    const [rows, locating] = await Promise.all([
      this.loaders
        .loader<string, RecordSignatureEntity[]>(principal, 'signatures', async (ids) =>
          groupBy(ids, await this.lifecycleRows.signaturesFor(ids), (row) => row.recordId),
        )
        .load(record.id),
      this.childDetails.placesWithheld(principal, record.childId),
    ]);
    return Promise.all(
      rows
        .filter(
          (row) =>
            isReadable(readable, row.version) && withinHistory(readable, row.signedAt) && !locating.has(row.signerAgencyId),
        )
        .map(async (row) => ({
          id: row.id,
          version: row.version,
          name: row.signerName,
          role: roleOf(row.signerRole),
          agency: await this.directory.agency(row.signerAgencyId),
          decision: row.decision,
          reason: row.reason,
          signedAt: row.signedAt,
        })),
    );
  }
}

const ROLES: ReadonlyMap<string, Role> = new Map(Object.values(Role).map((role) => [role, role]));

function roleOf(value: string): Role {
  const role = ROLES.get(value);
  if (!role) throw new Error(`Unknown signer role ${value}`);
  return role;
}
