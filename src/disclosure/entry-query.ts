/**
 * The newest entries of the log that match `where` (a condition on the columns of the view
 * disclosure_entry, alias `r`), at most `limit` (a placeholder), as rows ResponseLog.receiptsOf
 * reads. Each stored form is asked apart, with its own ORDER BY … LIMIT: a view of one form folds
 * into the query and walks its index newest first, where the view of both would be read whole and
 * sorted.
 */
export function newestEntries(where: string, limit: string): string {
  const form = (view: string) =>
    `(SELECT r.id, r.base, r.place, r.compact, r.body FROM ${view} r${where ? ` WHERE ${where}` : ''}
      ORDER BY r.base DESC, r.place DESC LIMIT ${limit})`;
  return `SELECT r.id::text AS id, r.base::text AS base, r.place, r.compact, r.body
    FROM (${form('disclosure_receipt_entry')} UNION ALL ${form('disclosure_response_entry')}) r
    ORDER BY r.base DESC, r.place DESC LIMIT ${limit}`;
}
