import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { queryLimitsRule } from 'src/graphql/query-limits.rule.js';

const schema = buildSchema(`
  type Query { me: Person, people(first: Int): [Person] }
  type Person { name: String, friends(first: Int): [Person] }
`);
const rule = queryLimitsRule({ maxDepth: 10, maxAliases: 30, maxCost: 1_000 });

/** Validates with the limits alone, counting how often a fragment's type condition is looked up (once per fragment walked). */
function measured(document: string): { messages: string[]; walks: number } {
  let walks = 0;
  const getType = schema.getType.bind(schema);
  const counting = Object.assign(Object.create(schema) as typeof schema, {
    getType: (name: string) => {
      walks += 1;
      return getType(name);
    },
  });
  const messages = validate(schema, parse(document), [
    (context) => rule(Object.assign(Object.create(context) as typeof context, { getSchema: () => counting })),
  ]).map((error) => error.message);
  return { messages, walks };
}

describe('query limits across fragments', () => {
  it('walks each fragment once per document, however many operations spread it', () => {
    const operations = Array.from({ length: 200 }, (_, index) => `query Q${index} { ...F }`).join(' ');
    const { messages, walks } = measured(`${operations} fragment F on Query { me { ...G ...G } } fragment G on Person { name }`);
    expect(messages).toEqual([]);
    expect(walks).toBe(2);
  });

  it('counts a fragment where it is spread: cost times the pages above it, depth from there', () => {
    const spread = measured(`{ people(first: 50) { friends(first: 50) { ...N } } } fragment N on Person { name }`);
    const inline = measured(`{ people(first: 50) { friends(first: 50) { name } } }`);
    // people 1, their friends 50, the friends' names 50 × 50.
    expect(spread.messages).toEqual(['Query cost 2551 exceeds the limit of 1000']);
    expect(inline.messages).toEqual(spread.messages);
    // 3 levels above the spread, 8 in the fragment (one friend a level, so cost stays low).
    const deep = `${'friends(first: 1) { '.repeat(7)}name${' }'.repeat(7)}`;
    const spreadDeep = measured(`{ me { friends(first: 1) { friends(first: 1) { ...D } } } } fragment D on Person { ${deep} }`);
    expect(spreadDeep.messages).toEqual(['Query depth 11 exceeds the limit of 10']);
    expect(measured(`{ me { friends(first: 1) { friends(first: 1) { ${deep} } } } }`).messages).toEqual(spreadDeep.messages);
  });
});
