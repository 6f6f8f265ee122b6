import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'Where a page of a list ends, and whether more follows.' })
export class PageInfo {
  @Field({ description: 'Whether another page follows this one.' })
  hasNextPage: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to fetch the next page; null on an empty page.' })
  endCursor: string | null;
}

export interface Page<T> {
  readonly edges: readonly { readonly cursor: string; readonly node: T }[];
  readonly pageInfo: PageInfo;
}

/** A Relay-style connection type for `node`, named `<name>Connection`. */
export function Connection<T>(node: abstract new (...args: never[]) => T, name: string, description: string) {
  @ObjectType(`${name}Edge`, { description: `One ${description} in a page, with its cursor.` })
  class Edge {
    @Field({ description: 'An opaque position in the list.' })
    cursor: string;

    @Field(() => node, { description: `The ${description}.` })
    node: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${description}s.` })
  class ConnectionType implements Page<T> {
    @Field(() => [Edge], { description: 'The items of this page, in order.' })
    edges: Edge[];

    @Field(() => PageInfo, { description: 'Where this page ends.' })
    pageInfo: PageInfo;
  }
  return ConnectionType;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Builds a page from rows fetched with one extra row to tell whether more follow. */
export function toPage<T>(rows: readonly T[], first: number, cursorOf: (row: T) => string): Page<T> {
  const items = rows.slice(0, first);
  const edges = items.map((node) => ({ cursor: cursorOf(node), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}
