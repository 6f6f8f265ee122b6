import { describe, expect, it } from 'vitest';
import { canonicalJson } from 'src/disclosure/chain/canonical.js';
import { CompactFormError } from 'src/disclosure/compact/compact-bytes.js';
import { MemoryDictionary } from 'src/disclosure/compact/memory-dictionary.js';
import {
  decodeResponse,
  type DictionaryKind,
  type DictionaryReader,
  encodeResponse,
} from 'src/disclosure/compact/response-codec.js';
import type { ReceiptBasis, ReceiptBody } from 'src/disclosure/receipt.js';

const AGREEMENT = { clause: '2.1', id: 'derby-yos-csc', version: 4 };
const basis = (cls: string, lawfulBasis = 'UK GDPR Art 6(1)(e) public task; Children Act 1989 s17'): ReceiptBasis => ({
  agreement: AGREEMENT,
  class: cls,
  lawfulBasis,
  rule: 'derby-yos-csc@v4 §2.1',
});

/** The caller's part of the key read's receipts, as the writer builds it. */
const caller = {
  v: 1 as const,
  at: '2026-12-02T15:31:39.518Z',
  correlationId: '912eaa9b-d4d5-4a8d-ab8c-150429ad92c4',
  operation: {
    channel: 'GRAPHQL' as const,
    hash: '73d83158eb73f5efd88734a749d9e54c308f96c4b3f63d8a5ef55ed65f03e7be',
    name: 'ChildWithPlans',
  },
  user: { name: 'Dana Hughes', roles: ['YOS_CASE_MANAGER'], subject: 'dana.hughes' },
  recipient: {
    agencyCode: 'derby-yos',
    agencyId: '00000000-0000-4000-8000-000000000101',
    caseSystemCode: 'derby-yos-childview',
    caseSystemId: '00000000-0000-4000-8000-000000000201',
  },
  purpose: 'CASE_MANAGEMENT',
  justification: null,
  breakGlass: false,
  afterAllocationEnded: false,
};
const CHILD = '85dd69b9-e6bb-4f4e-96b7-7db1dc7d5c3d';
const CSC = '00000000-0000-4000-8000-000000000102';

/** "A YOS case manager reads one child with its CSC plans": the four receipts it writes. */
function keyRead(): ReceiptBody[] {
  const plan = (
    kind: string,
    id: string,
    disclosed: string[],
    withheld: ReceiptBody['withheld'],
    bases: ReceiptBasis[],
  ): ReceiptBody => ({
    ...caller,
    entry: 'DISCLOSURE',
    outcome: 'DISCLOSED',
    child: CHILD,
    record: { id, kind, owningAgencyId: CSC, version: 1 },
    disclosed,
    withheld,
    bases,
  });
  const courtWithheld = [
    {
      field: 'content.courtProceedingsInformation',
      reason:
        'No sharing agreement in force gives COURT_RESTRICTED from the owning agency to YOS_CASE_MANAGER at derby-yos for CASE_MANAGEMENT',
      rule: 'DEFAULT-DENY',
    },
  ];
  return [
    {
      ...caller,
      entry: 'DISCLOSURE',
      outcome: 'DISCLOSED',
      child: CHILD,
      record: { id: CHILD, kind: 'CHILD', owningAgencyId: null, version: 3 },
      disclosed: ['dateOfBirth', 'familyName', 'givenName', 'id', 'legalStatus.basis', 'legalStatus.startDate'],
      withheld: [],
      bases: [basis('IDENTITY', 'UK GDPR Art 6(1)(e) public task; Crime and Disorder Act 1998 s115')],
    },
    plan(
      'CARE_PLAN',
      'c2e8182f-0679-4e22-a004-aece2696cd8b',
      [
        'author.name',
        'content.contactArrangements',
        'content.nextReviewDate',
        'content.remandOnly',
        'content.summary',
        'createdAt',
        'id',
        'kind',
        'version',
      ],
      courtWithheld,
      [basis('CARE_PLANNING'), basis('CASE_ADMINISTRATION'), basis('FAMILY_CONTACT')],
    ),
    plan(
      'PLACEMENT_PLAN',
      'e5acba05-154f-4091-9a41-292368f525b5',
      [
        'author.name',
        'content.contactArrangements',
        'content.education',
        'content.howPlacementMeetsNeeds',
        'content.visitFrequency',
        'createdAt',
        'id',
        'kind',
        'version',
      ],
      [],
      [basis('CARE_PLANNING'), basis('CASE_ADMINISTRATION'), basis('EDUCATION'), basis('FAMILY_CONTACT')],
    ),
    plan(
      'DETENTION_PLACEMENT_PLAN',
      'f0e1d2c3-b4a5-4697-8899-aabbccddeeff',
      ['author.name', 'content.contactArrangements', 'content.summary', 'createdAt', 'id', 'kind', 'version'],
      courtWithheld,
      [basis('CARE_PLANNING'), basis('CASE_ADMINISTRATION'), basis('FAMILY_CONTACT')],
    ),
  ];
}

const texts = (bodies: readonly ReceiptBody[]) => bodies.map((body) => canonicalJson(body));

describe('the compact form of a response', () => {
  it('gives back every receipt of the key read byte for byte, in a tenth of the space', () => {
    const dictionary = new MemoryDictionary();
    const bodies = keyRead();
    const bytes = encodeResponse(bodies, dictionary);
    expect(texts(decodeResponse(bytes, dictionary))).toEqual(texts(bodies));
    const json = texts(bodies).reduce((sum, text) => sum + Buffer.byteLength(text), 0);
    // The form's size is a property of the format, not of the machine: 4 receipts, one caller part.
    expect(json).toBeGreaterThan(6000);
    // Under 360 bytes, and 16 more for the digest of the dictionary entries it refers to.
    expect(bytes.length).toBeLessThan(376);
    expect(json / bytes.length).toBeGreaterThan(15);
    // Once the dictionary knows the sets, the next read of another child adds nothing to it.
    const size = dictionary.size();
    expect(size.entries).toBe(13); // 4 record kinds, 4 field sets, 2 withheld sets, 3 sets of bases
    encodeResponse(
      keyRead().map((body) => ({ ...body, child: 'aaaaaaaa-e6bb-4f4e-96b7-7db1dc7d5c3d' })),
      dictionary,
    );
    expect(dictionary.size()).toEqual(size);
  });

  it('fixes what each dictionary number meant: an entry altered or renumbered no longer decodes', () => {
    const dictionary = new MemoryDictionary();
    const bytes = encodeResponse(keyRead(), dictionary);
    /** The dictionary as stored, with `change` applied to what one kind's numbers stand for. */
    const tampered = (kind: DictionaryKind, change: (values: string[]) => string[]): DictionaryReader => {
      const values: string[] = [];
      for (let id = 0; ; id++) {
        try {
          values.push(dictionary.canonicalOf(kind, id));
        } catch {
          break;
        }
      }
      const changed = change(values);
      return {
        canonicalOf: (asked, id) => {
          if (asked !== kind) return dictionary.canonicalOf(asked, id);
          const value = changed[id];
          if (value === undefined) throw new Error('none');
          return value;
        },
      };
    };
    expect(
      texts(
        decodeResponse(
          bytes,
          tampered('BASES', (values) => values),
        ),
      ),
    ).toEqual(texts(keyRead()));
    // A basis's lawful basis rewritten, still valid JSON of the right shape.
    const rewritten = tampered('BASES', (values) => values.map((value) => value.replace('Children Act 1989 s17', 'consent')));
    expect(() => decodeResponse(bytes, rewritten)).toThrow(/dictionary entries differ/);
    // Two sets of disclosed fields swapped: every value still in the dictionary, under another number.
    const swapped = tampered('DISCLOSED', ([first = '', second = '', ...rest]) => [second, first, ...rest]);
    expect(() => decodeResponse(bytes, swapped)).toThrow(/dictionary entries differ/);
    // And the digest itself altered.
    const last = bytes.length - 1;
    const flipped = Buffer.from(bytes);
    flipped[last] = (flipped[last] ?? 0) ^ 1;
    expect(() => decodeResponse(flipped, dictionary)).toThrow(/dictionary entries differ/);
  });

  it('shares a dictionary value between the receipts it decodes, frozen so that none can change another', () => {
    const dictionary = new MemoryDictionary();
    const bytes = encodeResponse(keyRead(), dictionary);
    const [first] = decodeResponse(bytes, dictionary);
    const [again] = decodeResponse(bytes, dictionary);
    expect(first?.bases).toBe(again?.bases);
    expect(() => (first?.disclosed as string[]).push('content.everything')).toThrow(TypeError);
    expect(() => Object.assign(first?.bases[0] ?? {}, { rule: 'forged' })).toThrow(TypeError);
    expect(texts(decodeResponse(bytes, dictionary))).toEqual(texts(keyRead()));
  });

  it('writes one byte string per response', () => {
    const one = encodeResponse(keyRead(), new MemoryDictionary());
    const two = encodeResponse(keyRead(), new MemoryDictionary());
    expect(one.equals(two)).toBe(true);
  });

  it('holds every kind of entry and every optional part exactly', () => {
    const dictionary = new MemoryDictionary();
    // A caller unlike the key read's in every optional part, shared by the response's receipts.
    const oddCaller = {
      ...caller,
      at: '2026-12-02T15:31:39.5Z',
      correlationId: 'client-supplied id with spaces and ünïcode 🙂',
      operation: { channel: 'WEBHOOK' as const, name: null, hash: null },
      user: { name: 'Zoë Ó Súilleabháin', roles: [], subject: 'system:derby-csc-liquidlogic' },
      actor: { subject: 'client:derby-yos-childview' },
      recipient: { ...caller.recipient, agencyId: 'NOT-A-UUID', caseSystemId: 'C0FFEE00-0000-4000-8000-000000000201' },
      purpose: null,
      justification: 'Emergency: child missing overnight',
      breakGlass: true,
      afterAllocationEnded: true,
    };
    const odd: ReceiptBody[] = [
      {
        ...oddCaller,
        entry: 'CONSULTATION',
        outcome: 'NOT_FOUND',
        child: null,
        record: null,
        disclosed: [],
        withheld: [],
        bases: [],
        lookup: 'ref:LL-000123',
      },
      {
        ...oddCaller,
        entry: 'ALTERATION',
        outcome: 'ALTERED',
        child: CHILD,
        record: { id: 'rec-1', kind: 'OBLIGATION', owningAgencyId: CSC, version: null },
        disclosed: ['status'],
        withheld: [],
        bases: [{ ...basis('SAFEGUARDING'), permission: { id: 'p1', kind: 'COURT_ORDER', reference: 'FD26P00123' } }],
        alteration: { action: 'ACKNOWLEDGED', versionAfter: 2, versionBefore: 1 },
        delivery: { attempt: 3, deliveryId: null, endpointId: 'e1', notificationId: 'n1', seq: '42' },
        query: { filter: { childId: CHILD }, returned: 0 },
      },
    ];
    expect(texts(decodeResponse(encodeResponse(odd, dictionary), dictionary))).toEqual(texts(odd));
  });

  it('refuses what it cannot hold exactly, rather than altering it', () => {
    const dictionary = new MemoryDictionary();
    const [body] = keyRead();
    if (!body) throw new Error('no body');
    const refused = (bodies: ReceiptBody[]) => expect(() => encodeResponse(bodies, dictionary)).toThrow(CompactFormError);
    refused([]);
    refused([{ ...body, unknown: 1 } as ReceiptBody]);
    refused([{ ...body, user: { ...body.user, email: 'x' } } as ReceiptBody]);
    refused([{ ...body, record: { ...body.record, extra: true } } as unknown as ReceiptBody]);
    refused([body, { ...body, purpose: 'SAFEGUARDING' }]);
    refused([body, { ...body, at: '2026-12-02T15:31:39.519Z' }]);
    refused([{ ...body, entry: 'PEEK' } as unknown as ReceiptBody]);
    refused([{ ...body, record: body.record && { ...body.record, version: -1 } }]);
    refused([{ ...body, user: { ...body.user, name: 'half a pair \uD83D' } }]);
    // Shapes that would come back different rather than fail.
    refused([{ ...body, actor: null } as unknown as ReceiptBody]);
    refused([{ ...body, actor: { subject: null } } as unknown as ReceiptBody]);
    refused([{ ...body, record: undefined } as unknown as ReceiptBody]);
    refused([{ ...body, record: 0 } as unknown as ReceiptBody]);
    refused([{ ...body, user: { ...body.user, roles: 'ab' } } as unknown as ReceiptBody]);
    refused([{ ...body, correlationId: null } as unknown as ReceiptBody]);
    refused([{ ...body, disclosed: undefined } as unknown as ReceiptBody]);
    // A refused response leaves nothing in the dictionary, even when its first receipts were fine.
    const untouched = new MemoryDictionary();
    expect(() => encodeResponse([body, { ...body, record: body.record && { ...body.record, version: -1 } }], untouched)).toThrow(
      CompactFormError,
    );
    expect(untouched.size().entries).toBe(0);
  });

  it('rejects bytes that are not a response it wrote', () => {
    const dictionary = new MemoryDictionary();
    const bytes = encodeResponse(keyRead(), dictionary);
    const rejected = (altered: Buffer) => expect(() => decodeResponse(altered, dictionary)).toThrow(CompactFormError);
    rejected(bytes.subarray(0, bytes.length - 1));
    rejected(Buffer.concat([bytes, Buffer.from([0])]));
    rejected(Buffer.concat([Buffer.from([0x01]), bytes.subarray(1)]));
    // A child written in full where the entry before held the same one (the repeat is its only form).
    const twice = encodeResponse(keyRead().slice(0, 2), dictionary);
    const at = twice.indexOf(Buffer.from([6]), twice.indexOf(Buffer.from('85dd69b9e6bb4f4e96b77db1dc7d5c3d', 'hex')) + 16);
    expect(at).toBeGreaterThan(0);
    const full = Buffer.concat([
      twice.subarray(0, at),
      Buffer.from([1]),
      Buffer.from('85dd69b9e6bb4f4e96b77db1dc7d5c3d', 'hex'),
      twice.subarray(at + 1),
    ]);
    expect(() => decodeResponse(full, dictionary)).toThrow(/repeat written in full/);
    // Text that is not UTF-8, or that a lenient decoder would read as another text of the same length.
    const name = Buffer.from('Dana Hughes');
    const nameAt = bytes.indexOf(name);
    for (const spelling of [
      Buffer.from([0xf0, 0x90, 0x80, 0x41]),
      Buffer.from([0xef, 0xbb, 0xbf, 0x41]),
      Buffer.from([0xff, 0x41, 0x41, 0x41]),
    ]) {
      const other = Buffer.concat([
        bytes.subarray(0, nameAt - 1),
        Buffer.from([spelling.length]),
        spelling,
        bytes.subarray(nameAt + name.length),
      ]);
      if (spelling[0] === 0xef) expect(decodeResponse(other, dictionary)[0]?.user.name).toBe('\uFEFFA');
      else rejected(other);
    }
    // The rare parts in any spelling but the encoder's, or reaching past them into the receipt.
    const [first] = keyRead();
    if (!first) throw new Error('no body');
    const withLookup = encodeResponse([{ ...first, entry: 'CONSULTATION', lookup: 'ref:LL-1' }], dictionary);
    const canonical = Buffer.from('{"lookup":"ref:LL-1"}');
    const extrasAt = withLookup.indexOf(canonical);
    expect(extrasAt).toBeGreaterThan(0);
    for (const spelling of ['{ "lookup" : "ref:LL-1" }', '{}', 'null', '{"child":"x","lookup":"ref:LL-1"}', '[1]']) {
      const text = Buffer.from(spelling);
      rejected(Buffer.concat([withLookup.subarray(0, extrasAt - 1), Buffer.from([text.length]), text]));
    }
    // Dictionary numbers that were never handed out.
    const unknown = Buffer.from(bytes);
    unknown[unknown.length - 2] = 0x7f;
    rejected(unknown);
  });
});
