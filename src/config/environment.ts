import { z } from 'zod';

const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

const positiveInt = z.coerce.number().int().positive();

/**
 * Connections to PostgreSQL when nothing says otherwise (the gateway; scripts that name no size). One
 * gateway runs its JavaScript on one core: six statements in flight keep it busy, and more only add
 * backends that contend for the server's CPU (docs/TOOLCHAIN.md, "The pool's size").
 */
export const DEFAULT_DATABASE_POOL_SIZE = 6;

/**
 * Every environment variable the gateway reads, validated once at boot. Each is described here, and
 * docs/CONFIGURATION.md is rendered from these descriptions (`npm run docs:config`), so the two
 * cannot drift. Secrets are marked in SECRET_KEYS so that they are never logged.
 */
export const environmentVariables = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'])
    .default('development')
    .describe(
      '`production` requires `AUTH_JWKS_URL`, `AUTH_ISSUER`, `DATABASE_URL` and `AUDIT_SIGNING_KEY`, refuses demo data, and turns introspection and "Did you mean" suggestions off. `test` is development without demo data (unless `SEED_DEMO_DATA` says so), for the test suite.',
    ),
  HOST: z.string().min(1).default('127.0.0.1').describe('Address to listen on (`0.0.0.0`: every interface, as in Docker).'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000).describe('Port to listen on.'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('The least severe level logged; `silent` logs nothing.'),
  DATABASE_URL: z
    .string()
    .url()
    .optional()
    .describe(
      'PostgreSQL (15 or later) connection string for requests. Unset: the embedded PGlite in `DATA_DIR`. Required in production.',
    ),
  DATA_DIR: z
    .string()
    .min(1)
    .default('./.data')
    .describe(
      'Where the embedded database (without `DATABASE_URL`; a second gateway on it refuses to start) and the development keys are kept: the token signing key and, without `AUDIT_SIGNING_KEY`, the checkpoint signing key.',
    ),
  DATABASE_POOL_SIZE: positiveInt
    .default(DEFAULT_DATABASE_POOL_SIZE)
    .describe(
      "Connections of each gateway's pool to PostgreSQL (at least 2 are opened; the embedded database always has one). Besides the pool, a gateway on a server holds one connection for LISTEN and opens one briefly to read the agency directory.",
    ),
  SEED_DEMO_DATA: booleanFlag
    .optional()
    .describe('Load the demo data (idempotently) on start. Unset: in development only. Refused in production.'),
  AUTH_JWKS_URL: z
    .string()
    .url()
    .optional()
    .describe(
      "The identity provider's JWKS. Setting it switches to production token verification (and turns `npm run token` off). Unset: tokens are verified with the development key in `DATA_DIR`. Required in production.",
    ),
  AUTH_JWKS_MAX_AGE_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(600)
    .describe(
      'How old the JWKS in hand may be before it is fetched again: a key the identity provider withdraws stops being accepted within this (tokens already verified with it included), as long as the JWKS can be fetched (a failed fetch keeps the set in hand). A `kid` not in the set fetches it sooner, at most every 30 s (or every `AUTH_JWKS_MAX_AGE_SECONDS` when that is shorter).',
    ),
  AUTH_ISSUER: z
    .string()
    .min(1)
    .optional()
    .describe(
      'The `iss` every token must carry. Unset: `tandem-development`, the issuer of development tokens. Required in production.',
    ),
  AUTH_AUDIENCE: z.string().min(1).default('tandem').describe('The `aud` every token must carry.'),
  AUTH_ALGORITHMS: z
    .string()
    .default('RS256,ES256')
    .describe('Comma-separated signature algorithms accepted for tokens; only `RS256` and `ES256` may be named.'),
  AUTH_CLOCK_TOLERANCE_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(300)
    .default(30)
    .describe('Leeway for clock skew when checking `exp` and `nbf`.'),
  AUTH_MAX_TOKEN_AGE_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(86_400)
    .default(3600)
    .describe(
      'The longest lifetime a token may have: a token whose `exp` is further than this after its `iat` (or after now, without `iat`) is refused, as is a token without a numeric `exp`. A graphql-ws connection is closed when its token expires.',
    ),
  GRAPHQL_MAX_DEPTH: positiveInt.default(12).describe('Deepest field nesting an operation may have.'),
  GRAPHQL_MAX_ALIASES: positiveInt.default(30).describe('Aliases an operation may use.'),
  GRAPHQL_MAX_COST: positiveInt
    .default(20000)
    .describe('Estimated fields resolved per operation (each field once per item of every page above it).'),
  GRAPHQL_MAX_BODY_BYTES: positiveInt.default(102400).describe('Request body limit; a larger body gets HTTP 413.'),
  GRAPHQL_JIT_AFTER: z.coerce
    .number()
    .int()
    .min(0)
    .max(1000)
    .default(1)
    .describe(
      'Runs of one query text after which it is compiled (graphql-jit) and run compiled; 0: never. A document with several operations, a request naming another, and variables graphql-js refuses run through graphql-js.',
    ),
  GRAPHQL_ALLOW_BATCHED_QUERIES: booleanFlag.default('false').describe('Accept a JSON array of operations in one request.'),
  GRAPHQL_INTROSPECTION: booleanFlag.optional().describe('Schema introspection. Unset: on except in production.'),
  CONSOLE_DIR: z
    .string()
    .min(1)
    .default('console/dist')
    .describe(
      "The built auditors' console (`npm run build:console`), served at `/console`. When it is missing the gateway still starts, and `/console` says how to build it.",
    ),
  CONSOLE_OIDC_AUTHORITY: z
    .string()
    .url()
    .optional()
    .describe(
      "The OpenID Connect provider the console signs people in with in production (authorization code with PKCE; its `/.well-known/openid-configuration` is read by the browser). Unset: `AUTH_ISSUER`, the issuer of the API's tokens.",
    ),
  CONSOLE_OIDC_CLIENT_ID: z
    .string()
    .min(1)
    .optional()
    .describe(
      "The console's client id at that provider (a public client: no secret, PKCE). Unset in production: the console cannot sign anyone in and says so.",
    ),
  CONSOLE_OIDC_SCOPE: z
    .string()
    .min(1)
    .default('openid profile')
    .describe('The scopes the console asks for; the access token it gets must carry the claims every API token carries.'),
  POLICY_AGREEMENTS_DIR: z
    .string()
    .min(1)
    .default('policy/agreements')
    .describe('Directory of the reviewed sharing-agreement JSON files, read on start.'),
  POLICY_RESPONSIBILITY_DIR: z
    .string()
    .min(1)
    .default('policy/responsibility')
    .describe('Directory of the reviewed responsibility-policy JSON files (rules per local authority), read on start.'),
  POLICY_ALLOCATION_GRACE_DAYS: z.coerce
    .number()
    .int()
    .min(0)
    .max(90)
    .default(7)
    .describe('Days a practitioner still sees a child after their allocation ends.'),
  POLICY_BREAK_GLASS_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(60)
    .describe('How long one break-glass (purpose `EMERGENCY`) grant lasts.'),
  POLICY_BREAK_GLASS_MAX_CHILDREN_PER_HOUR: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(5)
    .describe(
      'How many children one user may read under break-glass in an hour; a look-up of one more is refused and flagged for the auditors.',
    ),
  MATCH_CONFIDENT_SCORE: z.coerce
    .number()
    .optional()
    .describe(
      'The demographic score at or above which `matchChild` (and `registerChild`) call two descriptions the same child without a person checking. Unset: 22 (the value the table of pairs in test/unit/child-matching.test.ts pins). Must be above `MATCH_POSSIBLE_SCORE` (checked at start, with the defaults for what is unset).',
    ),
  MATCH_POSSIBLE_SCORE: z.coerce
    .number()
    .optional()
    .describe(
      'The demographic score at or above which a match is possible: the caller is told there is one to review, and nothing of it. Unset: 14.',
    ),
  MERGE_UNDO_DAYS: z.coerce
    .number()
    .int()
    .min(0)
    .max(365)
    .default(30)
    .describe('Days after `mergeChildren` during which `unmergeChildren` can still undo the merge.'),
  DATABASE_OWNER_URL: z
    .string()
    .url()
    .optional()
    .describe(
      "Connection string of the tables' owner, used only to run migrations at start; requests then use `DATABASE_URL`, which may be a role that can only insert into and read the disclosure log. Needs `DATABASE_URL`.",
    ),
  AUDIT_SIGNING_KEY: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Ed25519 private key (PKCS#8 PEM; `\\n` may stand for newlines) that signs disclosure-log checkpoints. Unset: one is created and kept in `DATA_DIR`. Required in production.',
    ),
  AUDIT_NATIONAL_AGENCIES: z
    .string()
    .regex(/^[a-z0-9-]+(,[a-z0-9-]+)*$/, 'is comma-separated agency codes')
    .optional()
    .describe(
      "Agency codes whose auditors (role `AUDITOR`) read the whole disclosure log. Unset: every auditor reads only the entries of their own local authority's agencies (as recipient or as the owner of what was disclosed).",
    ),
  AUDIT_ALLOW_OWNER_CONNECTION: booleanFlag
    .default('false')
    .describe(
      "In production, serve requests even though `DATABASE_URL`'s role owns the disclosure log's tables (or is a superuser), and so could drop its append-only triggers. Unset: such a gateway refuses to start (set `DATABASE_OWNER_URL` for migrations and give `DATABASE_URL` a role in `tandem_gateway`).",
    ),
  AUDIT_SEAL_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(60_000)
    .default(500)
    .describe(
      'How often the sealer chains new receipts and signs checkpoints. `0`: never on its own, and no incremental anomaly scan either.',
    ),
  AUDIT_SEAL_BATCH_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(10_000)
    .describe('Receipts per sealed batch (one signed checkpoint each).'),
  AUDIT_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(365)
    .max(36_500)
    .default(2557)
    .describe('How long receipts are kept before `npm run audit:retention` removes them (2557 days: seven years).'),
  AUDIT_LOG_FORM: z
    .enum(['json', 'compact'])
    .default('compact')
    .describe(
      "How receipts are stored. `compact`: one row per response (up to 1,024 receipts), its receipts encoded against the stored dictionary (docs/COMPACT-RECEIPTS.md). `json`: one row of canonical JSON per receipt, the log's first form. Both are sealed into one chain and read alike by the auditors' API, subject access, exports, the anomaly scan and `audit:verify`; a receipt the compact form cannot hold exactly, and every change to child data (logged inside the change's transaction), is stored as JSON either way.",
    ),
  AUDIT_ANOMALY_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(1440)
    .default(60)
    .describe('The window for the many-children anomaly.'),
  AUDIT_ANOMALY_CHILDREN_THRESHOLD: positiveInt
    .default(25)
    .describe('One user reading more distinct children than this in one window is flagged.'),
  AUDIT_ANOMALY_OUT_OF_HOURS_THRESHOLD: positiveInt
    .default(30)
    .describe('One user receiving more disclosures (receipts) than this in one clock hour outside working hours is flagged.'),
  AUDIT_WORKING_HOURS: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'is HH:MM-HH:MM')
    .default('08:00-18:00')
    .describe(
      'Working hours (Europe/London) for the out-of-hours anomaly; weekends and England and Wales bank holidays are out of hours.',
    ),
  NOTIFY_POLL_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(60_000)
    .default(250)
    .describe(
      'How often each instance looks for events to route and deliveries due (PostgreSQL also wakes it). `0`: never on its own.',
    ),
  NOTIFY_ESCALATE_AFTER_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_080)
    .optional()
    .describe('Minutes until an unacknowledged placement change escalates. Unset: at the end of the next working day.'),
  WEBHOOK_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(60_000)
    .default(10_000)
    .describe(
      "Deadline of one webhook delivery attempt, from the name's look-up to the response's headers; also about the share of a pass one endpoint gets.",
    ),
  WEBHOOK_RETRY_BASE_MS: z.coerce
    .number()
    .int()
    .min(10)
    .max(3_600_000)
    .default(30_000)
    .describe('The first retry delay of a failed delivery; it doubles with each attempt (with jitter).'),
  WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(10).max(86_400_000).default(7_200_000).describe('The longest retry delay.'),
  WEBHOOK_MAX_ATTEMPTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(18)
    .describe('Attempts before a delivery is `DEAD` (until `redeliverWebhook`).'),
  WEBHOOK_DISABLE_AFTER_GONE: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(3)
    .describe('Consecutive 410 Gone answers that disable an endpoint (`setWebhookEnabled` resumes it).'),
  WEBHOOK_SECRET_OVERLAP_HOURS: z.coerce
    .number()
    .int()
    .min(0)
    .max(720)
    .default(24)
    .describe('After `rotateWebhookSecret`, how long the old secret also signs deliveries.'),
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: booleanFlag
    .default('false')
    .describe('Allow webhook URLs that resolve to private, loopback or link-local addresses (local development).'),
  WEBHOOK_ALLOW_HTTP: booleanFlag
    .default('false')
    .describe('Allow `http:` webhook URLs as well as `https:` (local development).'),
  WEBHOOK_LEASE_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(600_000)
    .optional()
    .describe(
      "How long an instance holds an endpoint while delivering; a crashed instance's endpoints are taken over when it runs out. Unset: three times `WEBHOOK_TIMEOUT_MS`, at least 30 s.",
    ),
});

/** The name of an environment variable the gateway reads. */
export type EnvironmentVariable = keyof typeof environmentVariables.shape;

/** The variables with the rules that span several of them (production, the owner's connection). */
export const environmentSchema = environmentVariables.superRefine((env, ctx) => {
  if (env.DATABASE_OWNER_URL && !env.DATABASE_URL) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['DATABASE_OWNER_URL'],
      message: 'needs DATABASE_URL (the gateway’s own role)',
    });
  }
  if (env.NODE_ENV === 'production') {
    for (const key of ['AUTH_JWKS_URL', 'AUTH_ISSUER', 'DATABASE_URL'] as const) {
      if (!env[key]) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: 'is required in production' });
      }
    }
    if (!env.AUDIT_SIGNING_KEY) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['AUDIT_SIGNING_KEY'], message: 'is required in production' });
    }
    if (env.SEED_DEMO_DATA === true) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['SEED_DEMO_DATA'],
        message: 'demo data is never loaded in production',
      });
    }
  }
});

/** The validated environment. */
export type Environment = z.infer<typeof environmentSchema>;

export const SECRET_KEYS: ReadonlySet<string> = new Set(['DATABASE_URL', 'DATABASE_OWNER_URL', 'AUDIT_SIGNING_KEY']);
