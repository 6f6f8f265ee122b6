import type { Principal } from 'src/auth/principal.js';
import type { InvolvementRole } from 'src/vocabulary/children.enums.js';
import type { ChildAccess, SubjectType } from 'src/policy/access-subject.js';
import { originOf, type TandemAbility } from 'src/policy/ability.factory.js';
import { Relationship } from 'src/policy/relationship.js';

export interface SqlFilter {
  readonly sql: string;
  readonly params: Record<string, unknown>;
  /**
   * On a connection read by the statement (`accessRow`): whether the caller's connection alone lets
   * any rule allow rows (each allowing rule's connection part, ORed), so that the statement does no
   * work on the rows of a child the caller has no connection to (it costs what a missing one does).
   * Implied by `sql`.
   */
  readonly connected?: string;
}

/** The columns a filter is written against: the child id, and the record's alias for records. */
export interface FilterTarget {
  readonly childId: string;
  readonly record?: string;
}

const NOTHING: SqlFilter = { sql: 'FALSE', params: {} };

/** Attributes of the caller's connection to a child, decided per child when that connection is known. */
const CONNECTION_ATTRIBUTES: ReadonlySet<string> = new Set(['relationship', 'agencyRoles', 'childInvolvements']);

/**
 * Turns the ability's rules for reading a subject type into one SQL condition, so lists, counts and
 * pages never load a row the caller may not see: (any allowing rule) AND NOT (any forbidding rule
 * without fields). Rules that allow or forbid only some fields decide fields, not rows. Conditions use
 * the attributes of SubjectAttributes; an attribute this function does not know is an error, so
 * a new rule cannot silently match everything.
 */
export function rowFilter(
  ability: TandemAbility,
  subjectType: SubjectType,
  target: FilterTarget,
  principal: Principal,
  graceDate: string,
  options: { excludeBreakGlass?: boolean; known?: ReadonlyMap<string, ChildAccess>; accessRow?: AccessRowColumns } = {},
): SqlFilter {
  const params: Record<string, unknown> = {
    pol_agency: principal.agency.id,
    pol_subject: principal.subject,
    pol_grace: graceDate,
  };
  let counter = 0;
  const param = (values: unknown[]) => {
    const name = `pol_${counter++}`;
    params[name] = values;
    return `:...${name}`;
  };
  const attribute = (name: string, value: unknown): string => {
    const list = inList(value);
    switch (name) {
      case 'relationship':
        return orOf(list.map((relationship) => relationshipSql(relationship as Relationship, target.childId)));
      case 'agencyRoles':
        return `EXISTS (SELECT 1 FROM agency_involvement pol_ai WHERE pol_ai.child_id = ${target.childId} AND pol_ai.agency_id = :pol_agency AND pol_ai.end_date IS NULL AND pol_ai.role::text IN (${param(list)}))`;
      case 'childInvolvements':
        return `EXISTS (SELECT 1 FROM agency_involvement pol_ci WHERE pol_ci.child_id = ${target.childId} AND pol_ci.end_date IS NULL AND (pol_ci.agency_id::text || ':' || pol_ci.role::text) IN (${param(list)}))`;
      case 'owningAgencyId':
        return `${record('owning_agency_id')} IN (${param(list)})`;
      case 'kind':
        return `${record('kind')}::text IN (${param(list)})`;
      case 'hasCourtOrderOrConsent':
        return truth(value, `(${record('court_order_reference')} IS NOT NULL OR ${record('consent_reference')} IS NOT NULL)`);
      case 'hasThirdPartyPermission':
        return truth(value, `${record('third_party_permission_reference')} IS NOT NULL`);
      case 'createdDuringPoliceInvestigation':
        return truth(
          value,
          `EXISTS (SELECT 1 FROM child_restriction pol_cr WHERE pol_cr.child_id = ${target.childId} AND pol_cr.kind = 'POLICE_HSB_INVESTIGATION' AND pol_cr.ended_at IS NULL AND pol_cr.started_at <= ${record('created_at')})`,
        );
      default:
        throw new Error(`No SQL for policy attribute ${name}`);
    }
  };
  const record = (column: string) => {
    if (!target.record) throw new Error(`A ${subjectType} filter has no record columns`);
    return `${target.record}.${column}`;
  };

  // When the caller's connection to each child is already known, the connection attributes are
  // decided here per child and the SQL only names the children each rule applies to.
  const boundToChildren = (conditions: Record<string, unknown>): string | null => {
    if (!options.known) return null;
    const matching = [...options.known].filter(([, access]) =>
      Object.entries(conditions).every(([name, value]) =>
        name === 'relationship'
          ? inList(value).some((item) => access.relationship.includes(item as Relationship))
          : name === 'agencyRoles'
            ? inList(value).some((item) => access.agencyRoles.includes(item as InvolvementRole))
            : name === 'childInvolvements'
              ? inList(value).some((item) => (access.childInvolvements ?? []).includes(item as string))
              : true,
      ),
    );
    return matching.length === 0 ? 'FALSE' : `${target.childId} IN (${param(matching.map(([childId]) => childId))})`;
  };
  // When the statement itself reads the caller's connection to the child (tandem_child_access, as
  // `options.accessRow.alias`), the connection attributes are decided on that row, exactly as
  // boundToChildren decides them on the same row once loaded: a relationship only through the
  // caller's roles, no row as no connection.
  const boundToAccessRow = (conditions: Record<string, unknown>): string | null => {
    const row = options.accessRow;
    if (!row) return null;
    const parts: string[] = [];
    for (const [name, value] of Object.entries(conditions)) {
      const list = inList(value);
      if (name === 'relationship')
        parts.push(
          orOf(
            list
              .filter((item) => row.usable.has(item as Relationship))
              .map((item) => `coalesce(${row.alias}.${RELATIONSHIP_COLUMNS[item as Relationship]}, false)`),
          ),
        );
      else if (name === 'agencyRoles') parts.push(`coalesce(${row.alias}.agency_roles, '{}') && ARRAY[${param(list)}]::text[]`);
      else if (name === 'childInvolvements')
        parts.push(`coalesce(${row.alias}.child_involvements, '{}') && ARRAY[${param(list)}]::text[]`);
    }
    return andOf(parts);
  };
  const conditionSql = (conditions: Record<string, unknown>): string => {
    const bound = boundToChildren(conditions) ?? boundToAccessRow(conditions);
    const rest = Object.entries(conditions).filter(([name]) => !bound || !CONNECTION_ATTRIBUTES.has(name));
    return andOf([...(bound ? [bound] : []), ...rest.map(([name, value]) => attribute(name, value))]);
  };

  const allow: string[] = [];
  const deny: string[] = [];
  const connected: string[] = [];
  for (const rule of ability.rulesFor('read', subjectType)) {
    if (options.excludeBreakGlass && originOf(rule)?.breakGlass) continue;
    const sql = conditionSql(rule.conditions ?? {});
    if (!rule.inverted) {
      allow.push(sql);
      if (options.accessRow) connected.push(boundToAccessRow(rule.conditions ?? {}) ?? 'TRUE');
    } else if (!rule.fields) deny.push(sql);
  }
  if (allow.length === 0) return options.accessRow ? { ...NOTHING, connected: 'FALSE' } : NOTHING;
  const sql = [`(${orOf(allow)})`, ...deny.map((condition) => `NOT (${condition})`)].join(' AND ');
  return options.accessRow ? { sql, params, connected: orOf(connected) } : { sql, params };
}

/** The caller's connection as a statement reads it (tandem_child_access), and the relationships the caller's roles count. */
export interface AccessRowColumns {
  readonly alias: string;
  readonly usable: ReadonlySet<Relationship>;
}

/** tandem_child_access's column for each relationship. */
const RELATIONSHIP_COLUMNS: Readonly<Record<Relationship, string>> = {
  [Relationship.ALLOCATED]: 'allocated',
  [Relationship.TEAM]: 'team',
  [Relationship.INVOLVEMENT]: 'involved',
};

function relationshipSql(relationship: Relationship, childId: string): string {
  switch (relationship) {
    case Relationship.ALLOCATED:
      return `EXISTS (SELECT 1 FROM worker_allocation pol_wa JOIN practitioner pol_p ON pol_p.id = pol_wa.practitioner_id WHERE pol_wa.child_id = ${childId} AND pol_p.subject = :pol_subject AND pol_p.agency_id = :pol_agency AND (pol_wa.end_date IS NULL OR pol_wa.end_date >= :pol_grace))`;
    case Relationship.TEAM:
      return `EXISTS (SELECT 1 FROM worker_allocation pol_wt JOIN practitioner pol_pt ON pol_pt.id = pol_wt.practitioner_id JOIN practitioner pol_me ON pol_me.subject = :pol_subject AND pol_me.agency_id = pol_pt.agency_id AND pol_me.team = pol_pt.team WHERE pol_wt.child_id = ${childId} AND pol_wt.end_date IS NULL AND pol_pt.agency_id = :pol_agency)`;
    case Relationship.INVOLVEMENT:
      return `EXISTS (SELECT 1 FROM agency_involvement pol_ai2 WHERE pol_ai2.child_id = ${childId} AND pol_ai2.agency_id = :pol_agency AND pol_ai2.end_date IS NULL)`;
  }
}

function inList(value: unknown): unknown[] {
  if (value && typeof value === 'object' && '$in' in value) return (value as { $in: unknown[] }).$in;
  return [value];
}

function truth(value: unknown, sql: string): string {
  return value === true ? sql : `NOT ${sql}`;
}

function orOf(parts: readonly string[]): string {
  return parts.length === 0 ? 'FALSE' : parts.length === 1 ? (parts[0] as string) : parts.map((part) => `(${part})`).join(' OR ');
}

function andOf(parts: readonly string[]): string {
  return parts.length === 0 ? 'TRUE' : parts.map((part) => `(${part})`).join(' AND ');
}

/** Row filters kept per ability: a few targets each (children, records, with or without break-glass, on a read row). */
const MAX_FILTERS_PER_ABILITY = 64;

/**
 * rowFilter's answers where no connection is known (`known` absent), kept per ability: the SQL is
 * then a function of the ability's rules (shared by every caller of one agency with the same roles
 * and purpose) and of where it is written, and only the caller's agency, subject and grace date
 * (its parameters) change from request to request. Each read then binds the same text: nothing
 * rebuilt, and the statement's name and bound form are found by a text already hashed.
 */
export class RowFilterCache {
  private readonly byAbility = new WeakMap<TandemAbility, Map<string, SqlFilter>>();

  filter(
    ability: TandemAbility,
    subjectType: SubjectType,
    target: FilterTarget,
    principal: Principal,
    graceDate: string,
    options: { excludeBreakGlass?: boolean; accessRow?: AccessRowColumns } = {},
  ): SqlFilter {
    const row = options.accessRow;
    const key = `${subjectType}|${target.childId}|${target.record ?? ''}|${options.excludeBreakGlass === true}|${
      row ? `${row.alias}:${[...row.usable].sort().join()}` : ''
    }`;
    let kept = this.byAbility.get(ability);
    if (!kept) {
      kept = new Map();
      this.byAbility.set(ability, kept);
    }
    let filter = kept.get(key);
    if (!filter) {
      filter = rowFilter(ability, subjectType, target, principal, graceDate, options);
      if (kept.size < MAX_FILTERS_PER_ABILITY) kept.set(key, filter);
    }
    // The caller's own values, as rowFilter would set them for this caller.
    // Object.assign, not spreads: a spread first and properties after it take V8 (Node 20)
    // microseconds an object (docs/TOOLCHAIN.md).
    return Object.assign({}, filter, {
      params: Object.assign({}, filter.params, {
        pol_agency: principal.agency.id,
        pol_subject: principal.subject,
        pol_grace: graceDate,
      }),
    });
  }
}
