import type { DataSource, Logger } from 'typeorm';

/** The SQL text of every statement a DataSource sends, for tests that count or compare them. */
export interface StatementRecorder {
  readonly statements: string[];
  /** Forgets what was recorded so far. */
  reset(): void;
}

/** Wraps the DataSource's logger (keeping what it did) so every query it sends is recorded. */
export function recordStatements(dataSource: DataSource): StatementRecorder {
  const statements: string[] = [];
  const original = dataSource.logger;
  const recording: Logger = {
    logQuery: (query, parameters, runner) => {
      statements.push(query);
      original.logQuery(query, parameters, runner);
    },
    logQueryError: (...args) => {
      original.logQueryError(...args);
    },
    logQuerySlow: (...args) => {
      original.logQuerySlow(...args);
    },
    logSchemaBuild: (...args) => {
      original.logSchemaBuild(...args);
    },
    logMigration: (...args) => {
      original.logMigration(...args);
    },
    log: (...args) => {
      original.log(...args);
    },
  };
  (dataSource as { logger: Logger }).logger = recording;
  return {
    statements,
    reset: () => {
      statements.length = 0;
    },
  };
}
