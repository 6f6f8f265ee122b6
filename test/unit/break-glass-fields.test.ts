import { readFileSync } from 'node:fs';
import { buildSchema, GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { BREAK_GLASS_CLOSED_CHILD_FIELDS } from 'src/policy/emergency-access.js';

/** The one list of a child's fields break-glass does not reach, which resolvers and receipts both read. */
/** What break-glass reaches of a child (ACCESS-POLICY.md, Break-glass); records are closed by the rules themselves. */
const NARROW_READ = [
  'id',
  'givenName',
  'familyName',
  'dateOfBirth',
  'sex',
  'otherNames',
  'version',
  'legalStatus',
  'currentPlacement',
  'allocations',
  'riskFlags',
];

describe('BREAK_GLASS_CLOSED_CHILD_FIELDS', () => {
  const child = buildSchema(readFileSync('schema.graphql', 'utf8')).getType('Child');
  if (!(child instanceof GraphQLObjectType)) throw new Error('no Child type');
  const fields = Object.keys(child.getFields());

  it('names fields of Child as the schema has them (a renamed field fails here)', () => {
    for (const field of BREAK_GLASS_CLOSED_CHILD_FIELDS) expect(fields, field).toContain(field);
  });

  it('with the narrow read, accounts for every field of Child (a new field must be put on one side)', () => {
    const open = [...NARROW_READ, 'records'];
    expect(fields.filter((field) => !open.includes(field) && !BREAK_GLASS_CLOSED_CHILD_FIELDS.has(field))).toEqual([]);
  });

  it('leaves the narrow read open: identity, current legal status and placement, allocations, risk flags', () => {
    for (const field of [
      'id',
      'givenName',
      'familyName',
      'dateOfBirth',
      'legalStatus',
      'currentPlacement',
      'allocations',
      'riskFlags',
    ])
      expect(BREAK_GLASS_CLOSED_CHILD_FIELDS.has(field), field).toBe(false);
  });
});
