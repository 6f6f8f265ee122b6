import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ChildEntity, type StoredChildName } from 'src/children/entities/child.entity.js';
import type { RecordedSex } from 'src/identity/child-description.js';
import { ChildIdentifierEntity } from 'src/children/entities/child-identifier.entity.js';
import { PlacementEntity } from 'src/children/entities/placement.entity.js';
import type { IdentityColumns } from 'src/children/child-identity.js';
import { Sql, statement } from 'src/common/database/sql.js';
import { type AccessRow, childAccessJoin } from 'src/policy/access.repository.js';

const CHILD_COLUMNS = `c.id, c.given_name, c.family_name, c.date_of_birth::text AS date_of_birth, c.sex, c.other_names, c.nhs_number,
  c.pnc_id, c.upn, c.identifiers_agency_id, c.merged_into_id, c.version, c.created_at, c.updated_at`;

const CHILD_BY_ID = statement('tandem_child_by_id', `SELECT ${CHILD_COLUMNS} FROM child c WHERE c.id = $1`);

/**
 * The child and the caller's connection to it, in one round trip: the look-up of every read of a
 * child. Whether or not the child exists, the same statement runs (on the id asked for).
 */
const CHILD_WITH_ACCESS = statement(
  'tandem_child_with_access',
  `SELECT ${CHILD_COLUMNS}, to_json(access) AS access
   FROM (SELECT $1::uuid AS id) wanted
   LEFT JOIN child c ON c.id = wanted.id
   ${childAccessJoin('wanted.id', 2)}`,
);

interface ChildRow {
  readonly id: string | null;
  readonly given_name: string;
  readonly family_name: string;
  readonly date_of_birth: string;
  readonly sex: RecordedSex | null;
  readonly other_names: StoredChildName[];
  readonly nhs_number: string | null;
  readonly pnc_id: string | null;
  readonly upn: string | null;
  readonly identifiers_agency_id: string | null;
  readonly merged_into_id: string | null;
  readonly version: number;
  readonly created_at: Date;
  readonly updated_at: Date;
}

function childOf(row: ChildRow & { readonly id: string }): ChildEntity {
  return Object.assign(new ChildEntity(), {
    id: row.id,
    givenName: row.given_name,
    familyName: row.family_name,
    dateOfBirth: row.date_of_birth,
    sex: row.sex,
    otherNames: row.other_names,
    nhsNumber: row.nhs_number,
    pncId: row.pnc_id,
    upn: row.upn,
    identifiersAgencyId: row.identifiers_agency_id,
    mergedIntoId: row.merged_into_id,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

/** What the matcher reads of a candidate child. */
export type MatchCandidate = Pick<
  ChildEntity,
  'id' | 'givenName' | 'familyName' | 'dateOfBirth' | 'sex' | 'otherNames' | 'nhsNumber' | 'pncId' | 'upn'
>;

interface MatchCandidateRow {
  readonly id: string;
  readonly given_name: string;
  readonly family_name: string;
  readonly date_of_birth: string;
  readonly sex: RecordedSex | null;
  readonly other_names: StoredChildName[];
  readonly nhs_number: string | null;
  readonly pnc_id: string | null;
  readonly upn: string | null;
}

/** The policy's row filter, written against `c.id`. */
export interface ChildFilter {
  readonly sql: string;
  readonly params: Record<string, unknown>;
}

@Injectable()
export class ChildRepository {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Sql) private readonly sql: Sql,
  ) {}

  /** The child, if the filter lets the caller see it; otherwise null (as if it did not exist). */
  findVisible(childId: string, filter: ChildFilter): Promise<ChildEntity | null> {
    return this.dataSource
      .getRepository(ChildEntity)
      .createQueryBuilder('c')
      .where('c.id = :childId', { childId })
      .andWhere(filter.sql, filter.params)
      .getOne();
  }

  findByReference(caseSystemId: string, value: string): Promise<ChildEntity | null> {
    return this.dataSource
      .getRepository(ChildEntity)
      .createQueryBuilder('c')
      .innerJoin(ChildIdentifierEntity, 'ci', 'ci.child_id = c.id')
      .where('ci.case_system_id = :caseSystemId AND ci.value = :value', { caseSystemId, value })
      .getOne();
  }

  /** Children with this name and date of birth (letter case aside), at most ten. */
  findByIdentity(givenName: string, familyName: string, dateOfBirth: string): Promise<ChildEntity[]> {
    return this.dataSource
      .getRepository(ChildEntity)
      .createQueryBuilder('c')
      .where(
        'c.date_of_birth = :dateOfBirth AND lower(c.given_name) = lower(:givenName) AND lower(c.family_name) = lower(:familyName) AND c.merged_into_id IS NULL',
        {
          dateOfBirth,
          givenName,
          familyName,
        },
      )
      .orderBy('c.id')
      .limit(10)
      .getMany();
  }

  /** Children the filter lets the caller see, by family name then id, after a keyset cursor. */
  pageVisible(filter: ChildFilter, limit: number, after: { sortKey: string; id: string } | undefined): Promise<ChildEntity[]> {
    const query = this.dataSource
      .getRepository(ChildEntity)
      .createQueryBuilder('c')
      .where(filter.sql, filter.params)
      .andWhere('c.merged_into_id IS NULL')
      .orderBy('c.family_name', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .limit(limit);
    if (after) query.andWhere('(c.family_name, c.id) > (:sortKey, :id)', after);
    return query.getMany();
  }

  identifiersFor(childIds: readonly string[]): Promise<ChildIdentifierEntity[]> {
    return this.dataSource
      .getRepository(ChildIdentifierEntity)
      .createQueryBuilder('ci')
      .where('ci.child_id IN (:...childIds)', { childIds })
      .orderBy('ci.created_at', 'ASC')
      .getMany();
  }

  referenceTaken(manager: EntityManager, caseSystemId: string, value: string): Promise<boolean> {
    return manager.getRepository(ChildIdentifierEntity).exists({ where: { caseSystemId, value } });
  }

  async insert(
    manager: EntityManager,
    child: Pick<ChildEntity, 'givenName' | 'familyName' | 'dateOfBirth'> & IdentityColumns,
    reference: { caseSystemId: string; value: string },
  ): Promise<ChildEntity> {
    const saved = await manager.getRepository(ChildEntity).save(manager.getRepository(ChildEntity).create(child));
    await manager.getRepository(ChildIdentifierEntity).insert({ childId: saved.id, ...reference });
    return saved;
  }

  /** Applies the change only if the version is still `expectedVersion`; returns whether it did. */
  async updateDetails(
    manager: EntityManager,
    childId: string,
    expectedVersion: number,
    patch: Partial<Pick<ChildEntity, 'givenName' | 'familyName' | 'dateOfBirth'>> & IdentityColumns,
  ): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(ChildEntity)
      .set({ ...patch, version: () => 'version + 1', updatedAt: () => 'now()' })
      .where('id = :childId AND version = :expectedVersion', { childId, expectedVersion })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /**
   * Children a match request must score: born on one of `datesOfBirth` (the date given and its
   * keying slips) or carrying one of the identifiers, merged ones aside. Each arm uses its index
   * (date of birth, or the identifier's partial index), so no request reads the whole table.
   */
  async matchCandidates(
    datesOfBirth: readonly string[],
    identifiers: { nhsNumber: string | null; pncId: string | null; upn: string | null },
  ): Promise<MatchCandidate[]> {
    const parameters: unknown[] = [datesOfBirth];
    const arms = ['c.date_of_birth = ANY($1::date[])'];
    for (const [column, value] of [
      ['nhs_number', identifiers.nhsNumber],
      ['pnc_id', identifiers.pncId],
      ['upn', identifiers.upn],
    ] as const) {
      if (!value) continue;
      parameters.push(value);
      arms.push(`c.${column} = $${parameters.length}`);
    }
    // Plain rows, not entities: a request reads hundreds of candidates, and hydrating each costs more than scoring it.
    const rows = await this.dataSource.query<MatchCandidateRow[]>(
      `SELECT c.id, c.given_name, c.family_name, to_char(c.date_of_birth, 'YYYY-MM-DD') AS date_of_birth, c.sex::text AS sex,
              c.other_names, c.nhs_number, c.pnc_id, c.upn
         FROM child c WHERE c.merged_into_id IS NULL AND (${arms.join(' OR ')})`,
      parameters,
    );
    return rows.map((row) => ({
      id: row.id,
      givenName: row.given_name,
      familyName: row.family_name,
      dateOfBirth: row.date_of_birth,
      sex: row.sex,
      otherNames: row.other_names,
      nhsNumber: row.nhs_number,
      pncId: row.pnc_id,
      upn: row.upn,
    }));
  }

  /** Every postcode each child's placements (current, planned and past) hold: its address history. */
  async postcodesOf(childIds: readonly string[]): Promise<Map<string, string[]>> {
    const byChild = new Map<string, string[]>();
    if (childIds.length === 0) return byChild;
    const rows = await this.dataSource
      .getRepository(PlacementEntity)
      .createQueryBuilder('p')
      .select(['p.childId', 'p.postcode'])
      .where('p.child_id IN (:...childIds)', { childIds })
      .andWhere('p.postcode IS NOT NULL')
      .getMany();
    for (const row of rows) {
      if (!row.postcode) continue;
      const postcodes = byChild.get(row.childId) ?? [];
      if (!postcodes.includes(row.postcode)) postcodes.push(row.postcode);
      byChild.set(row.childId, postcodes);
    }
    return byChild;
  }

  /** Adds a case-system reference to a child (the unique indexes refuse a second one per system); its id. */
  async addReference(
    manager: EntityManager,
    reference: { childId: string; caseSystemId: string; value: string },
  ): Promise<string> {
    const saved = await manager
      .getRepository(ChildIdentifierEntity)
      .save(manager.getRepository(ChildIdentifierEntity).create(reference));
    return saved.id;
  }

  /**
   * Whether Tandem told this case system, since `since`, that the child was a confident match for
   * a description it gave (the disclosure log's CHILD_MATCH receipts, by the child's index).
   */
  async confidentMatchDisclosed(childId: string, caseSystemId: string, since: Date): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM disclosure_receipt
        WHERE child_id = $1 AND case_system_id = $2 AND record_kind = 'CHILD_MATCH' AND outcome = 'DISCLOSED' AND recorded_at >= $3
        LIMIT 1`,
      [childId, caseSystemId, since],
    );
    return rows.length > 0;
  }

  /** Whether the child already has a reference in that case system. */
  hasReferenceIn(manager: EntityManager, childId: string, caseSystemId: string): Promise<boolean> {
    return manager.getRepository(ChildIdentifierEntity).exists({ where: { childId, caseSystemId } });
  }

  findByIds(childIds: readonly string[]): Promise<ChildEntity[]> {
    if (childIds.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(ChildEntity)
      .createQueryBuilder('c')
      .where('c.id IN (:...childIds)', { childIds })
      .getMany();
  }

  /** The child by id, with the caller's connection to it (see CHILD_WITH_ACCESS); `access` binds the caller. */
  async findByIdWithAccess(
    childId: string,
    access: readonly unknown[],
  ): Promise<{ child: ChildEntity | null; access: AccessRow | null }> {
    const [row] = await this.sql.rows<ChildRow & { access: AccessRow | null }>(CHILD_WITH_ACCESS, [childId, ...access]);
    return { child: row?.id ? childOf({ ...row, id: row.id }) : null, access: row?.access ?? null };
  }

  /** By id: one prepared statement, no entity hydration. */
  async findById(childId: string): Promise<ChildEntity | null> {
    const [row] = await this.sql.rows<ChildRow>(CHILD_BY_ID, [childId]);
    return row?.id ? childOf({ ...row, id: row.id }) : null;
  }
}
