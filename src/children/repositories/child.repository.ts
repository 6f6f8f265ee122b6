import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ChildEntity, type StoredChildName } from 'src/children/entities/child.entity.js';
import type { RecordedSex } from 'src/identity/child-description.js';
import { ChildIdentifierEntity } from 'src/children/entities/child-identifier.entity.js';
import { PlacementEntity } from 'src/children/entities/placement.entity.js';
import type { IdentityColumns } from 'src/children/child-identity.js';
import { jsonRowsOf, Sql, statement, StatementTexts } from 'src/common/database/sql.js';
import { newestEntries } from 'src/disclosure/entry-query.js';
import type { LoggedEntry } from 'src/disclosure/response-log.js';
import { type AccessCaller, type AccessRow, childAccessJoin, childAccessJoinOn } from 'src/policy/access.repository.js';
import { type EpisodeJson, episodeOfJson, historyJson } from 'src/children/repositories/legal-status.repository.js';
import type { LegalStatusEpisodeEntity } from 'src/children/entities/legal-status-episode.entity.js';

const CHILD_COLUMNS = `c.id, c.given_name, c.family_name, to_char(c.date_of_birth, 'YYYY-MM-DD') AS date_of_birth, c.sex, c.other_names, c.nhs_number,
  c.pnc_id, c.upn, c.identifiers_agency_id, c.merged_into_id, c.version, c.created_at, c.updated_at`;

const CHILD_BY_ID = statement('tandem_child_by_id', jsonRowsOf(`SELECT ${CHILD_COLUMNS} FROM child c WHERE c.id = $1`));

/**
 * The child's legal-status history when the caller has a relationship with it: a child the caller
 * may not see costs the same as one that does not exist (a break-glass reader's is read on its own).
 */
const LEGAL_STATUS_IF_CONNECTED = `CASE WHEN access.allocated OR access.team OR access.involved THEN ${historyJson('c.id')} END`;

/**
 * The child, the caller's connection to it and its legal-status history, in one round trip: the
 * look-up of every read of a child by id. Whether or not the child exists, the same statement runs
 * (on the id asked for). The history is read for the policy to cut (it leaves only with a read).
 */
const CHILD_WITH_ACCESS = statement(
  'tandem_child_with_access',
  jsonRowsOf(`SELECT ${CHILD_COLUMNS}, to_json(access) AS access, ${LEGAL_STATUS_IF_CONNECTED} AS legal_status
   FROM (SELECT $1::uuid AS id) wanted
   LEFT JOIN child c ON c.id = wanted.id
   ${childAccessJoin('wanted.id', 2)}`),
);

/**
 * CHILD_WITH_ACCESS with more columns (`extra`, each an expression over `wanted.id` and `access`
 * with `:name` parameters), built per read: the caller from `:ra_subject`, `:ra_agency` and
 * `:ra_grace`, the id from `:ra_child`.
 */
function childWithAccessAnd(extra: readonly string[]): string {
  return jsonRowsOf(`SELECT ${CHILD_COLUMNS}, to_json(access) AS access, ${LEGAL_STATUS_IF_CONNECTED} AS legal_status${extra
    .map((column, index) => `, ${column} AS read_ahead_${index}`)
    .join('')}
   FROM (SELECT :ra_child::uuid AS id) wanted
   LEFT JOIN child c ON c.id = wanted.id
   ${childAccessJoinOn('wanted.id', [':ra_subject', ':ra_agency', ':ra_grace'])}`);
}

/** The look-ups with read-ahead columns, by their columns' text (each a kept text itself). */
const LOOK_UP_TEXTS = new StatementTexts();

/** The same by a case system's reference: `$1` the case system, `$2` the reference; the caller from `$3`. */
const CHILD_BY_REFERENCE_WITH_ACCESS = statement(
  'tandem_child_by_reference_with_access',
  jsonRowsOf(`SELECT ${CHILD_COLUMNS}, to_json(access) AS access, ${LEGAL_STATUS_IF_CONNECTED} AS legal_status
   FROM (SELECT (SELECT ci.child_id FROM child_identifier ci WHERE ci.case_system_id = $1::uuid AND ci.value = $2 LIMIT 1) AS id) wanted
   LEFT JOIN child c ON c.id = wanted.id
   ${childAccessJoin("coalesce(wanted.id, '00000000-0000-0000-0000-000000000000'::uuid)", 3)}`),
);

/** A child found by a look-up, the caller's connection to it, and its legal-status history. */
export interface LookedUpChild {
  readonly child: ChildEntity | null;
  readonly access: AccessRow | null;
  /** Null when the statement did not read it (the caller has no relationship with the child). */
  readonly legalStatus: readonly LegalStatusEpisodeEntity[] | null;
}

type LookUpRow = ChildRow & { readonly access: AccessRow | null; readonly legal_status: EpisodeJson[] | null };

function lookedUpOf(row: LookUpRow | undefined): LookedUpChild {
  return {
    child: row?.id ? childOf(row, row.id) : null,
    access: row?.access ?? null,
    legalStatus: row?.legal_status ? row.legal_status.map(episodeOfJson) : null,
  };
}

/**
 * A child's row as the look-ups read it (as JSON: its times are ISO text); `id` is null when a
 * look-up found no child.
 */
interface ChildRow extends Omit<MatchCandidateRow, 'id'> {
  readonly id: string | null;
  readonly identifiers_agency_id: string | null;
  readonly merged_into_id: string | null;
  readonly version: number;
  readonly created_at: string;
  readonly updated_at: string;
}

/** What a child row says of who the child is (a match candidate's fields). */
function identityOf(row: Omit<MatchCandidateRow, 'id'>, id: string): MatchCandidate {
  return {
    id,
    givenName: row.given_name,
    familyName: row.family_name,
    dateOfBirth: row.date_of_birth,
    sex: row.sex,
    otherNames: row.other_names,
    nhsNumber: row.nhs_number,
    pncId: row.pnc_id,
    upn: row.upn,
  };
}

function childOf(row: ChildRow, id: string): ChildEntity {
  // Two sources, not `{ ...identityOf(row, id), … }`: a spread followed by more properties takes
  // V8 (Node 20) microseconds an object (docs/TOOLCHAIN.md).
  return Object.assign(new ChildEntity(), identityOf(row, id), {
    identifiersAgencyId: row.identifiers_agency_id,
    mergedIntoId: row.merged_into_id,
    version: row.version,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  });
}

/** What the matcher reads of a candidate child. */
export type MatchCandidate = Pick<
  ChildEntity,
  'id' | 'givenName' | 'familyName' | 'dateOfBirth' | 'sex' | 'otherNames' | 'nhsNumber' | 'pncId' | 'upn'
>;

/** A candidate as read for matching: with the agency that recorded its identifiers, whose they are to disclose. */
export type FoundCandidate = MatchCandidate & { readonly identifiersAgencyId: string | null };

/** What a child's row says of who the child is. */
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
  ): Promise<FoundCandidate[]> {
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
    const rows = await this.dataSource.query<(MatchCandidateRow & { identifiers_agency_id: string | null })[]>(
      `SELECT c.id, c.given_name, c.family_name, to_char(c.date_of_birth, 'YYYY-MM-DD') AS date_of_birth, c.sex::text AS sex,
              c.other_names, c.nhs_number, c.pnc_id, c.upn, c.identifiers_agency_id
         FROM child c WHERE c.merged_into_id IS NULL AND (${arms.join(' OR ')})`,
      parameters,
    );
    return rows.map((row) => Object.assign(identityOf(row, row.id), { identifiersAgencyId: row.identifiers_agency_id }));
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
   * The log's entries that may say Tandem told this case system, since `since`, that the child was
   * a confident match for a description it gave (CHILD_MATCH receipts, by the child's index): JSON
   * receipts of that kind, and every disclosure of the child to it stored compact (whose record
   * kind is in the bytes), newest first, `limit` at a time.
   */
  matchReceiptCandidates(
    match: { childId: string; caseSystemId: string; since: Date },
    limit: number,
    beforeId?: string,
  ): Promise<LoggedEntry[]> {
    return this.dataSource.query<LoggedEntry[]>(
      newestEntries(
        `r.child_id = $1 AND r.children @> ARRAY[$1]::uuid[] AND r.case_system_id = $2 AND r.outcome = 'DISCLOSED'
          AND r.recorded_at >= $3 AND (r.record_kind = 'CHILD_MATCH' OR r.compact)
          AND ($5::bigint IS NULL OR (r.base <= $5::bigint AND r.id < $5::bigint))`,
        '$4',
      ),
      [match.childId, match.caseSystemId, match.since, limit, beforeId ?? null],
    );
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
  async lookUpById(childId: string, access: readonly unknown[]): Promise<LookedUpChild> {
    const [row] = await this.sql.jsonRows<LookUpRow>(CHILD_WITH_ACCESS, [childId, ...access]);
    return lookedUpOf(row);
  }

  /**
   * lookUpById with more columns read in the same statement (`extra`, see childWithAccessAnd) for
   * `caller` (as PolicyService.accessCaller gives it); their values in the order given (null where none).
   */
  async lookUpByIdWith(
    childId: string,
    caller: AccessCaller,
    extra: readonly { readonly sql: string; readonly parameters: Record<string, unknown> }[],
  ): Promise<LookedUpChild & { readonly extra: readonly unknown[] }> {
    const parameters: Record<string, unknown> = {
      ra_child: childId,
      ra_subject: caller.subject,
      ra_agency: caller.agencyId,
      ra_grace: caller.graceDate,
    };
    for (const column of extra)
      for (const [name, value] of Object.entries(column.parameters)) {
        // Two columns naming one parameter with two values would read one of them with the other's.
        if (name in parameters && parameters[name] !== value)
          throw new Error(`Read-ahead columns give parameter ${name} two values`);
        parameters[name] = value;
      }
    const columns = extra.map((column) => column.sql);
    const text = LOOK_UP_TEXTS.textOf(columns.length === 1 ? (columns[0] ?? '') : JSON.stringify(columns), '', () =>
      childWithAccessAnd(columns),
    );
    const [row] = await this.sql.dynamicJsonRows<LookUpRow & Record<string, unknown>>(text, parameters);
    return Object.assign(lookedUpOf(row), { extra: extra.map((_, index) => row?.[`read_ahead_${index}`] ?? null) });
  }

  /** The child by a case system's reference, with the caller's connection to it; `access` binds the caller. */
  async lookUpByReference(caseSystemId: string, value: string, access: readonly unknown[]): Promise<LookedUpChild> {
    const [row] = await this.sql.jsonRows<LookUpRow>(CHILD_BY_REFERENCE_WITH_ACCESS, [caseSystemId, value, ...access]);
    return lookedUpOf(row);
  }

  /** By id: one prepared statement, no entity hydration. */
  async findById(childId: string): Promise<ChildEntity | null> {
    const [row] = await this.sql.jsonRows<ChildRow>(CHILD_BY_ID, [childId]);
    return row?.id ? childOf(row, row.id) : null;
  }
}
