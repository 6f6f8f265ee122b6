import { createHash } from 'node:crypto';
import { buildSchema, Kind, parse, type FieldNode, type GraphQLObjectType, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from 'src/disclosure/chain/canonical.js';
import { CheckpointKey, verifySignature } from 'src/disclosure/chain/checkpoint-key.js';
import { chainHash, GENESIS, leafHash, merkleRoot } from 'src/disclosure/chain/hashing.js';
import { selectedPaths } from 'src/disclosure/selection-paths.js';

const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();

/** RFC 6962 §2.1, written as the RFC defines it, to check the bottom-up implementation against. */
function rfcRoot(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return sha();
  if (leaves.length === 1) return leaves[0] as Buffer;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha(Buffer.from([1]), rfcRoot(leaves.slice(0, k)), rfcRoot(leaves.slice(k)));
}

describe('the hash chain', () => {
  it('computes RFC 6962 Merkle roots for every tree size', () => {
    const leaves = Array.from({ length: 33 }, (_, index) => leafHash(Buffer.from(`entry ${index}`)));
    for (let size = 0; size <= leaves.length; size += 1) {
      expect(merkleRoot(leaves.slice(0, size)).toString('hex'), `size ${size}`).toBe(
        rfcRoot(leaves.slice(0, size)).toString('hex'),
      );
    }
    expect(leafHash(Buffer.from('x')).equals(sha(Buffer.from([0]), Buffer.from('x')))).toBe(true);
  });

  it('links each entry to the one before and to its position', () => {
    const leaf = leafHash(Buffer.from('a'));
    expect(chainHash(GENESIS, leaf, 1n).equals(chainHash(GENESIS, leaf, 1n))).toBe(true);
    expect(chainHash(GENESIS, leaf, 1n).equals(chainHash(GENESIS, leaf, 2n))).toBe(false);
    expect(chainHash(Buffer.alloc(32, 1), leaf, 1n).equals(chainHash(GENESIS, leaf, 1n))).toBe(false);
    const position = Buffer.alloc(8);
    position.writeBigUInt64BE(258n);
    expect(chainHash(GENESIS, leaf, 258n).equals(sha(GENESIS, leaf, position))).toBe(true);
    // A stored hash of the wrong length (altered) is hashed as it is: a mismatch, not a crash.
    expect(chainHash(Buffer.alloc(31), leaf, 258n).equals(sha(Buffer.alloc(31), leaf, position))).toBe(true);
  });

  it('builds canonical bytes: sorted keys, no whitespace, undefined dropped', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'é'], c: undefined, d: { z: 1, y: 2 } })).toBe(
      '{"a":[true,null,"é"],"b":1,"d":{"y":2,"z":1}}',
    );
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
    expect(() => canonicalJson({ a: [undefined] })).toThrow();
    expect(canonicalJson({ é: 1, z: 2, Z: 3, '': 4, a10: 5, a9: 6 })).toBe('{"":4,"Z":3,"a10":5,"a9":6,"z":2,"é":1}');
    // Keys already in order and keys out of it give the same bytes; keys that need escaping are
    // escaped every time (their quoted form is kept once made).
    expect(canonicalJson({ a: 1, b: { c: 2, d: 3 } })).toBe(canonicalJson({ b: { d: 3, c: 2 }, a: 1 }));
    for (let pass = 0; pass < 2; pass++) expect(canonicalJson({ 'q"\u2028': 1, '\n': 2 })).toBe('{"\\n":2,"q\\"\u2028":1}');
    expect(canonicalJson({ at: new Date('2026-01-02T03:04:05.678Z'), s: 'line\nbreak "q" \u001e' })).toBe(
      '{"at":"2026-01-02T03:04:05.678Z","s":"line\\nbreak \\"q\\" \\u001e"}',
    );
  });

  it('writes the same bytes when a batch shares its parts', () => {
    const user = { subject: 'u', roles: ['B', 'A'] };
    const bodies = [
      { user, n: 1, paths: ['a.b'] },
      { user, n: 2, paths: [] },
    ];
    const shared = new Map<object, string>();
    for (const body of bodies) expect(canonicalJson(body, shared)).toBe(canonicalJson(body));
    expect(shared.get(user)).toBe('{"roles":["B","A"],"subject":"u"}');
  });

  it('signs checkpoints with Ed25519 and refuses a changed statement', () => {
    const key = CheckpointKey.generate();
    const statement = Buffer.from('{"checkpoint":1}');
    const signature = key.sign(statement);
    expect(verifySignature(key.publicKeyPem(), statement, signature)).toBe(true);
    expect(verifySignature(key.publicKeyPem(), Buffer.from('{"checkpoint":2}'), signature)).toBe(false);
    expect(key.keyId).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('the fields a selection discloses', () => {
  const schema = buildSchema(`
    type Query { plan: Plan }
    interface Record { id: ID kind: String }
    type Plan implements Record { id: ID kind: String content: Content author: Person }
    type Content { summary: String health: String actions: [Action] }
    type Action { owner: String }
    type Person { name: String }
  `);
  const plan = schema.getType('Plan') as GraphQLObjectType;
  const paths = (source: string, variables: Record<string, unknown> = {}) => {
    const document = parse(source);
    const operation = document.definitions.find(
      (definition) => definition.kind === Kind.OPERATION_DEFINITION,
    ) as OperationDefinitionNode;
    const fragments = Object.fromEntries(
      document.definitions.flatMap((definition) =>
        definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition]] : [],
      ),
    );
    const field = operation.selectionSet.selections[0] as FieldNode;
    return selectedPaths({ schema, fragments, variables, isSubject: (type) => type.name === 'Person' }, plan, [field]);
  };

  it('names fields, not aliases, through fragments, inline fragments and lists', () => {
    expect(
      paths(
        `query { plan { gist: kind ...P ... on Record { id } } } fragment P on Plan { content { s: summary actions { owner } } }`,
      ),
    ).toEqual(['content.actions.owner', 'content.summary', 'id', 'kind']);
  });

  it('honours @skip and @include, and stops at objects with receipts of their own', () => {
    expect(
      paths(`query($h: Boolean!) { plan { kind content { health @include(if: $h) summary @skip(if: true) } author { name } } }`, {
        h: false,
      }),
    ).toEqual(['kind']);
    expect(paths(`query($h: Boolean!) { plan { content { health @include(if: $h) } } }`, { h: true })).toEqual([
      'content.health',
    ]);
  });
});
