import { buildSchema, type FieldNode, type FragmentDefinitionNode, GraphQLError, Kind, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { selectedArguments } from 'src/common/graphql/selected-arguments.js';

/** The shapes the read-ahead meets: a child under an interface and a union, with nested children. */
const schema = buildSchema(`
  interface Node { id: ID! }
  enum Kind { CARE_PLAN PLACEMENT_PLAN }
  type Child implements Node {
    id: ID!
    records(first: Int = 20, kinds: [Kind!], after: String): String
    required(count: Int!): String
    guardian: Child
  }
  type Agency implements Node { id: ID! records(first: Int): String }
  union Found = Child | Agency
  type Query { child: Child }
`);

/** The `child` field's nodes and fragments of the document, as the executor hands them to its resolver. */
function selection(document: string, variableValues: Record<string, unknown> = {}) {
  const parsed = parse(document);
  const fragments: Record<string, FragmentDefinitionNode> = {};
  const fieldNodes: FieldNode[] = [];
  for (const definition of parsed.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    if (definition.kind === Kind.OPERATION_DEFINITION)
      for (const node of definition.selectionSet.selections) if (node.kind === Kind.FIELD) fieldNodes.push(node);
  }
  return { fieldNodes, fragments, variableValues, schema };
}

describe('selectedArguments: the arguments of every records field asked of the child', () => {
  it('gives each field node its own arguments, defaults applied and aliases kept apart', () => {
    const asked = selectedArguments(
      selection('{ child { records(first: 2) plans: records(kinds: [CARE_PLAN]) again: records(first: 2) } }'),
      'Child',
      'records',
    );
    expect(asked).toEqual([{ first: 2 }, { first: 20, kinds: ['CARE_PLAN'] }, { first: 2 }]);
  });

  it('coerces variables as the executor does, and finds nothing when no such field is asked', () => {
    const doc = 'query($n: Int, $k: [Kind!]) { child { records(first: $n, kinds: $k) } }';
    expect(selectedArguments(selection(doc, { n: 5, k: ['PLACEMENT_PLAN'] }), 'Child', 'records')).toEqual([
      { first: 5, kinds: ['PLACEMENT_PLAN'] },
    ]);
    // A variable not given leaves the argument's default.
    expect(selectedArguments(selection(doc), 'Child', 'records')).toEqual([{ first: 20 }]);
    expect(selectedArguments(selection('{ child { id } }'), 'Child', 'records')).toEqual([]);
  });

  it('leaves out a field @include(if: false) or @skip(if: true) drops, literally or by variable', () => {
    const doc = `query($yes: Boolean!, $no: Boolean!) { child {
      a: records(first: 1) @include(if: false)
      b: records(first: 2) @skip(if: true)
      c: records(first: 3) @include(if: $yes)
      d: records(first: 4) @include(if: $no)
      e: records(first: 5) @skip(if: $no)
      f: records(first: 6) @skip(if: false) @include(if: true)
      ... @include(if: false) { g: records(first: 7) }
      ...Dropped @skip(if: $yes)
    } }
    fragment Dropped on Child { h: records(first: 8) }`;
    expect(selectedArguments(selection(doc, { yes: true, no: false }), 'Child', 'records')).toEqual([
      { first: 3 },
      { first: 5 },
      { first: 6 },
    ]);
  });

  it('follows inline and named fragments on the type, its interfaces and unions, and no other type', () => {
    const doc = `{ child {
      ... on Child { a: records(first: 1) }
      ... on Node { ... on Child { b: records(first: 2) } }
      ...OnNode
      ...OnFound
      ... on Agency { c: records(first: 3) }
      ...OnAgency
      ... { d: records(first: 4) }
    } }
    fragment OnNode on Node { ...OnChild }
    fragment OnChild on Child { e: records(first: 5) }
    fragment OnFound on Found { ... on Child { f: records(first: 6) } }
    fragment OnAgency on Agency { g: records(first: 7) }`;
    const firsts = selectedArguments(selection(doc), 'Child', 'records').map((args) => args.first);
    expect(firsts.sort()).toEqual([1, 2, 4, 5, 6]);
  });

  it("does not count a nested child's records, nor a fragment the document lacks", () => {
    const doc = `{ child {
      guardian { records(first: 9) guardian { records(first: 10) } }
      ...Missing
      records(first: 11)
    } }`;
    expect(selectedArguments(selection(doc), 'Child', 'records')).toEqual([{ first: 11 }]);
  });

  it('takes every node of a field the executor merged (the same response key asked twice)', () => {
    const doc = '{ child { records(first: 1) } child { records(first: 1) } }';
    expect(selectedArguments(selection(doc), 'Child', 'records')).toEqual([{ first: 1 }, { first: 1 }]);
  });

  it('throws a GraphQLError where the executor would, and gives nothing for a type or field that is not there', () => {
    expect(() => selectedArguments(selection('query($c: Int) { child { required(count: $c) } }'), 'Child', 'required')).toThrow(
      GraphQLError,
    );
    expect(selectedArguments(selection('{ child { records } }'), 'Nothing', 'records')).toEqual([]);
    expect(selectedArguments(selection('{ child { records } }'), 'Node', 'records')).toEqual([]);
    expect(selectedArguments(selection('{ child { records } }'), 'Child', 'missing')).toEqual([]);
  });
});
