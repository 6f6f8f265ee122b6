import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The caller's connection to children as this migration leaves it (the next one's `down` restores it). */
export const CHILD_ACCESS_1796180000000 = `CREATE OR REPLACE FUNCTION tandem_child_access(child_ids uuid[], caller_subject text, caller_agency uuid, grace date)
RETURNS TABLE (id uuid, allocated boolean, team boolean, involved boolean, agency_roles text[], contact_restricted boolean, investigation_since timestamptz, allocation_ended boolean, child_involvements text[])
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $fn$
BEGIN
  -- plpgsql keeps this plan per connection: the policy asks it on every read.
  -- Driven from each child (LATERAL ... LIMIT 1), so a caller allocated to thousands of children
  -- still costs one index probe per child asked about.
  RETURN QUERY
  SELECT c.id,
    alloc.hit IS NOT NULL,
    team.hit IS NOT NULL,
    cardinality(inv.roles) > 0,
    inv.roles,
    contact.hit IS NOT NULL,
    investigation.since,
    coalesce(alloc.ended, false),
    agencies.ids
  FROM unnest(child_ids) AS c(id)
  LEFT JOIN LATERAL (
    SELECT true AS hit, wa.end_date IS NOT NULL AS ended FROM worker_allocation wa JOIN practitioner p ON p.id = wa.practitioner_id
    WHERE wa.child_id = c.id AND p.subject = caller_subject AND (wa.end_date IS NULL OR wa.end_date >= grace)
    ORDER BY wa.end_date IS NOT NULL LIMIT 1
  ) alloc ON true
  LEFT JOIN LATERAL (
    SELECT true AS hit FROM worker_allocation wt JOIN practitioner pt ON pt.id = wt.practitioner_id
    JOIN practitioner me ON me.subject = caller_subject AND me.agency_id = pt.agency_id AND me.team = pt.team
    WHERE wt.child_id = c.id AND wt.end_date IS NULL AND pt.agency_id = caller_agency LIMIT 1
  ) team ON true
  LEFT JOIN LATERAL (
    SELECT coalesce(array_agg(ai.role::text), '{}') AS roles FROM agency_involvement ai
    WHERE ai.child_id = c.id AND ai.agency_id = caller_agency AND ai.end_date IS NULL
  ) inv ON true
  LEFT JOIN LATERAL (
    SELECT true AS hit FROM child_restriction cr
    WHERE cr.child_id = c.id AND cr.kind = 'CONTACT_RESTRICTION' AND cr.ended_at IS NULL
      AND (cr.restricted_subject = caller_subject OR cr.restricted_agency_id = caller_agency) LIMIT 1
  ) contact ON true
  LEFT JOIN LATERAL (
    SELECT min(cr.started_at) AS since FROM child_restriction cr
    WHERE cr.child_id = c.id AND cr.kind = 'POLICE_HSB_INVESTIGATION' AND cr.ended_at IS NULL
  ) investigation ON true
  LEFT JOIN LATERAL (
    SELECT coalesce(array_agg(DISTINCT ai.agency_id::text || ':' || ai.role::text), '{}') AS ids FROM agency_involvement ai
    WHERE ai.child_id = c.id AND ai.end_date IS NULL
  ) agencies ON true
  WHERE EXISTS (SELECT 1 FROM child WHERE child.id = c.id);
END
$fn$`;

/**
 * Emergency (break-glass) access becomes a grant of the agreements' emergency clauses: each grant
 * records its reason code, grants are counted per user per hour, a child is found by name and date
 * of birth (indexed), and the caller's connection to a child also lists every open involvement with
 * it as "agencyId:ROLE" (an emergency clause reaches the children the agencies it names are
 * involved with). The function is hand-written, as TypeORM does not generate functions; a changed
 * result type needs DROP and CREATE.
 */
export class LimitEmergencyAccess1796180000000 implements MigrationInterface {
  name = 'LimitEmergencyAccess1796180000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "break_glass_access" ADD "reason_code" text`);
    await queryRunner.query(`CREATE INDEX "IDX_e863da7ba3483943b8965a3cd0" ON "break_glass_access"  ("subject", "granted_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_67bebc3147c3456f54a7659297" ON "child"  ("date_of_birth") `);
    await queryRunner.query(`DROP FUNCTION IF EXISTS tandem_child_access(uuid[], text, uuid, date)`);
    await queryRunner.query(CHILD_ACCESS_1796180000000);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION IF EXISTS tandem_child_access(uuid[], text, uuid, date)`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION tandem_child_access(child_ids uuid[], caller_subject text, caller_agency uuid, grace date)
RETURNS TABLE (id uuid, allocated boolean, team boolean, involved boolean, agency_roles text[], contact_restricted boolean, investigation_since timestamptz, allocation_ended boolean)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $fn$
BEGIN
  -- plpgsql keeps this plan per connection: the policy asks it on every read.
  -- Driven from each child (LATERAL ... LIMIT 1), so a caller allocated to thousands of children
  -- still costs one index probe per child asked about.
  RETURN QUERY
  SELECT c.id,
    alloc.hit IS NOT NULL,
    team.hit IS NOT NULL,
    cardinality(inv.roles) > 0,
    inv.roles,
    contact.hit IS NOT NULL,
    investigation.since,
    coalesce(alloc.ended, false)
  FROM unnest(child_ids) AS c(id)
  LEFT JOIN LATERAL (
    SELECT true AS hit, wa.end_date IS NOT NULL AS ended FROM worker_allocation wa JOIN practitioner p ON p.id = wa.practitioner_id
    WHERE wa.child_id = c.id AND p.subject = caller_subject AND (wa.end_date IS NULL OR wa.end_date >= grace)
    ORDER BY wa.end_date IS NOT NULL LIMIT 1
  ) alloc ON true
  LEFT JOIN LATERAL (
    SELECT true AS hit FROM worker_allocation wt JOIN practitioner pt ON pt.id = wt.practitioner_id
    JOIN practitioner me ON me.subject = caller_subject AND me.agency_id = pt.agency_id AND me.team = pt.team
    WHERE wt.child_id = c.id AND wt.end_date IS NULL AND pt.agency_id = caller_agency LIMIT 1
  ) team ON true
  LEFT JOIN LATERAL (
    SELECT coalesce(array_agg(ai.role::text), '{}') AS roles FROM agency_involvement ai
    WHERE ai.child_id = c.id AND ai.agency_id = caller_agency AND ai.end_date IS NULL
  ) inv ON true
  LEFT JOIN LATERAL (
    SELECT true AS hit FROM child_restriction cr
    WHERE cr.child_id = c.id AND cr.kind = 'CONTACT_RESTRICTION' AND cr.ended_at IS NULL
      AND (cr.restricted_subject = caller_subject OR cr.restricted_agency_id = caller_agency) LIMIT 1
  ) contact ON true
  LEFT JOIN LATERAL (
    SELECT min(cr.started_at) AS since FROM child_restriction cr
    WHERE cr.child_id = c.id AND cr.kind = 'POLICE_HSB_INVESTIGATION' AND cr.ended_at IS NULL
  ) investigation ON true
  WHERE EXISTS (SELECT 1 FROM child WHERE child.id = c.id);
END
$fn$`);
    await queryRunner.query(`DROP INDEX "public"."IDX_67bebc3147c3456f54a7659297"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e863da7ba3483943b8965a3cd0"`);
    await queryRunner.query(`ALTER TABLE "break_glass_access" DROP COLUMN "reason_code"`);
  }
}
