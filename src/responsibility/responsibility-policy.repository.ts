import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUniqueViolation } from 'src/common/database/postgres-errors.js';
import { ResponsibilityPolicyChangeEntity } from 'src/responsibility/entities/responsibility-policy-change.entity.js';
import { ResponsibilityPolicyEntity } from 'src/responsibility/entities/responsibility-policy.entity.js';

export type StoredResponsibilityPolicy = Pick<
  ResponsibilityPolicyEntity,
  'id' | 'version' | 'localAuthority' | 'document' | 'checksum'
>;

@Injectable()
export class ResponsibilityPolicyRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  all(): Promise<StoredResponsibilityPolicy[]> {
    return this.dataSource.getRepository(ResponsibilityPolicyEntity).find({ order: { id: 'ASC', version: 'ASC' } });
  }

  /**
   * Stores a new policy version and its audit entry in one transaction; an existing version is
   * never overwritten. Returns false when the version was already there (another instance won).
   */
  async insertVersion(row: StoredResponsibilityPolicy, actor: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const policies = manager.getRepository(ResponsibilityPolicyEntity);
      if (await policies.existsBy({ id: row.id, version: row.version })) return false;
      try {
        await policies.save(policies.create(row));
      } catch (error) {
        // Another instance stored the same version at the same moment.
        if (isUniqueViolation(error)) return false;
        throw error;
      }
      await manager.getRepository(ResponsibilityPolicyChangeEntity).insert({
        policyId: row.id,
        version: row.version,
        checksum: row.checksum,
        action: 'LOADED',
        actor,
      });
      return true;
    });
  }

  changes(): Promise<ResponsibilityPolicyChangeEntity[]> {
    return this.dataSource.getRepository(ResponsibilityPolicyChangeEntity).find({ order: { at: 'ASC' } });
  }
}
