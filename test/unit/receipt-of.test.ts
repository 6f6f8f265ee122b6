import { describe, expect, it } from 'vitest';
import { canonicalJson } from 'src/disclosure/chain/canonical.js';
import { Principal } from 'src/auth/principal.js';
import { Role } from 'src/auth/roles.js';
import { AgencyKind } from 'src/vocabulary/children.enums.js';
import { type CallerPart, callerPart, receiptOf } from 'src/disclosure/receipt.js';
import {
  type FieldNode,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  Kind,
  type OperationDefinitionNode,
  parse,
} from 'graphql';
import { buildDisclosureBodies } from 'src/disclosure/receipt-builder.js';
import type { ResolvedSubject } from 'src/disclosure/disclosure-collector.js';
import { type Disclosure, disclosed } from 'src/policy/disclosed.js';
import { Sensitive } from 'src/vocabulary/sensitivity/sensitive-field.decorator.js';
import { SensitivityClass } from 'src/vocabulary/sensitivity/sensitivity-class.js';

// receiptOf writes a hot-path receipt property by property; it must hold exactly the properties
// (and so the canonical bytes) that spreading the caller's part and the disclosed part gave.

const caller: CallerPart = {
  v: 1,
  at: '2026-12-02T19:00:00.000Z',
  correlationId: 'corr-1',
  user: { subject: 'dana.hughes', name: 'Dana Hughes', roles: ['YOS_CASE_MANAGER'] },
  recipient: { agencyId: 'a', agencyCode: 'derby-yos', caseSystemId: 'c', caseSystemCode: 'derby-yos-childview' },
  purpose: 'CASE_MANAGEMENT',
  justification: null,
};
/** A YOS case manager's request context. */
function dana(): Principal {
  return new Principal(
    'dana.hughes',
    'Dana Hughes',
    { id: 'a', code: 'derby-yos', kind: AgencyKind.YOUTH_JUSTICE, localAuthorityId: null },
    { id: 'c', code: 'derby-yos-childview' },
    [Role.YOS_CASE_MANAGER],
    { header: 'CASE_MANAGEMENT', justification: undefined, correlationId: 'corr-1' },
  );
}
const operation = { channel: 'GRAPHQL', name: 'ChildWithPlans', hash: 'f'.repeat(64) } as const;
const part = {
  breakGlass: false,
  afterAllocationEnded: true,
  child: 'child-1',
  record: { kind: 'CARE_PLAN', id: 'record-1', version: 2, owningAgencyId: 'b' },
  disclosed: ['content.summary', 'id'],
  withheld: [{ field: 'content.health', reason: 'NOT_IN_AGREEMENT', rule: 'r' }],
  bases: [{ class: 'CARE_PLANNING', rule: 'r', lawfulBasis: null, agreement: null }],
};

describe('receiptOf', () => {
  const cases = [
    ['a disclosure', caller, undefined],
    ['under a delegated token', { ...caller, actor: { subject: 'case-system-client' } }, undefined],
    ['a consultation', caller, 'CV-88231'],
    ['a delegated consultation', { ...caller, actor: { subject: 'case-system-client' } }, 'CV-88231'],
  ] as const;

  it.each(cases)('%s: the same properties and bytes as the spread form', (_name, from, lookup) => {
    const spread = {
      ...from,
      entry: 'DISCLOSURE',
      outcome: 'DISCLOSED',
      operation,
      ...part,
      ...(lookup === undefined ? {} : { lookup }),
    };
    const written = receiptOf(from, 'DISCLOSURE', 'DISCLOSED', operation, part, lookup);
    expect(Object.keys(written).sort()).toEqual(Object.keys(spread).sort());
    expect(written).toEqual(spread);
    expect(canonicalJson(written)).toBe(canonicalJson(spread));
    expect('actor' in written).toBe('actor' in from);
    expect('lookup' in written).toBe(lookup !== undefined);
  });

  it('writes the keys in canonical order, so that canonicalJson sorts nothing on the hot path', () => {
    const principal = dana();
    const built = callerPart(principal, new Date('2026-12-02T19:00:00.000Z'));
    const inOrder = (value: object) => expect(Object.keys(value)).toEqual(Object.keys(value).sort());
    inOrder(built.user);
    inOrder(built.recipient);
    inOrder(receiptOf(built, 'DISCLOSURE', 'DISCLOSED', operation, part));
  });
});

describe('buildDisclosureBodies', () => {
  it('stops the response at a value that did not go through the policy, naming where it was', () => {
    const principal = dana();
    const type = new GraphQLObjectType({ name: 'SharedRecord', fields: { id: { type: GraphQLString } } });
    const schema = new GraphQLSchema({ query: new GraphQLObjectType({ name: 'Query', fields: { record: { type } } }) });
    const undecided = {
      value: { id: 'record-1' },
      path: { prev: { prev: undefined, key: 'child', typename: 'Query' }, key: 'records', typename: 'Child' },
      index: 2,
      type,
      fieldNodes: [],
      fragments: {},
      variables: {},
      schema,
      operationName: null,
    };
    expect(() => buildDisclosureBodies(principal, [undecided], operation, new Date())).toThrow(
      "A SharedRecord at child.records.2 reached the response without the policy's decision",
    );
  });
});

// A thing resolved more than once in a response gets one receipt: the union of what each
// resolution disclosed, and what any withheld. Receipts take a query's selection list as it is
// kept (sorted, frozen, shared) while one selection alone contributed and nothing was withheld.
describe('buildDisclosureBodies: one thing resolved several times', () => {
  class PlanModel {}
  Sensitive(SensitivityClass.IDENTITY_BASIC, () => String, { description: 'id', required: true })(PlanModel.prototype, 'id');
  Sensitive(SensitivityClass.CASE_ADMINISTRATION, () => String, { description: 'summary' })(PlanModel.prototype, 'summary');
  Sensitive(SensitivityClass.HEALTH, () => String, { description: 'health' })(PlanModel.prototype, 'health');

  const type = new GraphQLObjectType({
    name: 'SharedRecord',
    fields: { id: { type: GraphQLString }, summary: { type: GraphQLString }, health: { type: GraphQLString } },
  });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { first: { type }, second: { type } } }),
  });
  const identity = { rule: 'CHILD-READ', lawfulBasis: 'Children Act 1989 s17', agreement: null };
  const disclosure: Disclosure = {
    kind: 'CARE_PLAN',
    id: 'record-1',
    childId: 'child-1',
    version: 2,
    owningAgencyId: 'b',
    model: PlanModel,
    grants: new Map([[SensitivityClass.HEALTH, { rule: 'R-HEALTH', lawfulBasis: 'consent', agreement: null }]]),
    child: { identity, breakGlass: false, afterAllocationEnded: false },
  };
  const healthWithheld = [
    { field: 'health', sensitivityClass: SensitivityClass.HEALTH, reason: 'no grant', rule: 'DEFAULT-DENY' },
  ];

  /** The root fields of a query, by response name. */
  function fieldsOf(query: string): Map<string, FieldNode> {
    const operation = parse(query).definitions[0] as OperationDefinitionNode;
    const fields = new Map<string, FieldNode>();
    for (const selection of operation.selectionSet.selections)
      if (selection.kind === Kind.FIELD) fields.set(selection.alias?.value ?? selection.name.value, selection);
    return fields;
  }

  /** One execution's variables: what the executor gives every field of one operation. */
  const variables = {};

  function subject(field: FieldNode, withheld: readonly object[]): ResolvedSubject {
    return {
      value: disclosed({ id: 'record-1', summary: 's', health: withheld.length > 0 ? null : 'h', withheld }, disclosure),
      path: { prev: undefined, key: field.alias?.value ?? field.name.value, typename: 'Query' },
      index: null,
      type,
      fieldNodes: [field],
      fragments: {},
      variables,
      schema,
      operationName: null,
    };
  }

  const build = (...subjects: ResolvedSubject[]) => buildDisclosureBodies(dana(), subjects, operation, new Date());

  it('lists each path once, sorted, through aliases, and gives every receipt its own list', () => {
    const fields = fieldsOf('{ first { b: summary a: summary id health } }');
    const field = fields.get('first') as FieldNode;
    const [once] = build(subject(field, []));
    const [twice] = build(subject(field, []), subject(field, []));
    expect(once?.disclosed).toEqual(['health', 'id', 'summary']);
    expect(twice?.disclosed).toEqual(['health', 'id', 'summary']);
    expect(once?.disclosed).not.toBe(twice?.disclosed);
    expect(Object.isFrozen(once?.disclosed)).toBe(false);
    expect(once?.bases.map((basis) => basis.class)).toEqual([
      SensitivityClass.CASE_ADMINISTRATION,
      SensitivityClass.HEALTH,
      SensitivityClass.IDENTITY_BASIC,
    ]);
  });

  it('takes the union of two selections of the same thing', () => {
    const fields = fieldsOf('{ first { id } second { summary } }');
    const [receipt, ...others] = build(
      subject(fields.get('first') as FieldNode, []),
      subject(fields.get('second') as FieldNode, []),
    );
    expect(others).toHaveLength(0);
    expect(receipt?.disclosed).toEqual(['id', 'summary']);
  });

  it('lists what one resolution withheld, and as disclosed what another let out, in either order', () => {
    const fields = fieldsOf('{ first { id summary health } second { id health } }');
    const open = subject(fields.get('first') as FieldNode, []);
    const closed = subject(fields.get('second') as FieldNode, healthWithheld);
    for (const order of [
      [open, closed],
      [closed, open],
    ]) {
      const [receipt] = build(...order);
      expect(receipt?.disclosed).toEqual(['health', 'id', 'summary']);
      expect(receipt?.withheld).toEqual([{ field: 'health', reason: 'no grant', rule: 'DEFAULT-DENY' }]);
    }
    const [onlyClosed] = build(closed, closed);
    expect(onlyClosed?.disclosed).toEqual(['id']);
    expect(onlyClosed?.withheld.map((item) => item.field)).toEqual(['health']);
  });
});
