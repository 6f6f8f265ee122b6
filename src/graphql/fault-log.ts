/** What a PostgreSQL error (node-postgres, and TypeORM's QueryFailedError, which copies it) carries. */
interface DatabaseErrorFields {
  readonly code?: unknown;
  readonly table?: unknown;
  readonly column?: unknown;
  readonly constraint?: unknown;
  readonly driverError?: unknown;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

function databaseFields(error: Error): DatabaseErrorFields | undefined {
  const fields: DatabaseErrorFields & Error = error;
  if (typeof fields.code === 'string' && SQLSTATE.test(fields.code)) return fields;
  if (fields.driverError instanceof Error) return databaseFields(fields.driverError);
  return undefined;
}

function named(label: string, value: unknown): string[] {
  return typeof value === 'string' && value !== '' ? [`${label} ${value}`] : [];
}

/** The stack's frames without its first line, which repeats the message. */
function frames(error: Error): string | undefined {
  const stack = error.stack;
  if (!stack) return undefined;
  const at = stack.indexOf('\n    at ');
  return at < 0 ? undefined : `${error.name}${stack.slice(at)}`;
}

/**
 * An internal error as the log may show it. A database error's message, query, parameters and
 * detail can hold the personal data a statement was given (PostgreSQL quotes a bad value back; a
 * unique violation's detail names the key), so only its SQLSTATE and the schema objects it names
 * are logged, with the stack's frames. Other errors keep their message. Causes are followed.
 */
export function describeFault(error: unknown): { summary: string; stack: string | undefined } {
  if (!(error instanceof Error)) return { summary: 'non-error thrown', stack: undefined };
  const database = databaseFields(error);
  const cause = error.cause === undefined ? undefined : describeFault(error.cause);
  if (database) {
    const parts = [
      `SQLSTATE ${String(database.code)}`,
      ...named('table', database.table),
      ...named('column', database.column),
      ...named('constraint', database.constraint),
    ];
    return { summary: `${error.name} (${parts.join(', ')})`, stack: frames(error) };
  }
  return {
    summary: cause ? `${error.name}: ${error.message}; caused by ${cause.summary}` : `${error.name}: ${error.message}`,
    stack: cause?.stack ?? error.stack,
  };
}
