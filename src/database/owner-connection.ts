import type { DataSource, EntityManager } from 'typeorm';

/** A DataSource, or a transaction's EntityManager (tests check inside a transaction). */
type Queryable = Pick<DataSource | EntityManager, 'query'>;

/**
 * Whether the connection's role could undo the disclosure log's protection: it owns the log's
 * tables, can become their owner, or is a superuser (any of which may drop or disable triggers).
 */
export async function ownsDisclosureLog(dataSource: Queryable): Promise<{ owner: boolean; role: string }> {
  const [row] = await dataSource.query<{ owner: boolean; role: string }[]>(
    `SELECT current_user AS role,
       (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) OR pg_has_role(current_user, c.relowner, 'MEMBER') AS owner
     FROM pg_class c WHERE c.oid = 'disclosure_receipt'::regclass`,
  );
  return { owner: row?.owner ?? false, role: row?.role ?? '' };
}

/**
 * In production the gateway serves requests only as a role that cannot change the log: refused
 * when it would run as the tables' owner, unless AUDIT_ALLOW_OWNER_CONNECTION says so.
 */
export async function refuseOwnerConnection(
  dataSource: Queryable,
  options: { readonly production: boolean; readonly allowOwnerConnection: boolean },
): Promise<void> {
  if (!options.production || options.allowOwnerConnection) return;
  const { owner, role } = await ownsDisclosureLog(dataSource);
  if (!owner) return;
  throw new Error(
    `DATABASE_URL connects as ${role}, which owns the disclosure log's tables (or is a superuser) and so could drop their ` +
      `append-only triggers. Set DATABASE_OWNER_URL to the owner's connection (used only to run migrations) and DATABASE_URL ` +
      `to a login role that is a member of tandem_gateway (docs/OPERATIONS.md, "Database roles"), or set ` +
      `AUDIT_ALLOW_OWNER_CONNECTION=true to run as the owner anyway.`,
  );
}
