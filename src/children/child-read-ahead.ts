import { Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import type { FieldSelection } from 'src/common/graphql/selected-arguments.js';

/** What a query asks of the child it reads: the `child` field's nodes, and what reading them needs. */
export type ChildSelection = FieldSelection;

/** The SQL names a read-ahead's column is written against in the child's look-up. */
export interface LookUpNames {
  /** The id asked for (a uuid expression). */
  readonly childId: string;
  /** The caller's connection to that child (tandem_child_access's row; null columns when none). */
  readonly access: string;
}

/**
 * One more column of the child's look-up (an SQL expression with TypeORM `:name` parameters, which
 * must not start with `ra_`), and what to do with its value once read.
 */
export interface ReadAheadColumn {
  readonly sql: string;
  readonly parameters: Record<string, unknown>;
  receive(childId: string, value: unknown): void;
}

/**
 * Something a module above children reads of a child in the same statement as the child, when the
 * query asks for it (the page of records a key read asks for): one round trip instead of two. It
 * keeps what it received for the request, and its own resolver uses it instead of a statement of
 * its own; what it reads is decided by the same policy as that statement's.
 */
export interface ChildReadAhead {
  /** The column for this caller and selection, or null when the selection does not ask for it (or not plainly). */
  columnFor(principal: Principal, selection: ChildSelection, names: LookUpNames): Promise<ReadAheadColumn | null>;
}

/** The read-aheads modules above registered (at their start). */
@Injectable()
export class ChildReadAheads {
  private readonly registered: ChildReadAhead[] = [];

  register(readAhead: ChildReadAhead): void {
    this.registered.push(readAhead);
  }

  /**
   * The columns the selection asks for. A read-ahead that refuses the caller (no purpose of use,
   * say) adds none: the look-up then goes its usual way, which refuses the caller in its own words
   * and logs the consultation.
   */
  async columnsFor(principal: Principal, selection: ChildSelection, names: LookUpNames): Promise<ReadAheadColumn[]> {
    if (this.registered.length === 0) return [];
    try {
      const columns = await Promise.all(this.registered.map((readAhead) => readAhead.columnFor(principal, selection, names)));
      return columns.filter((column): column is ReadAheadColumn => column !== null);
    } catch (error) {
      if (error instanceof TandemError) return [];
      throw error;
    }
  }
}
