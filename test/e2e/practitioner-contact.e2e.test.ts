import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoUser } from 'src/seed/demo-directory.js';
import { codes, startTestApp, type TestApp } from '../support/test-app.js';
import { JORDAN } from '../support/demo-ids.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const CONTACTS = `query($id: ID!) { child(id: $id) { allocations { role
  practitioner { displayName team phone email teamDutyContact { phone email } agency { code frontDoorTeam { code } } } } } }`;

interface Contacts {
  child: {
    allocations: {
      role: string;
      practitioner: {
        displayName: string;
        team: string | null;
        phone: string | null;
        email: string | null;
        teamDutyContact: { phone: string | null; email: string | null } | null;
        agency: { code: string; frontDoorTeam: { code: string } | null };
      };
    }[];
  };
}

describe('practitioners’ contact details', () => {
  it('a YOS case manager sharing a child sees the social worker’s phone, e-mail and team duty contact', async () => {
    const response = await t.gql<Contacts>('dana.hughes', CONTACTS, { id: JORDAN.id });
    expect(response.body.errors).toBeUndefined();
    const social = response.body.data?.child.allocations.find((allocation) => allocation.role === 'SOCIAL_WORKER');
    const sam = demoUser('sam.okafor');
    expect(social?.practitioner).toEqual({
      displayName: 'Sam Okafor',
      team: 'Children in Care 1',
      phone: sam?.phone,
      email: sam?.email,
      teamDutyContact: { phone: '01632 960101', email: 'derby-csc-children-in-care-1.duty@derby-csc.example' },
      agency: { code: 'derby-csc', frontDoorTeam: { code: 'derby-csc-front-door' } },
    });
  });

  it('a worker of another agency who does not share the child sees nothing of them', async () => {
    for (const subject of ['olu.bakare', 'ben.carter']) {
      const response = await t.gql<Contacts>(subject, CONTACTS, { id: JORDAN.id });
      expect(codes(response)).toEqual(['NOT_FOUND']);
      expect(JSON.stringify(response.body)).not.toContain(demoUser('sam.okafor')?.phone ?? '?');
    }
  });

  it('the directory lists every authority’s front door, youth justice and leaving-care services', async () => {
    const response = await t.gql<{
      localAuthorities: {
        localAuthority: { code: string };
        frontDoorTeam: { code: string } | null;
        leavingCare: { code: string } | null;
      }[];
    }>('dana.hughes', '{ localAuthorities { localAuthority { code } frontDoorTeam { code } leavingCare { code } } }');
    expect(response.body.data?.localAuthorities).toEqual([
      {
        localAuthority: { code: 'derby' },
        frontDoorTeam: { code: 'derby-csc-front-door' },
        leavingCare: { code: 'derby-leaving-care' },
      },
      {
        localAuthority: { code: 'hammersmith-fulham' },
        frontDoorTeam: { code: 'hammersmith-fulham-icat' },
        leavingCare: { code: 'hammersmith-fulham-leaving-care' },
      },
      {
        localAuthority: { code: 'islington' },
        frontDoorTeam: { code: 'islington-csct' },
        leavingCare: { code: 'islington-leaving-care' },
      },
      {
        localAuthority: { code: 'somerset' },
        frontDoorTeam: { code: 'somerset-csc-front-door' },
        leavingCare: { code: 'somerset-leaving-care' },
      },
    ]);
  });
});
