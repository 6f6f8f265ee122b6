import { type Principal, ContextSlot } from 'src/auth/principal.js';
import { StatementTexts } from 'src/common/database/sql.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from 'src/common/pagination/connection.js';
import { decodeCursor, pageSize } from 'src/common/pagination/cursor.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import type { SqlFilter } from 'src/policy/policy-sql.js';
import { copyOnlyKinds } from 'src/records/readable-versions.js';
import type { PagedRecord, RecordFilter } from 'src/records/repositories/record.repository.js';
import type { RecordKind } from 'src/vocabulary/record-kind.js';

/** A page of a child's records as a query asks for it, in the one form both ways of reading it use. */
export interface PageRequest {
  readonly kinds: readonly RecordKind[] | undefined;
  readonly size: number;
  readonly cursor: { readonly sortKey: string; readonly id: string } | undefined;
  /** The same for the same page: the request's batch of pages, and what a read-ahead brought, go by it. */
  readonly key: string;
}

/** The page `records(kinds, first, after)` asks for; BAD_USER_INPUT for a page size or cursor out of bounds. */
export function pageRequest(
  kinds: readonly RecordKind[] | null | undefined,
  first: number | null | undefined,
  after: string | null | undefined,
): PageRequest {
  const size = pageSize(first, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const cursor = after ? recordCursor(after) : undefined;
  const kindList = kinds ? [...new Set(kinds)].sort() : undefined;
  return { kinds: kindList, size, cursor, key: `records:${kindList?.join(',') ?? '*'}:${size}:${after ?? ''}` };
}

/** A record page's cursor as encodeCursor wrote it: an instant to the millisecond and a record id. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The cursor, refused (BAD_USER_INPUT) unless it is one a page of records gave: a forged one that
 * decodes would otherwise reach the statement and fail there (inside the child's look-up, when it
 * reads the page ahead).
 */
function recordCursor(after: string): { sortKey: string; id: string } {
  const cursor = decodeCursor(after);
  if (!INSTANT.test(cursor.sortKey) || !Number.isFinite(Date.parse(cursor.sortKey)) || !UUID.test(cursor.id))
    throw TandemError.badInput('after is not a cursor of this list', 'after');
  return cursor;
}

/** Pages of records the child's look-up read ahead in this request, by `${key}|${childId}` (RecordsReadAhead). */
export const READ_AHEAD_PAGES = new ContextSlot('recordsReadAhead', () => new Map<string, readonly PagedRecord[]>());

export function readAheadKey(request: PageRequest, childId: string): string {
  return `${request.key}|${childId}`;
}

/**
 * The policy's row filter, narrowed by the records' lifecycle: another agency's record shows only
 * once it has a FINAL version (under C3, `limitedByC3`, one written before an open investigation
 * on the child: its only readable versions), and a kind the caller's agency receives only as
 * copies (the care plan at the establishment) only once a version was sent to it. Written against
 * alias `r`. So a page's rows are the records the caller reads a version of, and its look-ahead
 * row is one too.
 */
export function narrowedByLifecycle(principal: Principal, policy: SqlFilter, limitedByC3: boolean): RecordFilter {
  const kinds = copyOnlyKinds(principal.agency.kind);
  return {
    sql: LIFECYCLE_TEXTS.textOf(policy.sql, `${kinds.join()}|${limitedByC3}`, () =>
      lifecycleSql(policy.sql, kinds.length > 0, limitedByC3),
    ),
    // Object.assign, not spreads: V8 (Node 20) takes microseconds for a spread followed by more properties.
    params: Object.assign(
      {},
      policy.params,
      { rv_agency: principal.agency.id },
      kinds.length > 0 ? { rv_copy_kinds: kinds } : {},
    ),
  };
}

const LIFECYCLE_TEXTS = new StatementTexts();

function lifecycleSql(policy: string, copiesOnly: boolean, limitedByC3: boolean): string {
  // As readableVersions: under C3 a version counts only if written before every open investigation on the child began.
  const beforeInvestigation = limitedByC3
    ? ` AND NOT EXISTS (SELECT 1 FROM child_restriction rv_cr WHERE rv_cr.child_id = r.child_id AND rv_cr.kind = 'POLICE_HSB_INVESTIGATION' AND rv_cr.ended_at IS NULL AND rv_cr.started_at <= rv_v.created_at)`
    : '';
  const shared = `(r.owning_agency_id = :rv_agency OR EXISTS (SELECT 1 FROM shared_record_version rv_v WHERE rv_v.record_id = r.id AND rv_v.status = 'FINAL'${beforeInvestigation}))`;
  const copies = copiesOnly
    ? ` AND (r.kind::text NOT IN (:...rv_copy_kinds) OR r.owning_agency_id = :rv_agency OR EXISTS (SELECT 1 FROM record_copy rv_c WHERE rv_c.record_id = r.id AND rv_c.recipient_agency_id = :rv_agency))`
    : '';
  return `(${policy}) AND ${shared}${copies}`;
}
