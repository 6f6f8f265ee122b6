import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aChild, insertChild } from 'src/seed/child-factory.js';
import { AllocationRole, InvolvementRole, PlacementStatus, PlacementType } from 'src/vocabulary/children.enums.js';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN, KAYLA } from '../support/demo-ids.js';
import { loggedReceipts } from '../support/logged-receipts.js';

/**
 * Issue 12 §1: one child across both case systems. Matching tells as little as it can and is
 * logged whatever it finds; registering a child Tandem holds gives CONFLICT with its id; the second
 * agency links its own reference instead, and the child ends with one id and two references.
 */
let t: TestApp;
let db: DataSource;
beforeAll(async () => {
  t = await startTestApp();
  db = t.app.get(DataSource);
});
afterAll(() => t.close());

const MATCH = `query($input: MatchChildInput!) { matchChild(input: $input) { outcome childId matchedAttributes } }`;
const REGISTER = `mutation($input: RegisterChildInput!) { registerChild(input: $input) { id givenName sex otherNames { givenNames familyName } identifiers { nhsNumber pncId upn withheld { field rule } } } }`;
const LINK = `mutation($input: LinkCaseReferenceInput!) { linkCaseReference(input: $input) { id caseReferences { caseSystem { code } value } involvements { agency { code } role } } }`;

interface Match {
  matchChild: { outcome: string; childId: string | null; matchedAttributes: string[] } | null;
}

async function count(sql: string): Promise<number> {
  const rows = await db.query<{ n: string }[]>(sql);
  return Number(rows[0]?.n ?? 0);
}

/** A request with its own correlation id, and the receipts it left. */
async function logged<T>(
  subject: string,
  query: string,
  variables: Record<string, unknown>,
  purpose: string | null = 'CASE_MANAGEMENT',
) {
  const correlationId = `match-${randomUUID()}`;
  const response = await t.gql<T>(subject, query, variables, { purpose, headers: { 'x-correlation-id': correlationId } });
  const receipts = (await loggedReceipts(db, { correlationId })).map(({ text, body }) => ({ text, body }));
  return { response, receipts };
}

const kayleigh = {
  givenName: 'Kayleigh',
  familyName: 'Marsh',
  dateOfBirth: '2011-04-07',
  sex: 'FEMALE',
  nhsNumber: '943 476 5919',
  caseReference: 'CV-KM-1001',
};

describe('two agencies register the same child under different spellings and date typos', () => {
  it('ends with one child and two references', async () => {
    const first = await t.gql<{ registerChild: { id: string; identifiers: { nhsNumber: string } } }>('dana.hughes', REGISTER, {
      input: {
        ...kayleigh,
        pncId: '01/171310W',
        upn: 'B801200005001',
        otherNames: [{ givenNames: 'Kayleigh', familyName: 'Dunn' }],
      },
    });
    expect(first.body.errors, JSON.stringify(first.body.errors)).toBeUndefined();
    const childId = first.body.data?.registerChild.id ?? '';
    const read = await t.gql<{ child: { identifiers: { nhsNumber: string | null } } }>(
      'derby-yos-integration',
      `query($id: ID!) { child(id: $id) { sex otherNames { givenNames familyName } identifiers { nhsNumber pncId upn withheld { field rule } } } }`,
      { id: childId },
    );
    expect(read.body.data?.child.identifiers.nhsNumber).toBe('9434765919');

    // Islington CSC's front door keys the name as its system spells it, the date of birth day-first.
    const second = await t.gql('islington.icat', REGISTER, {
      input: {
        givenName: 'Kayley',
        familyName: 'Marsh',
        dateOfBirth: '2011-07-04',
        nhsNumber: '9434765919',
        caseReference: 'M-5521',
      },
    });
    expect(codes(second)).toEqual(['CONFLICT']);
    expect(second.body.errors?.[0]?.extensions).toMatchObject({ childId, matchedAttributes: ['NHS_NUMBER', 'FAMILY_NAME'] });
    expect(second.body.data?.registerChild ?? null).toBeNull();

    const linked = await t.gql<{
      linkCaseReference: {
        id: string;
        caseReferences: { caseSystem: { code: string }; value: string }[];
        involvements: { agency: { code: string }; role: string }[];
      };
    }>('islington.icat', LINK, { input: { childId, reference: 'M-5521' } });
    expect(linked.body.errors, JSON.stringify(linked.body.errors)).toBeUndefined();
    const child = linked.body.data?.linkCaseReference;
    expect(child?.id).toBe(childId);
    expect(child?.caseReferences.map((reference) => `${reference.caseSystem.code}:${reference.value}`).sort()).toEqual([
      'derby-yos-childview:CV-KM-1001',
      'islington-csc-mosaic:M-5521',
    ]);
    expect(child?.involvements.map((involvement) => `${involvement.agency.code}:${involvement.role}`).sort()).toEqual([
      'derby-yos:YOS_HOME',
      'islington-csc:CSC',
    ]);
    const n = await count(`SELECT count(*) AS n FROM child WHERE nhs_number = '9434765919'`);
    expect(n).toBe(1);

    // The link is an alteration in the log: the reference and the caller's own involvement.
    const altered = (await loggedReceipts(db, { entryKind: 'ALTERATION', childId }))
      .map((row) => row.body)
      .filter((body) => body.alteration?.action === 'linkCaseReference');
    expect(altered.map((body) => [body.record?.kind, body.recipient.agencyCode])).toEqual([
      ['CASE_REFERENCE', 'islington-csc'],
      ['INVOLVEMENT', 'islington-csc'],
    ]);
  });

  it("Derby CSC registering Jordan Pryce again gets CONFLICT with Jordan's id, not a second Jordan", async () => {
    const response = await t.gql('derby.csct', REGISTER, {
      input: { givenName: 'Jordan', familyName: 'PRYCE', dateOfBirth: '2010-03-14', caseReference: 'LL-999001' },
    });
    expect(codes(response)).toEqual(['CONFLICT']);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ childId: JORDAN.id });
    // Its system holds Jordan already (LL-204518): a second reference of one system is refused.
    const linked = await t.gql('derby.csct', LINK, { input: { childId: JORDAN.id, reference: 'LL-999001' } });
    expect(codes(linked)).toEqual(['CONFLICT']);
    const n = await count(`SELECT count(*) AS n FROM child WHERE family_name ILIKE 'pryce'`);
    expect(n).toBe(1);
  });

  it('under a purpose that does not allow matching, is CONFLICT without the id, logged as the confident match it was', async () => {
    const { response, receipts } = await logged(
      'derby.csct',
      REGISTER,
      { input: { givenName: 'Jordan', familyName: 'PRYCE', dateOfBirth: '2010-03-14', caseReference: 'LL-999002' } },
      'COURT_REPORT',
    );
    expect(codes(response)).toEqual(['CONFLICT']);
    expect(JSON.stringify(response.body)).not.toContain(JORDAN.id);
    expect(receipts.map((receipt) => receipt.body)).toEqual([
      expect.objectContaining({
        entry: 'CONSULTATION',
        outcome: 'DENIED',
        purpose: 'COURT_REPORT',
        child: JORDAN.id,
        lookup: 'match request: CONFIDENT, not named (purpose)',
      }),
    ]);
  });

  it('under a purpose that does not allow matching, registers a child Tandem does not hold', async () => {
    const response = await t.gql(
      'derby.csct',
      REGISTER,
      { input: { givenName: 'Nadia', familyName: 'Okonjo-Reyes', dateOfBirth: '2011-06-02', caseReference: 'LL-999077' } },
      { purpose: 'COURT_REPORT' },
    );
    expect(response.body.errors).toBeUndefined();
    expect((response.body.data as { registerChild: { givenName: string } }).registerChild.givenName).toBe('Nadia');
  });

  it('refuses a case reference with invisible or direction-reversing characters, as linking does', async () => {
    for (const caseReference of ['CV-88231\u200b', '\u202e13288-VC']) {
      const refused = await t.gql('dana.hughes', REGISTER, {
        input: { givenName: 'Ivo', familyName: 'Strand', dateOfBirth: '2013-03-03', caseReference },
      });
      expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.caseReference' });
    }
  });

  it('refuses an invalid identifier, naming the field', async () => {
    for (const [field, value] of [
      ['nhsNumber', '9434765918'],
      ['pncId', '01/0171310X'],
      ['upn', 'A801200005001'],
    ] as const) {
      const response = await t.gql('dana.hughes', REGISTER, {
        input: { ...kayleigh, caseReference: `CV-X-${field}`, [field]: value },
      });
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
      expect(JSON.stringify(response.body.errors?.[0]?.extensions)).toContain(`input.${field}`);
    }
  });
});

describe('updateChildDetails', () => {
  const UPDATE = `mutation($input: UpdateChildDetailsInput!) { updateChildDetails(input: $input) { id version sex otherNames { givenNames familyName } } }`;

  it('records identifiers, sex and other names, refusing an invalid identifier by its field', async () => {
    const bad = await t.gql('sam.okafor', UPDATE, { input: { childId: JORDAN.id, expectedVersion: 1, pncId: '01/0171310X' } });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(JSON.stringify(bad.body.errors?.[0]?.extensions)).toContain('input.pncId');

    const good = await t.gql<{ updateChildDetails: { version: number; sex: string; otherNames: unknown[] } }>(
      'sam.okafor',
      UPDATE,
      {
        input: {
          childId: JORDAN.id,
          expectedVersion: 1,
          sex: 'MALE',
          upn: 'b801 2000 05001',
          otherNames: [{ givenNames: 'Jordan', familyName: 'Hale' }],
        },
      },
    );
    expect(good.body.errors, JSON.stringify(good.body.errors)).toBeUndefined();
    expect(good.body.data?.updateChildDetails).toMatchObject({
      version: 2,
      sex: 'MALE',
      otherNames: [{ givenNames: 'Jordan', familyName: 'Hale' }],
    });
    const rows = await db.query<{ upn: string; identifiers_agency_id: string }[]>(
      'SELECT upn, identifiers_agency_id FROM child WHERE id = $1',
      [JORDAN.id],
    );
    expect(rows[0]?.upn).toBe('B801200005001');
  });

  it('leaves the identifiers with the agency that recorded them: another agency writing one is refused', async () => {
    const before = await db.query<{ version: number; nhs_number: string | null; identifiers_agency_id: string }[]>(
      'SELECT version, nhs_number, identifiers_agency_id FROM child WHERE id = $1',
      [JORDAN.id],
    );
    const version = before[0]?.version ?? 0;
    // Derby YOS (Dana is allocated) writing an NHS number would take Derby CSC's set over.
    const byYos = await t.gql('dana.hughes', UPDATE, {
      input: { childId: JORDAN.id, expectedVersion: version, nhsNumber: '943 476 5919' },
    });
    expect(codes(byYos)).toEqual(['FORBIDDEN']);
    const after = await db.query<{ version: number; nhs_number: string | null; identifiers_agency_id: string }[]>(
      'SELECT version, nhs_number, identifiers_agency_id FROM child WHERE id = $1',
      [JORDAN.id],
    );
    expect(after).toEqual(before);
    // What is not an identifier Dana may still correct; Derby CSC its own identifiers.
    const sex = await t.gql('dana.hughes', UPDATE, { input: { childId: JORDAN.id, expectedVersion: version, sex: 'MALE' } });
    expect(sex.body.errors).toBeUndefined();
    const own = await t.gql('sam.okafor', UPDATE, {
      input: { childId: JORDAN.id, expectedVersion: version + 1, nhsNumber: '943 476 5919' },
    });
    expect(own.body.errors).toBeUndefined();
  });
});

describe('matchChild tells as little as it can, and logs every request', () => {
  it('a confident match: the id and the attributes that agreed, with a disclosure receipt', async () => {
    const { response, receipts } = await logged<Match>('islington.icat', MATCH, {
      input: { givenName: 'Jordon', familyName: 'Pryce', dateOfBirth: '2010-03-14', postcode: 'de22 3aa' },
    });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.matchChild).toEqual({
      outcome: 'CONFIDENT',
      childId: JORDAN.id,
      matchedAttributes: ['FAMILY_NAME', 'DATE_OF_BIRTH', 'POSTCODE'],
    });
    expect(receipts).toHaveLength(1);
    expect(receipts[0]?.body).toMatchObject({
      entry: 'DISCLOSURE',
      outcome: 'DISCLOSED',
      purpose: 'CASE_MANAGEMENT',
      child: JORDAN.id,
      record: { kind: 'CHILD_MATCH' },
      disclosed: ['childId', 'matchedAttributes'],
      lookup: 'match request: CONFIDENT',
    });
    expect(receipts[0]?.text).not.toMatch(/Jordon|DE22/i);
  });

  it('a possible match: only that there is one to review, nothing of the record', async () => {
    const { response, receipts } = await logged<Match>(
      'islington.icat',
      MATCH,
      { input: { givenName: 'Jordon', familyName: 'Pryce', dateOfBirth: '2010-03-14' } },
      'SAFEGUARDING',
    );
    expect(response.body.data?.matchChild).toEqual({ outcome: 'POSSIBLE', childId: null, matchedAttributes: [] });
    expect(JSON.stringify(response.body)).not.toContain(JORDAN.id);
    expect(receipts.map((receipt) => receipt.body)).toEqual([
      expect.objectContaining({
        entry: 'CONSULTATION',
        outcome: 'DENIED',
        purpose: 'SAFEGUARDING',
        child: JORDAN.id,
        lookup: 'match request: POSSIBLE',
      }),
    ]);
  });

  it('no match: nothing, and a NOT_FOUND consultation', async () => {
    const { response, receipts } = await logged<Match>('dana.hughes', MATCH, {
      input: { givenName: 'Tobias', familyName: 'Wren', dateOfBirth: '2009-12-01', sex: 'MALE' },
    });
    expect(response.body.data?.matchChild).toEqual({ outcome: 'NO_MATCH', childId: null, matchedAttributes: [] });
    expect(receipts.map((receipt) => receipt.body)).toEqual([
      expect.objectContaining({ entry: 'CONSULTATION', outcome: 'NOT_FOUND', child: null, lookup: 'match request: NO_MATCH' }),
    ]);
    expect(receipts[0]?.text).not.toMatch(/Tobias|Wren/);
  });

  it('is refused without a purpose that allows matching, and the refusal is logged', async () => {
    const input = { givenName: 'Jordan', familyName: 'Pryce', dateOfBirth: '2010-03-14' };
    const none = await logged<Match>('islington.icat', MATCH, { input }, null);
    expect(codes(none.response)).toEqual(['BAD_USER_INPUT']);
    expect(none.response.body.data?.matchChild ?? null).toBeNull();

    const court = await logged<Match>('dana.hughes', MATCH, { input }, 'COURT_REPORT');
    expect(codes(court.response)).toEqual(['FORBIDDEN']);
    expect(court.response.body.data?.matchChild ?? null).toBeNull();
    expect(court.receipts.map((receipt) => receipt.body)).toEqual([
      expect.objectContaining({
        entry: 'CONSULTATION',
        outcome: 'DENIED',
        child: null,
        lookup: 'match request: refused (purpose)',
      }),
    ]);
  });

  it('is refused to roles that do not register children', async () => {
    const input = { givenName: 'Jordan', familyName: 'Pryce', dateOfBirth: '2010-03-14' };
    for (const subject of ['ds.khan', 'irene.walsh', 'audrey.fox']) {
      const response = await t.gql<Match>(subject, MATCH, { input });
      expect(codes(response), subject).toEqual(['FORBIDDEN']);
      expect(response.body.data?.matchChild ?? null).toBeNull();
    }
  });
});

describe('linkCaseReference', () => {
  it('opens nothing to a caller who holds only the NHS number, with made-up details', async () => {
    const registered = await t.gql<{ registerChild: { id: string } }>('dana.hughes', REGISTER, {
      input: {
        givenName: 'Amelia',
        familyName: 'Stonebridge',
        dateOfBirth: '2012-05-05',
        sex: 'FEMALE',
        nhsNumber: '4010232137',
        caseReference: 'CV-AS-2001',
      },
    });
    expect(registered.body.errors, JSON.stringify(registered.body.errors)).toBeUndefined();
    const childId = registered.body.data?.registerChild.id ?? '';
    const guessed = await t.gql<{ matchChild: { outcome: string; childId: string | null } }>('islington.icat', MATCH, {
      input: { givenName: 'Zzz', familyName: 'Qqq', dateOfBirth: '1999-01-01', nhsNumber: '4010232137' },
    });
    expect(guessed.body.data?.matchChild).toMatchObject({ outcome: 'POSSIBLE', childId: null });
    expect(JSON.stringify(guessed.body)).not.toContain('Stonebridge');
    const linked = await t.gql('islington.icat', LINK, { input: { childId, reference: 'M-GUESS-1' } });
    expect(codes(linked)).toEqual(['NOT_FOUND']);
    expect(await count(`SELECT count(*) AS n FROM child_identifier WHERE value = 'M-GUESS-1'`)).toBe(0);
  });

  it('is refused, before anything is written, to a role that would still not see the child (it sees only allocated children)', async () => {
    const match = await t.gql<Match>('sam.okafor', MATCH, {
      input: { givenName: 'Kayla', familyName: 'Osei', dateOfBirth: '2009-07-22', postcode: 'DE22 1FL' },
    });
    expect(match.body.data?.matchChild).toMatchObject({ outcome: 'CONFIDENT', childId: KAYLA.id });
    const response = await t.gql('sam.okafor', LINK, { input: { childId: KAYLA.id, reference: 'LL-777001' } });
    expect(codes(response)).toEqual(['FORBIDDEN']);
    expect(await count(`SELECT count(*) AS n FROM child_identifier WHERE value = 'LL-777001'`)).toBe(0);
  });

  it("is NOT_FOUND for another agency's child it was never matched to (an id alone opens nothing)", async () => {
    const response = await t.gql('olu.bakare', LINK, { input: { childId: JORDAN.id, reference: 'CW-1' } });
    expect(codes(response)).toEqual(['NOT_FOUND']);
    const n = await count(`SELECT count(*) AS n FROM child_identifier WHERE value = 'CW-1'`);
    expect(n).toBe(0);
  });

  it('is refused without a purpose that allows matching', async () => {
    const response = await t.gql(
      'islington.icat',
      LINK,
      { input: { childId: JORDAN.id, reference: 'M-1' } },
      { purpose: 'AUDIT' },
    );
    expect(codes(response)).toEqual(['FORBIDDEN']);
  });
});

describe('matching and a contact restriction (C10)', () => {
  it('never scores the address history of a child whose restriction names the caller: no postcode is confirmed', async () => {
    const child = aChild({
      familyName: `Restricted ${randomUUID().slice(0, 8)}`,
      involvements: [
        { agency: 'derby-yos', role: InvolvementRole.YOS_HOME, startDate: '2025-01-06' },
        { agency: 'derby-csc', role: InvolvementRole.CSC, startDate: '2025-01-06' },
      ],
      allocations: [
        { user: 'dana.hughes', role: AllocationRole.YOS_CASE_MANAGER, startDate: '2025-01-06' },
        { user: 'sam.okafor', role: AllocationRole.SOCIAL_WORKER, startDate: '2025-01-06' },
      ],
      placements: [
        {
          status: PlacementStatus.CURRENT,
          type: PlacementType.FOSTER_CARE,
          name: 'Carers',
          address: '3 Quiet Lane, Derby',
          postcode: 'DE1 1AA',
          area: 'derby',
          reason: 'Care order',
          effectiveDate: '2025-01-06',
          by: 'sam.okafor',
        },
      ],
    });
    await db.transaction((manager) => insertChild(manager, child));
    const described = (postcode: string) => ({
      input: { givenName: child.givenName, familyName: child.familyName, dateOfBirth: child.dateOfBirth, postcode },
    });
    const attributes = async (subject: string, postcode: string) =>
      (await t.gql<Match>(subject, MATCH, described(postcode))).body.data?.matchChild;
    // Before the restriction the right postcode is one of the attributes that agreed.
    expect((await attributes('dana.hughes', 'DE1 1AA'))?.matchedAttributes).toContain('POSTCODE');
    const restrict = await t.gql(
      'sam.okafor',
      `mutation($input: RecordRestrictionInput!) { recordRestriction(input: $input) { id } }`,
      { input: { childId: child.id, kind: 'CONTACT_RESTRICTION', restrictedAgencyCode: 'derby-yos', details: 's8 order' } },
    );
    expect(restrict.body.errors).toBeUndefined();
    // Now the right postcode, a wrong one and another area answer alike for the restricted agency…
    const right = await attributes('dana.hughes', 'DE1 1AA');
    expect(right?.matchedAttributes).not.toContain('POSTCODE');
    expect(await attributes('dana.hughes', 'DE22 3XY')).toEqual(right);
    expect(await attributes('dana.hughes', 'N1 1AA')).toEqual(right);
    // …while anyone else still matches on it.
    expect((await attributes('sam.okafor', 'DE1 1AA'))?.matchedAttributes).toContain('POSTCODE');
  });
});
