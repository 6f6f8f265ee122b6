import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { InvolvementRole } from 'src/vocabulary/children.enums.js';
import type { ChildAccess } from 'src/policy/access-subject.js';
import { Relationship } from 'src/policy/relationship.js';
import { BreakGlassAccessEntity } from 'src/policy/entities/break-glass-access.entity.js';
import { PractitionerAlertEntity } from 'src/policy/entities/practitioner-alert.entity.js';

interface AccessRow {
  id: string;
  allocated: boolean;
  team: boolean;
  involved: boolean;
  agency_roles: InvolvementRole[];
  contact_restricted: boolean;
  investigation_since: Date | null;
  allocation_ended: boolean;
}

/** The caller's connection to children, read in one statement for a batch of children. */
@Injectable()
export class AccessRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async forChildren(
    childIds: readonly string[],
    caller: { subject: string; agencyId: string },
    graceDate: string,
  ): Promise<Map<string, ChildAccess>> {
    const rows = await this.dataSource.query<AccessRow[]>(
      'SELECT * FROM tandem_child_access($1::uuid[], $2, $3::uuid, $4::date)',
      [childIds, caller.subject, caller.agencyId, graceDate],
    );
    return new Map(
      rows.map((row) => [
        row.id,
        {
          relationship: [
            ...(row.allocated ? [Relationship.ALLOCATED] : []),
            ...(row.team ? [Relationship.TEAM] : []),
            ...(row.involved ? [Relationship.INVOLVEMENT] : []),
          ],
          agencyRoles: row.agency_roles,
          contactRestricted: row.contact_restricted,
          policeInvestigationSince: row.investigation_since ? new Date(row.investigation_since) : null,
          allocationEnded: row.allocation_ended,
        },
      ]),
    );
  }

  /**
   * Records a break-glass read unless one by the same caller for the same child is still within
   * its time box, and tells the child's allocated workers. Returns whether a new grant was made.
   */
  async recordBreakGlass(entry: Omit<BreakGlassAccessEntity, 'id'>, alert: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const current = await manager
        .getRepository(BreakGlassAccessEntity)
        .createQueryBuilder('b')
        .where('b.child_id = :childId AND b.subject = :subject AND b.expires_at > now()', entry)
        .getExists();
      if (current) return false;
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
      return true;
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

  /** Whether the user holds an open allocation to the child in this role, and the child's current legal basis. */
  async allocationAndStatus(
    childId: string,
    subject: string,
    role: string,
  ): Promise<{ allocated: boolean; basis: string | null }> {
    const [row] = await this.dataSource.query<{ allocated: boolean; basis: string | null }[]>(
      `SELECT EXISTS (SELECT 1 FROM worker_allocation wa JOIN practitioner p ON p.id = wa.practitioner_id
                      WHERE wa.child_id = $1 AND p.subject = $2 AND wa.role::text = $3 AND wa.end_date IS NULL) AS allocated,
              (SELECT basis::text FROM legal_status_episode WHERE child_id = $1 AND end_date IS NULL) AS basis`,
      [childId, subject, role],
    );
    return row ?? { allocated: false, basis: null };
  }
}
