import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import type { Principal } from 'src/auth/principal.js';
import { Permission } from 'src/auth/roles.js';
import {
  ChildReadAheads,
  type ChildReadAhead,
  type ChildSelection,
  type LookUpNames,
  type ReadAheadColumn,
} from 'src/children/child-read-ahead.js';
import { selectedArguments } from 'src/common/graphql/selected-arguments.js';
import { PolicyService } from 'src/policy/policy.service.js';
import { narrowedByLifecycle, pageRequest, READ_AHEAD_PAGES, readAheadKey } from 'src/records/record-pages.js';
import { RecordRepository } from 'src/records/repositories/record.repository.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';

const KINDS: ReadonlySet<string> = new Set(Object.values(RecordKind));

/** `records(kinds, first, after)` as the executor coerced them, or null when they are not of those types. */
function pageArguments(
  args: Record<string, unknown>,
): { kinds: RecordKind[] | null | undefined; first: number | null | undefined; after: string | null | undefined } | null {
  const { kinds, first, after } = args;
  const kindList =
    kinds === null || kinds === undefined
      ? kinds
      : Array.isArray(kinds) && kinds.every((kind): kind is RecordKind => typeof kind === 'string' && KINDS.has(kind))
        ? kinds
        : false;
  if (kindList === false) return null;
  if (first !== null && first !== undefined && typeof first !== 'number') return null;
  if (after !== null && after !== undefined && typeof after !== 'string') return null;
  return { kinds: kindList, first, after };
}

/**
 * The page of records a read of one child asks for (`child(id) { records(…) }`), read in the
 * child's own look-up: the same page pageForChild would read (same arguments, same policy filter
 * decided on the caller's connection from the same statement, same lifecycle and order), kept for
 * the request so that pageForChild uses it instead of a statement of its own. Only when the query
 * asks for one page (every `records` field of the child with the same arguments); any other
 * selection, or arguments pageForChild would refuse, reads as before.
 */
@Injectable()
export class RecordsReadAhead implements ChildReadAhead, OnModuleInit {
  constructor(
    @Inject(ChildReadAheads) private readonly readAheads: ChildReadAheads,
    @Inject(RecordRepository) private readonly records: RecordRepository,
    @Inject(PolicyService) private readonly policy: PolicyService,
  ) {}

  onModuleInit(): void {
    this.readAheads.register(this);
  }

  async columnFor(principal: Principal, selection: ChildSelection, names: LookUpNames): Promise<ReadAheadColumn | null> {
    // The records field refuses a caller without the permission: nothing is read for it.
    if (!principal.can(Permission.RECORD_READ)) return null;
    const asked = this.askedPage(selection);
    if (!asked) return null;
    let request;
    try {
      request = pageRequest(asked.kinds, asked.first, asked.after);
    } catch {
      // pageForChild refuses it, in its own words, when the field resolves.
      return null;
    }
    const policy = await this.policy.recordFilterOnAccessRow(principal, { childId: 'r.child_id', record: 'r' }, names.access);
    const limitedByC3 = await this.policy.limitedByC3(principal);
    const order = limitedByC3 ? 'created' : 'updated';
    const page = this.records.onePageSql(
      names.childId,
      request.kinds,
      request.size + 1,
      request.cursor,
      narrowedByLifecycle(principal, policy, limitedByC3),
      order,
      policy.connected ?? 'TRUE',
      principal.agency.id,
    );
    return {
      sql: page.sql,
      parameters: page.params,
      receive: (childId, value) => {
        principal.slot(READ_AHEAD_PAGES).set(readAheadKey(request, childId), this.records.pagedOfJson(value));
      },
    };
  }

  /** The one page the selection asks of the child, or null. */
  private askedPage(selection: ChildSelection): ReturnType<typeof pageArguments> {
    let asked: Record<string, unknown>[];
    try {
      asked = selectedArguments(selection, 'Child', 'records');
    } catch (error) {
      // Arguments the executor would refuse: refused when the field resolves.
      if (error instanceof GraphQLError) return null;
      throw error;
    }
    const [first] = asked;
    if (!first || asked.some((args) => JSON.stringify(args) !== JSON.stringify(first))) return null;
    return pageArguments(first);
  }
}
