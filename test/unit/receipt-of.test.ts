import { describe, expect, it } from 'vitest';
import { canonicalJson } from 'src/disclosure/chain/canonical.js';
import { Principal } from 'src/auth/principal.js';
import { Role } from 'src/auth/roles.js';
import { AgencyKind } from 'src/vocabulary/children.enums.js';
import { type CallerPart, callerPart, receiptOf } from 'src/disclosure/receipt.js';
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { buildDisclosureBodies } from 'src/disclosure/receipt-builder.js';

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
