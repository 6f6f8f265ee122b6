/**
 * The match part of `npm run bench` (BENCH_ONLY=match): `matchChild` latency on BENCH_MATCH_CHILDREN
 * (default 100,000) children, target p99 under 50 ms.
 *
 * A database of its own: the demo data, then the children, with names drawn from frequent English
 * given and family names (so many share a name), dates of birth over the 25 years the two services
 * span (birth to 25, care leavers included: about 11 children share each date, so a request scores
 * about 300 candidates: its date, the transposed one and every date one digit off), sex, and one
 * placement each with a postcode (the address history matching reads). One gateway; the Derby CSC front door asks BENCH_MATCH_REQUESTS (default 300) match
 * requests one at a time after a warm-up: a quarter exactly as seeded, a quarter with a slip in the
 * given name, a quarter with the day and month swapped or a digit mistyped, a quarter of children
 * nobody registered. It prints p50, p99 and max, and how many of each outcome.
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DevelopmentSigningKey } from '../src/auth/keys/development-signing-key.js';
import { demoUser } from '../src/seed/demo-directory.js';
import { postGraphql } from './bench-load.js';

const REQUESTS = Number(process.env.BENCH_MATCH_REQUESTS ?? 300);
const WARM_UP = 20;
const TARGET_P99_MS = 50;

const GIVEN = [
  'Jack',
  'Oliver',
  'Harry',
  'Charlie',
  'Thomas',
  'James',
  'Kai',
  'Tyler',
  'Riley',
  'Jayden',
  'Connor',
  'Callum',
  'Mason',
  'Ethan',
  'Leo',
  'Liam',
  'Noah',
  'Reece',
  'Kyle',
  'Jordan',
  'Amelia',
  'Olivia',
  'Emily',
  'Chloe',
  'Ruby',
  'Jessica',
  'Megan',
  'Ellie',
  'Lily',
  'Grace',
  'Sophie',
  'Kayla',
  'Paige',
  'Courtney',
  'Leah',
  'Aaliyah',
  'Mohammed',
  'Aisha',
  'Zainab',
  'Yusuf',
  'Ibrahim',
  'Fatima',
  'Kayleigh',
  'Shannon',
  'Demi',
  'Brooke',
  'Jade',
  'Tia',
  'Ashton',
  'Bradley',
];
const FAMILY = [
  'Smith',
  'Jones',
  'Williams',
  'Taylor',
  'Brown',
  'Davies',
  'Evans',
  'Wilson',
  'Thomas',
  'Johnson',
  'Roberts',
  'Robinson',
  'Thompson',
  'Wright',
  'Walker',
  'White',
  'Edwards',
  'Hughes',
  'Green',
  'Hall',
  'Lewis',
  'Harris',
  'Clarke',
  'Jackson',
  'Wood',
  'Turner',
  'Martin',
  'Cooper',
  'Hill',
  'Ward',
  'Morris',
  'Moore',
  'Clark',
  'Lee',
  'King',
  'Baker',
  'Khan',
  'Patel',
  'Ali',
  'Hussain',
  'Begum',
  'Pryce',
  'Marsh',
  'Okafor',
  'Nolan',
  'Reid',
  'Shah',
  'Carter',
  'Bakare',
  'Fox',
  'Price',
  'Grant',
  'Ellis',
  'Walsh',
  'Adeyemi',
  'Morgan',
  'Dunn',
  'Rowe',
  'Doyle',
  'Kelly',
  'Byrne',
  'Murphy',
  'Quinn',
  'Nowak',
  'Kowalski',
  'Popescu',
  'Ahmed',
  'Singh',
  'Kaur',
  'Campbell',
  'Stewart',
  'Barker',
  'Fletcher',
  'Holmes',
  'Pearson',
];
const DISTRICTS = ['DE1', 'DE21', 'DE22', 'DE23', 'DE24', 'DE3', 'DE73', 'NG10', 'NG9', 'S40'];

/** Runs a statement on the bench database (a pg client or a TypeORM data source). */
export type Query = <T>(sql: string, parameters?: readonly unknown[]) => Promise<T[]>;

/** Inserts `count` children known to Derby CSC, each with one placement holding a postcode; returns how long it took (ms). */
export async function seedMatchChildren(query: Query, count: number): Promise<number> {
  const started = performance.now();
  await query(
    `WITH kids AS (
       INSERT INTO child (given_name, family_name, date_of_birth, sex, version)
       SELECT ($2::text[])[1 + (n::bigint * 7919 % array_length($2::text[], 1))::int],
              ($3::text[])[1 + (n::bigint * 104729 % array_length($3::text[], 1))::int],
              date '2001-01-01' + (n::bigint * 2654435761 % 9131)::int,
              CASE WHEN n % 2 = 0 THEN 'FEMALE'::recorded_sex ELSE 'MALE'::recorded_sex END,
              1
       FROM generate_series(1, $1::int) AS n
       RETURNING id),
     numbered AS (SELECT id, row_number() OVER () AS n FROM kids),
     inv AS (
       INSERT INTO agency_involvement (child_id, agency_id, role, start_date)
       SELECT numbered.id, (SELECT id FROM agency WHERE code = 'derby-csc'), 'CSC', date '2025-01-01' FROM numbered
       RETURNING child_id)
     INSERT INTO placement (child_id, status, placement_type, placement_name, address, postcode, area_local_authority_id, reason,
                            effective_date, recorded_by, recorded_by_agency_id, version)
     SELECT numbered.id, 'CURRENT', 'FOSTER_CARE', 'Foster carers', (numbered.n % 200) || ' Bench Road, Derby',
            ($4::text[])[(1 + numbered.n % array_length($4::text[], 1))::int] || ' ' || (numbered.n % 9 + 1) || chr(65 + (numbered.n % 26)::int) || chr(65 + (numbered.n / 26 % 26)::int),
            (SELECT id FROM local_authority WHERE code = 'derby'), 'Accommodated', date '2025-01-01', 'Bench', (SELECT id FROM agency WHERE code = 'derby-csc'), 1
     FROM numbered`,
    [count, GIVEN, FAMILY, DISTRICTS],
  );
  await query('ANALYZE child');
  await query('ANALYZE placement');
  // The bulk load's WAL is flushed now, not by a checkpoint in the middle of the measured requests.
  await query('CHECKPOINT').catch(() => undefined);
  return performance.now() - started;
}

interface Seeded {
  readonly given_name: string;
  readonly family_name: string;
  readonly date_of_birth: string;
  readonly sex: string;
  readonly postcode: string | null;
}

export interface MatchInput {
  readonly givenName: string;
  readonly familyName: string;
  readonly dateOfBirth: string;
  readonly sex?: string;
  readonly postcode?: string;
}

/** The requests, from a sample of seeded children: as seeded, a given-name slip, a date slip, and nobody. */
export async function matchRequests(query: Query, count: number): Promise<MatchInput[]> {
  const sample = await query<Seeded>(
    `SELECT c.given_name, c.family_name, to_char(c.date_of_birth, 'YYYY-MM-DD') AS date_of_birth, c.sex::text AS sex, p.postcode
       FROM child c LEFT JOIN placement p ON p.child_id = c.id AND p.status = 'CURRENT'
      WHERE c.family_name <> 'Pryce' ORDER BY md5(c.id::text) LIMIT $1`,
    [count],
  );
  return sample.map((child, index): MatchInput => {
    const exact = {
      givenName: child.given_name,
      familyName: child.family_name,
      dateOfBirth: child.date_of_birth,
      sex: child.sex,
    };
    switch (index % 4) {
      case 0:
        return child.postcode ? { ...exact, postcode: child.postcode } : exact;
      case 1:
        return { ...exact, givenName: `${child.given_name.slice(0, -1)}${child.given_name.endsWith('a') ? 'ah' : 'e'}` };
      case 2: {
        const [year, month, day] = child.date_of_birth.split('-');
        const swapped =
          Number(day) <= 12 ? `${year}-${day}-${month}` : `${year}-${month}-${String((Number(day) % 28) + 1).padStart(2, '0')}`;
        return { ...exact, dateOfBirth: swapped };
      }
      default:
        return { ...exact, givenName: `Zebedee${index}`, familyName: `Quorn${index}` };
    }
  });
}

const MATCH = `query($input: MatchChildInput!) { matchChild(input: $input) { outcome childId matchedAttributes } }`;

export interface MatchGateway {
  readonly stop: () => Promise<void>;
}

export interface MatchBenchOptions {
  /** A migrated database of its own, demo data loaded. */
  readonly url: string;
  readonly port: number;
  readonly children: number;
  readonly auditEnv: Record<string, string>;
  readonly query: Query;
  readonly startGateway: (url: string, dataDir: string, port: number, env: Record<string, string>) => Promise<MatchGateway>;
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

export async function benchMatch(options: MatchBenchOptions): Promise<boolean> {
  console.log(`matchChild on ${options.children.toLocaleString('en-GB')} children (a database of its own):`);
  const seconds = (await seedMatchChildren(options.query, options.children)) / 1000;
  console.log(`  seeded in ${seconds.toFixed(1)} s`);
  const requests = await matchRequests(options.query, WARM_UP + REQUESTS);
  const dataDir = mkdtempSync(join(tmpdir(), 'tandem-bench-match-'));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let gateway: MatchGateway | undefined;
  try {
    const user = demoUser('derby.csct');
    if (!user) throw new Error('demo user derby.csct missing');
    const token = DevelopmentSigningKey.loadOrCreate(dataDir).sign(
      { sub: user.subject, name: user.name, agency: user.agency, case_system: user.caseSystem, roles: [...user.roles] },
      { issuer: 'tandem-development', audience: 'tandem', expiresInSeconds: 3600 },
    );
    gateway = await options.startGateway(options.url, dataDir, options.port, options.auditEnv);
    const ask = async (input: MatchInput) => {
      const { text } = await postGraphql(
        options.port,
        JSON.stringify({ query: MATCH, variables: { input } }),
        { authorization: `Bearer ${token}`, 'x-purpose-of-use': 'CASE_MANAGEMENT' },
        agent,
      );
      const parsed = JSON.parse(text) as { data?: { matchChild?: { outcome: string } } };
      const outcome = parsed.data?.matchChild?.outcome;
      if (!outcome) throw new Error(`Unexpected matchChild response: ${text.slice(0, 300)}`);
      return outcome;
    };
    const timings: number[] = [];
    const outcomes = new Map<string, number>();
    for (const [index, input] of requests.entries()) {
      const started = performance.now();
      const outcome = await ask(input);
      if (index < WARM_UP) continue;
      timings.push(performance.now() - started);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    timings.sort((a, b) => a - b);
    const p99 = percentile(timings, 99);
    console.log(
      `  ${timings.length} requests one at a time: p50 ${percentile(timings, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${(timings.at(-1) ?? NaN).toFixed(1)} ms (target p99 < ${TARGET_P99_MS} ms)`,
    );
    console.log(`  outcomes: ${[...outcomes].map(([outcome, n]) => `${outcome} ${n}`).join(', ')}`);
    const ok = p99 < TARGET_P99_MS;
    if (!ok) console.log(`  FAIL: p99 ${p99.toFixed(1)} ms is over ${TARGET_P99_MS} ms`);
    return ok;
  } finally {
    agent.destroy();
    await gateway?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
