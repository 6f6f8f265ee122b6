import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { RecordCopyEntity } from 'src/records/entities/record-copy.entity.js';
import { RecordSignatureEntity } from 'src/records/entities/record-signature.entity.js';
import { SharedRecordEntity } from 'src/records/entities/shared-record.entity.js';

export type NewSignature = Omit<RecordSignatureEntity, 'id' | 'signedAt' | 'recordVersion' | 'signerAgency'>;
export type NewCopy = Omit<RecordCopyEntity, 'id' | 'sentAt' | 'recordVersion' | 'recipientAgency'>;

/** What happens to a record besides new versions: withdrawal, other agencies' signatures, copies sent. */
@Injectable()
export class RecordLifecycleRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Withdraws the record if it is still at `expectedVersion` and stands; false otherwise. */
  async withdraw(
    manager: EntityManager,
    recordId: string,
    expectedVersion: number,
    withdrawal: { reason: string; name: string; agencyId: string },
  ): Promise<boolean> {
    const result = await manager
      .getRepository(SharedRecordEntity)
      .createQueryBuilder()
      .update()
      .set({
        withdrawnAt: () => 'now()',
        withdrawalReason: withdrawal.reason,
        withdrawnByName: withdrawal.name,
        withdrawnByAgencyId: withdrawal.agencyId,
      })
      .where('id = :recordId AND current_version = :expectedVersion AND withdrawn_at IS NULL', { recordId, expectedVersion })
      .execute();
    return result.affected === 1;
  }

  /** The signature (or copy) already written for this version by (or to) this agency, read under the record's lock. */
  findSignature(
    manager: EntityManager,
    recordId: string,
    version: number,
    agencyId: string,
  ): Promise<RecordSignatureEntity | null> {
    return manager.getRepository(RecordSignatureEntity).findOneBy({ recordId, version, signerAgencyId: agencyId });
  }

  findCopy(manager: EntityManager, recordId: string, version: number, agencyId: string): Promise<RecordCopyEntity | null> {
    return manager.getRepository(RecordCopyEntity).findOneBy({ recordId, version, recipientAgencyId: agencyId });
  }

  /** Signs a version; the caller holds the record's lock and has checked it is not signed yet. */
  sign(manager: EntityManager, row: NewSignature): Promise<RecordSignatureEntity> {
    const signatures = manager.getRepository(RecordSignatureEntity);
    return signatures.save(signatures.create(row));
  }

  /** Records a copy sent; the caller holds the record's lock and has checked it was not sent yet. */
  sendCopy(manager: EntityManager, row: NewCopy): Promise<RecordCopyEntity> {
    const copies = manager.getRepository(RecordCopyEntity);
    return copies.save(copies.create(row));
  }

  /** Locks the record's row for the rest of the transaction and returns it as it is now. */
  lockRecord(manager: EntityManager, recordId: string): Promise<SharedRecordEntity | null> {
    return manager
      .getRepository(SharedRecordEntity)
      .createQueryBuilder('r')
      .setLock('pessimistic_write')
      .where('r.id = :recordId', { recordId })
      .getOne();
  }

  signaturesFor(recordIds: readonly string[]): Promise<RecordSignatureEntity[]> {
    if (recordIds.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(RecordSignatureEntity)
      .createQueryBuilder('s')
      .where('s.record_id IN (:...recordIds)', { recordIds })
      .orderBy('s.signed_at', 'ASC')
      .getMany();
  }

  copiesFor(recordIds: readonly string[]): Promise<RecordCopyEntity[]> {
    if (recordIds.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(RecordCopyEntity)
      .createQueryBuilder('c')
      .where('c.record_id IN (:...recordIds)', { recordIds })
      .orderBy('c.sent_at', 'ASC')
      .getMany();
  }
}
