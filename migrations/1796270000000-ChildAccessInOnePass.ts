import type { MigrationInterface, QueryRunner } from 'typeorm';
import { CHILD_ACCESS_1796180000000 } from './1796180000000-LimitEmergencyAccess.js';

/**
 * The caller's connection to a child in one pass over each of its tables: a child's allocations,
 * open involvements and open restrictions are each read once and aggregated (six probes became
 * three), and the function is plain SQL, so PostgreSQL inlines it into the statement that calls it
 * (every child look-up), whose plan each connection keeps. Same columns, same answers.
 */
export const CHILD_ACCESS_1796270000000 = `CREATE OR REPLACE FUNCTION tandem_child_access(child_ids uuid[], caller_subject text, caller_agency uuid, grace date)
RETURNS TABLE (id uuid, allocated boolean, team boolean, involved boolean, agency_roles text[], contact_restricted boolean, investigation_since timestamptz, allocation_ended boolean, child_involvements text[])
LANGUAGE sql STABLE
AS $fn$
  -- No SET clause and a single SELECT: what lets PostgreSQL inline it.
  SELECT c.id,
    coalesce(alloc.allocated, false),
    coalesce(alloc.team, false),
    cardinality(inv.roles) > 0,
    inv.roles,
    coalesce(restriction.contact, false),
    restriction.since,
    -- Ended: the caller's allocation counts only through the grace period (no open one remains).
    coalesce(alloc.allocated AND NOT alloc.open, false),
    inv.ids
  FROM unnest(child_ids) AS c(id)
  JOIN child ON child.id = c.id
  -- The caller as a practitioner of its agency (subjects are unique): its team.
  LEFT JOIN practitioner me ON me.subject = caller_subject AND me.agency_id = caller_agency
  CROSS JOIN LATERAL (
    SELECT bool_or(p.subject = caller_subject AND (wa.end_date IS NULL OR wa.end_date >= grace)) AS allocated,
      bool_or(p.subject = caller_subject AND wa.end_date IS NULL) AS open,
      bool_or(wa.end_date IS NULL AND p.agency_id = caller_agency AND p.team = me.team) AS team
    FROM worker_allocation wa JOIN practitioner p ON p.id = wa.practitioner_id
    -- Every column above needs an open allocation or one ended within the grace period.
    WHERE wa.child_id = c.id AND (wa.end_date IS NULL OR wa.end_date >= grace)
  ) alloc
  CROSS JOIN LATERAL (
    SELECT coalesce(array_agg(ai.role::text ORDER BY ai.role) FILTER (WHERE ai.agency_id = caller_agency), '{}') AS roles,
      coalesce(array_agg(DISTINCT ai.agency_id::text || ':' || ai.role::text), '{}') AS ids
    FROM agency_involvement ai WHERE ai.child_id = c.id AND ai.end_date IS NULL
  ) inv
  CROSS JOIN LATERAL (
    SELECT bool_or(cr.kind = 'CONTACT_RESTRICTION' AND (cr.restricted_subject = caller_subject OR cr.restricted_agency_id = caller_agency)) AS contact,
      min(cr.started_at) FILTER (WHERE cr.kind = 'POLICE_HSB_INVESTIGATION') AS since
    FROM child_restriction cr WHERE cr.child_id = c.id AND cr.ended_at IS NULL
  ) restriction
$fn$`;

export class ChildAccessInOnePass1796270000000 implements MigrationInterface {
  name = 'ChildAccessInOnePass1796270000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(CHILD_ACCESS_1796270000000);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(CHILD_ACCESS_1796180000000);
  }
}
