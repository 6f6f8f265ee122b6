import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ChildEntity, type StoredChildName } from 'src/children/entities/child.entity.js';
import { ChildMergeEntity, type MovedRows } from 'src/children/entities/child-merge.entity.js';

/**
 * What follows the surviving child, table by table, and the condition that keeps a row behind:
 * one the survivor already has an open equivalent of (the "one open" unique indexes), which stays
 * with the merged child as that duplicate's own history. Shared records and restrictions (C3, C10)
 * belong to the records and policy wings but must follow, or a restriction would stop applying;
 * receipts, notifications and break-glass grants are history and keep the id they were made with.
 */
const MOVES: readonly { readonly table: string; readonly keepBehind: string | null }[] = [
  {
    table: 'child_identifier',
    keepBehind: 'EXISTS (SELECT 1 FROM child_identifier s WHERE s.child_id = $2 AND s.case_system_id = t.case_system_id)',
  },
  {
    table: 'agency_involvement',
    keepBehind: `t.end_date IS NULL AND EXISTS (SELECT 1 FROM agency_involvement s WHERE s.child_id = $2 AND s.agency_id = t.agency_id AND s.role = t.role AND s.end_date IS NULL)`,
  },
  {
    table: 'worker_allocation',
    keepBehind: `t.end_date IS NULL AND EXISTS (SELECT 1 FROM worker_allocation s WHERE s.child_id = $2 AND s.practitioner_id = t.practitioner_id AND s.role = t.role AND s.end_date IS NULL)`,
  },
  {
    table: 'legal_status_episode',
    keepBehind: `t.end_date IS NULL AND EXISTS (SELECT 1 FROM legal_status_episode s WHERE s.child_id = $2 AND s.dimension = t.dimension AND s.end_date IS NULL)`,
  },
  {
    table: 'placement',
    keepBehind: `t.status = 'CURRENT' AND EXISTS (SELECT 1 FROM placement s WHERE s.child_id = $2 AND s.status = 'CURRENT')`,
  },
  {
    table: 'child_referral',
    keepBehind: `t.status = 'PENDING' AND EXISTS (SELECT 1 FROM child_referral s WHERE s.child_id = $2 AND s.to_agency_id = t.to_agency_id AND s.role = t.role AND s.status = 'PENDING')`,
  },
  { table: 'shared_record', keepBehind: null },
  { table: 'child_restriction', keepBehind: null },
];

/** The child columns a merge may fill on the survivor from the merged child (when the survivor has none). */
export const IDENTIFIER_COLUMNS = ['nhs_number', 'pnc_id', 'upn'] as const;
export type IdentifierColumn = (typeof IDENTIFIER_COLUMNS)[number];

@Injectable()
export class ChildMergeRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Both children, locked for the change, so two merges of one child cannot interleave. */
  async lockChildren(manager: EntityManager, ids: readonly string[]): Promise<ChildEntity[]> {
    return manager
      .getRepository(ChildEntity)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.id IN (:...ids)', { ids })
      .orderBy('c.id')
      .getMany();
  }

  /** Moves every row that may follow from `fromId` to `toId`; the ids moved, per table. */
  async moveAll(manager: EntityManager, fromId: string, toId: string): Promise<Record<string, string[]>> {
    const moved: Record<string, string[]> = {};
    for (const { table, keepBehind } of MOVES) {
      const rows = await manager.query<{ id: string }[]>(
        `UPDATE ${table} t SET child_id = $2 WHERE t.child_id = $1${keepBehind ? ` AND NOT (${keepBehind})` : ''} RETURNING t.id`,
        [fromId, toId],
      );
      // node-postgres returns [rows, count] for UPDATE … RETURNING through TypeORM's query runner.
      const ids = normaliseRows(rows);
      if (ids.length > 0) moved[table] = ids;
    }
    return moved;
  }

  /** Moves back exactly the rows a merge moved (those still on the survivor). */
  async moveBack(manager: EntityManager, moved: MovedRows, survivorId: string, mergedId: string): Promise<void> {
    for (const { table } of MOVES) {
      const ids = moved[table];
      if (!ids || ids.length === 0) continue;
      await manager.query(`UPDATE ${table} SET child_id = $2 WHERE child_id = $1 AND id = ANY($3::uuid[])`, [
        survivorId,
        mergedId,
        ids,
      ]);
    }
  }

  async setChild(
    manager: EntityManager,
    childId: string,
    patch: Partial<Pick<ChildEntity, 'mergedIntoId' | 'otherNames' | 'nhsNumber' | 'pncId' | 'upn' | 'identifiersAgencyId'>>,
  ): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(ChildEntity)
      .set({ ...patch, version: () => 'version + 1', updatedAt: () => 'now()' })
      .where('id = :childId', { childId })
      .execute();
  }

  insert(
    manager: EntityManager,
    merge: Omit<ChildMergeEntity, 'id' | 'mergedAt' | 'undoneAt' | 'undoneBy'>,
  ): Promise<ChildMergeEntity> {
    const repository = manager.getRepository(ChildMergeEntity);
    return repository.save(repository.create({ ...merge, undoneAt: null, undoneBy: null }));
  }

  findById(id: string): Promise<ChildMergeEntity | null> {
    return this.dataSource.getRepository(ChildMergeEntity).findOneBy({ id });
  }

  /** Marks the merge undone, unless someone did meanwhile; whether this call did. */
  async markUndone(manager: EntityManager, id: string, by: string): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(ChildMergeEntity)
      .set({ undoneAt: () => 'now()', undoneBy: by })
      .where('id = :id AND undone_at IS NULL', { id })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** The ids merged into this child, directly or through earlier merges, while those merges stand. */
  async mergedInto(childId: string): Promise<string[]> {
    const rows = await this.dataSource.query<{ merged_id: string }[]>(
      `WITH RECURSIVE merged(id) AS (
         SELECT merged_id FROM child_merge WHERE survivor_id = $1 AND undone_at IS NULL
         UNION SELECT m.merged_id FROM child_merge m JOIN merged ON m.survivor_id = merged.id WHERE m.undone_at IS NULL
       ) SELECT id AS merged_id FROM merged`,
      [childId],
    );
    return rows.map((row) => row.merged_id);
  }
}

/** The names a merge adds to the survivor's other names: the merged child's own and its other names, new ones only. */
export function namesToAdd(survivor: ChildEntity, merged: ChildEntity): StoredChildName[] {
  const key = (name: StoredChildName) => `${name.givenNames?.toLowerCase() ?? ''}|${name.familyName?.toLowerCase() ?? ''}`;
  const known = new Set([
    key({ givenNames: survivor.givenName, familyName: survivor.familyName }),
    ...survivor.otherNames.map(key),
  ]);
  const added: StoredChildName[] = [];
  for (const name of [{ givenNames: merged.givenName, familyName: merged.familyName }, ...merged.otherNames]) {
    if (!known.has(key(name))) {
      known.add(key(name));
      added.push(name);
    }
  }
  return added;
}

function normaliseRows(result: unknown): string[] {
  const rows = Array.isArray(result) && Array.isArray(result[0]) ? (result[0] as unknown[]) : (result as unknown[]);
  return rows.flatMap((row) => (row && typeof row === 'object' && 'id' in row && typeof row.id === 'string' ? [row.id] : []));
}
