import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { NamedParameters } from 'src/common/database/named-parameters.js';

/**
 * A statement of the hot paths, written as SQL: a name (unique in the process) and its text. On a
 * PostgreSQL server it is sent as a named prepared statement, so each pooled connection parses and
 * plans it once; its rows come back as node-postgres gives them, with no query building and no
 * entity hydration. The name must stay with one text.
 */
export interface Statement {
  readonly name: string;
  readonly text: string;
}

const named = new Map<string, string>();

export function statement(name: string, text: string): Statement {
  const known = named.get(name);
  if (known !== undefined && known !== text) throw new Error(`Statement ${name} is already defined with another text`);
  named.set(name, text);
  return { name, text };
}

/**
 * The URL of the PostgreSQL server a DataSource is defined by (dataSourceOptions), or undefined for
 * the embedded database (defined by `extra`).
 */
export function serverUrl(dataSource: DataSource): string | undefined {
  const { driver } = dataSource;
  return driver instanceof PostgresDriver ? driver.options.url : undefined;
}

/**
 * `text` with each of its rows turned into one JSON object (column `row_json`, keys as `text` names
 * its columns), ordered by `orderBy` (written against alias `j`) when given: node-postgres then
 * builds a row with one JSON.parse instead of a parser per column, which on the key read's two
 * statements (17 columns each) saved about a fifth of their client time (docs/TOOLCHAIN.md).
 * Timestamps arrive as ISO text with their offset.
 */
export function jsonRowsOf(text: string, orderBy?: string): string {
  return `SELECT to_json(j) AS row_json FROM (${text}) j${orderBy ? ` ORDER BY ${orderBy}` : ''}`;
}

/**
 * Statement texts built from a part that is itself a kept text (a row filter: the same string from
 * request to request) and a few small choices, kept so that each read gets the very same string:
 * nothing is concatenated again, and every map that takes the text as its key (its statement name,
 * its bound form) finds it by a hash the string already holds.
 */
export class StatementTexts {
  private readonly byBase = new Map<string, Map<string, string>>();

  constructor(private readonly max = 256) {}

  textOf(base: string, choices: string, build: () => string): string {
    let built = this.byBase.get(base);
    if (!built) {
      if (this.byBase.size >= this.max) this.byBase.clear();
      built = new Map();
      this.byBase.set(base, built);
    }
    let text = built.get(choices);
    if (text === undefined) {
      text = build();
      if (built.size < this.max) built.set(choices, text);
    }
    return text;
  }
}

/** A row of a statement written with jsonRowsOf. */
interface JsonRow<T> {
  readonly row_json: T;
}

/** Distinct texts of built statements that get a name (beyond it they are sent unnamed). */
const MAX_DYNAMIC = 500;

/** What the hot paths need of node-postgres's pool: a query, by name when it has one. */
interface NamedStatementPool {
  query(statement: { name?: string; text: string; values: readonly unknown[] }): Promise<{ rows: unknown[] }>;
}

function isNamedStatementPool(value: unknown): value is NamedStatementPool {
  return typeof value === 'object' && value !== null && 'query' in value && typeof value.query === 'function';
}

/** One connection of the pool, held for the warm-up. */
interface PooledClient {
  query(statement: string | { name: string; text: string; values: readonly unknown[] }): Promise<unknown>;
  /** Back to the pool; `true` closes the connection instead (its state is not known). */
  release(destroy?: boolean): void;
}

/** What the warm-up needs of node-postgres's pool besides queries: its size and a connection at a time. */
interface WarmablePool extends NamedStatementPool {
  readonly options: { readonly max?: number };
  connect(): Promise<PooledClient>;
}

function isWarmablePool(value: NamedStatementPool): value is WarmablePool {
  return 'connect' in value && typeof value.connect === 'function' && 'options' in value;
}

/** Statements that only read: the warm-up runs them (in a read-only transaction besides). */
const WRITES = /\b(INSERT|UPDATE|DELETE|MERGE|TRUNCATE)\b/i;

/** How many parameters a statement's text takes ($1 … $n). */
function parameterCount(text: string): number {
  let count = 0;
  for (const match of text.matchAll(/\$(\d+)/g)) count = Math.max(count, Number(match[1]));
  return count;
}

export interface WarmUp {
  readonly connections: number;
  readonly statements: number;
}

/**
 * Runs statements of the hot paths through the pool behind TypeORM (one round trip each, planned
 * once per connection); inside a transaction, or on embedded PGlite (whose adapter takes plain
 * text), through TypeORM's query runner. Every statement is still reported to TypeORM's logger,
 * so logging and the tests that count statements see it.
 */
@Injectable()
export class Sql {
  private readonly dynamicNames = new Map<string, string>();
  private readonly parameters = new NamedParameters();

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** The driver's pool as it is now (a DataSource destroyed and initialized again has a new one). */
  private get pool(): NamedStatementPool | undefined {
    const { driver } = this.dataSource;
    const master: unknown = serverUrl(this.dataSource) && driver instanceof PostgresDriver ? driver.master : undefined;
    return isNamedStatementPool(master) ? master : undefined;
  }

  /** Whether statements go to a server as named prepared statements. */
  get prepares(): boolean {
    return this.pool !== undefined;
  }

  /**
   * A statement whose text is built per caller (the policy's row filters, written with TypeORM's
   * `:name` and `:...list` parameters): bound as TypeORM binds them, and named by its text's hash
   * while fewer than MAX_DYNAMIC distinct texts were seen (each connection keeps what it prepared).
   */
  dynamicRows<T>(text: string, parameters: Record<string, unknown>): Promise<T[]> {
    const [sql, values] =
      this.parameters.bind(text, parameters) ?? this.dataSource.driver.escapeQueryWithParameters(text, parameters);
    let name = this.dynamicNames.get(sql);
    if (name === undefined && this.dynamicNames.size < MAX_DYNAMIC) {
      name = `tandem_dyn_${createHash('sha256').update(sql).digest('base64url').slice(0, 20)}`;
      this.dynamicNames.set(sql, name);
    }
    return this.rows<T>(name === undefined ? { name: '', text: sql } : { name, text: sql }, values);
  }

  /** The rows of a statement written with jsonRowsOf, as the objects they were sent as. */
  async jsonRows<T>(statement: Statement, values: readonly unknown[]): Promise<T[]> {
    return (await this.rows<JsonRow<T>>(statement, values)).map((row) => row.row_json);
  }

  /** The rows of a built statement written with jsonRowsOf (bound as dynamicRows binds them). */
  async dynamicJsonRows<T>(text: string, parameters: Record<string, unknown>): Promise<T[]> {
    return (await this.dynamicRows<JsonRow<T>>(text, parameters)).map((row) => row.row_json);
  }

  /**
   * Opens every connection of the pool and prepares on each the named statements that only read,
   * each run once with null parameters (which match nothing) in a read-only transaction: what the
   * first requests would otherwise pay for (connections, parse and plan, the server's catalog
   * caches) is paid at start. Writes are left to be prepared on first use; one that writes without
   * saying so fails in the read-only transaction (and start-up with it) rather than writing. Nothing
   * on PGlite. `statements`: by name, every named statement unless given.
   */
  async warm(statements: Iterable<readonly [string, string]> = named): Promise<WarmUp> {
    const pool = this.pool;
    if (!pool || !isWarmablePool(pool)) return { connections: 0, statements: 0 };
    const reads = [...statements].filter(([, text]) => !WRITES.test(text));
    const clients = await Promise.all(Array.from({ length: pool.options.max ?? 10 }, () => pool.connect()));
    // Every connection finishes (and rolls back) before any goes back to the pool: one that failed
    // must not return mid-transaction while the others are still running.
    const outcomes = await Promise.allSettled(
      clients.map(async (client) => {
        await client.query('BEGIN READ ONLY');
        try {
          for (const [name, text] of reads)
            await client.query({ name, text, values: Array.from({ length: parameterCount(text) }, () => null) });
        } finally {
          // Prepared statements outlive the transaction; whatever it did does not.
          await client.query('ROLLBACK');
        }
      }),
    );
    outcomes.forEach((outcome, index) => clients[index]?.release(outcome.status === 'rejected'));
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    return { connections: clients.length, statements: reads.length };
  }

  async rows<T>(statement: Statement, values: readonly unknown[], manager?: EntityManager): Promise<T[]> {
    const pool = manager ? undefined : this.pool;
    if (pool) {
      this.dataSource.logger.logQuery(statement.text, [...values]);
      const query =
        statement.name === '' ? { text: statement.text, values } : { name: statement.name, text: statement.text, values };
      return (await pool.query(query)).rows as T[];
    }
    return (manager ?? this.dataSource.manager).query<T[]>(statement.text, [...values]);
  }
}
