import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { InvolvementRole } from 'src/vocabulary/children.enums.js';
import { Sql, statement } from 'src/common/database/sql.js';
import type { ChildAccess } from 'src/policy/access-subject.js';
import { Relationship } from 'src/policy/relationship.js';
import { BreakGlassAccessEntity } from 'src/policy/entities/break-glass-access.entity.js';
import { PractitionerAlertEntity } from 'src/policy/entities/practitioner-alert.entity.js';

/** On every look-up of a child: prepared once per connection. */
const CHILD_ACCESS = statement('tandem_child_access', 'SELECT * FROM tandem_child_access($1::uuid[], $2, $3::uuid, $4::date)');

/** A row of tandem_child_access; as JSON (`to_json`) its time is a string. */
export interface AccessRow {
  readonly id: string;
  readonly allocated: boolean;
  readonly team: boolean;
  readonly involved: boolean;
  readonly agency_roles: InvolvementRole[];
  readonly contact_restricted: boolean;
  readonly investigation_since: Date | string | null;
  readonly allocation_ended: boolean;
  readonly child_involvements: string[];
}

/**
 * The caller's connection to the child whose id is `$<first>` (a uuid), as a LATERAL join for a
 * statement that reads the child itself: `to_json(access)` is null when the caller has none.
 * Parameters `$<first+1>`..`$<first+3>`: the caller's subject, agency and the grace date.
 */
export function childAccessJoin(childId: string, first: number): string {
  return childAccessJoinOn(childId, [`$${first}`, `$${first + 1}`, `$${first + 2}`]);
}

/** The same join with the caller's subject, agency and grace date written as `caller` gives them (e.g. TypeORM `:name`s). */
export function childAccessJoinOn(childId: string, caller: readonly [subject: string, agency: string, grace: string]): string {
  const [subject, agency, grace] = caller;
  return `LEFT JOIN LATERAL tandem_child_access(ARRAY[${childId}], ${subject}, ${agency}::uuid, ${grace}::date) access ON true`;
}

/** Who asks, as the access join decides it: the caller's subject and agency, and the request's grace date. */
export interface AccessCaller {
  readonly subject: string;
  readonly agencyId: string;
  readonly graceDate: string;
}

/** The caller the access join takes, in its parameter order. */
export function childAccessParameters(caller: AccessCaller): unknown[] {
  return [caller.subject, caller.agencyId, caller.graceDate];
}

export function toChildAccess(row: AccessRow): ChildAccess {
  return {
    relationship: [
      ...(row.allocated ? [Relationship.ALLOCATED] : []),
      ...(row.team ? [Relationship.TEAM] : []),
      ...(row.involved ? [Relationship.INVOLVEMENT] : []),
    ],
    agencyRoles: row.agency_roles,
    contactRestricted: row.contact_restricted,
    policeInvestigationSince: row.investigation_since ? new Date(row.investigation_since) : null,
    allocationEnded: row.allocation_ended,
    childInvolvements: row.child_involvements,
  };
}

/** What became of a break-glass read: a new grant, one still in its time box, or refused over the hourly rate. */
export type BreakGlassOutcome = 'GRANTED' | 'HELD' | 'OVER_RATE';

/** The caller's connection to children, read in one statement for a batch of children. */
@Injectable()
export class AccessRepository {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Sql) private readonly sql: Sql,
  ) {}

  async forChildren(childIds: readonly string[], caller: AccessCaller): Promise<Map<string, ChildAccess>> {
    const rows = await this.sql.rows<AccessRow>(CHILD_ACCESS, [childIds, ...childAccessParameters(caller)]);
    return new Map(rows.map((row) => [row.id, toChildAccess(row)]));
  }

  /** The children the caller read under break-glass since `since`. */
  async recentBreakGlass(subject: string, since: Date): Promise<string[]> {
    const rows = await this.dataSource.query<{ child_id: string }[]>(
      'SELECT DISTINCT child_id FROM break_glass_access WHERE subject = $1 AND granted_at > $2',
      [subject, since],
    );
    return rows.map((row) => row.child_id);
  }

  /**
   * Records a break-glass read unless one by the same caller for the same child is still within
   * its time box, and tells the child's allocated workers. One caller's grants are made one at a
   * time (advisory lock), so parallel requests cannot pass the hourly rate together.
   */
  async recordBreakGlass(
    entry: Omit<BreakGlassAccessEntity, 'id'>,
    alert: string,
    rate: { readonly maxChildren: number; readonly since: Date },
  ): Promise<BreakGlassOutcome> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('break-glass:' || $1))`, [entry.subject]);
      const current = await manager
        .getRepository(BreakGlassAccessEntity)
        .createQueryBuilder('b')
        // Held by this caller at this agency: the same subject at another agency is someone else.
        .where('b.child_id = :childId AND b.subject = :subject AND b.agency_id = :agencyId AND b.expires_at > now()', entry)
        .getExists();
      if (current) return 'HELD';
      const recent = await recentGrants(manager, entry.subject, entry.childId, rate.since);
      if (!recent.held && recent.children >= rate.maxChildren) return 'OVER_RATE';
      await manager.getRepository(BreakGlassAccessEntity).insert(entry);
      const workers = await manager.query<{ practitioner_id: string }[]>(
        'SELECT DISTINCT practitioner_id FROM worker_allocation WHERE child_id = $1 AND end_date IS NULL',
        [entry.childId],
      );
      if (workers.length > 0) {
        await manager.getRepository(PractitionerAlertEntity).insert(
          workers.map((worker) => ({
            practitionerId: worker.practitioner_id,
            childId: entry.childId,
            kind: 'BREAK_GLASS',
            message: alert,
          })),
        );
      }
      return 'GRANTED';
    });
  }

  /** The agencies with an open involvement with a child. */
  async involvedAgencyIds(childId: string): Promise<string[]> {
    const rows = await this.dataSource.query<{ agency_id: string }[]>(
      'SELECT DISTINCT agency_id FROM agency_involvement WHERE child_id = $1 AND end_date IS NULL ORDER BY agency_id',
      [childId],
    );
    return rows.map((row) => row.agency_id);
  }

  /** Whether the user holds an open allocation to the child in this role. */
  async isAllocated(
    childId: string,
    caller: { readonly subject: string; readonly agencyId: string },
    role: string,
  ): Promise<boolean> {
    // The practitioner allocated is the caller at the caller's agency, not whoever else carries the subject.
    const [row] = await this.dataSource.query<{ allocated: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM worker_allocation wa JOIN practitioner p ON p.id = wa.practitioner_id
                      WHERE wa.child_id = $1 AND p.subject = $2 AND p.agency_id = $4 AND wa.role::text = $3 AND wa.end_date IS NULL) AS allocated`,
      [childId, caller.subject, role, caller.agencyId],
    );
    return row?.allocated ?? false;
  }
}

async function recentGrants(
  manager: EntityManager,
  subject: string,
  childId: string,
  since: Date,
): Promise<{ children: number; held: boolean }> {
  const [row] = await manager.query<{ children: number; held: boolean }[]>(
    `SELECT count(DISTINCT child_id)::int AS children, coalesce(bool_or(child_id = $2), false) AS held
     FROM break_glass_access WHERE subject = $1 AND granted_at > $3`,
    [subject, childId, since],
  );
  return row ?? { children: 0, held: false };
}
