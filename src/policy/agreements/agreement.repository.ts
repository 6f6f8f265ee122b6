import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUniqueViolation } from 'src/common/database/postgres-errors.js';
import { SharingAgreementChangeEntity } from 'src/policy/entities/sharing-agreement-change.entity.js';
import { SharingAgreementEntity } from 'src/policy/entities/sharing-agreement.entity.js';

@Injectable()
export class AgreementRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  all(): Promise<SharingAgreementEntity[]> {
    return this.dataSource.getRepository(SharingAgreementEntity).find({ order: { id: 'ASC', version: 'ASC' } });
  }

  /**
   * Stores a new agreement version and its audit entry in one transaction; an existing version is
   * never overwritten. Returns false when the version was already there (another instance won).
   */
  async insertVersion(
    row: Pick<SharingAgreementEntity, 'id' | 'version' | 'document' | 'checksum'>,
    actor: string,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const agreements = manager.getRepository(SharingAgreementEntity);
      if (await agreements.existsBy({ id: row.id, version: row.version })) return false;
      try {
        await agreements.save(agreements.create(row));
      } catch (error) {
        // Another instance stored the same version at the same moment.
        if (isUniqueViolation(error)) return false;
        throw error;
      }
      await manager.getRepository(SharingAgreementChangeEntity).insert({
        agreementId: row.id,
        version: row.version,
        checksum: row.checksum,
        action: 'LOADED',
        actor,
      });
      return true;
    });
  }

  changes(): Promise<SharingAgreementChangeEntity[]> {
    return this.dataSource.getRepository(SharingAgreementChangeEntity).find({ order: { at: 'ASC' } });
  }
}
