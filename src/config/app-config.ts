import { z } from 'zod';

/** How the gateway verifies bearer tokens. */
export type AuthMode = 'development' | 'production';

const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

const positiveInt = z.coerce.number().int().positive();

/**
 * Every environment variable the gateway reads, validated once at boot.
 * Secrets are marked in SECRET_KEYS so that they are never logged.
 */
const environmentSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: z.string().url().optional(),
    DATA_DIR: z.string().min(1).default('./.data'),
    DATABASE_POOL_SIZE: positiveInt.default(10),
    SEED_DEMO_DATA: booleanFlag.optional(),
    AUTH_JWKS_URL: z.string().url().optional(),
    AUTH_ISSUER: z.string().min(1).optional(),
    AUTH_AUDIENCE: z.string().min(1).default('tandem'),
    AUTH_ALGORITHMS: z.string().default('RS256,ES256'),
    AUTH_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
    GRAPHQL_MAX_DEPTH: positiveInt.default(12),
    GRAPHQL_MAX_ALIASES: positiveInt.default(30),
    GRAPHQL_MAX_COST: positiveInt.default(20000),
    GRAPHQL_MAX_BODY_BYTES: positiveInt.default(102400),
    GRAPHQL_ALLOW_BATCHED_QUERIES: booleanFlag.default('false'),
    GRAPHQL_INTROSPECTION: booleanFlag.optional(),
    POLICY_AGREEMENTS_DIR: z.string().min(1).default('policy/agreements'),
    POLICY_ALLOCATION_GRACE_DAYS: z.coerce.number().int().min(0).max(90).default(7),
    POLICY_BREAK_GLASS_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(60),
    POLICY_BYPASS_FOR_BENCHMARK: booleanFlag.default('false'),
    DATABASE_OWNER_URL: z.string().url().optional(),
    AUDIT_SIGNING_KEY: z.string().min(1).optional(),
    AUDIT_SEAL_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(500),
    AUDIT_SEAL_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(10_000),
    AUDIT_RETENTION_DAYS: z.coerce.number().int().min(365).max(36_500).default(2557),
    AUDIT_ANOMALY_WINDOW_MINUTES: z.coerce.number().int().min(5).max(1440).default(60),
    AUDIT_ANOMALY_CHILDREN_THRESHOLD: positiveInt.default(25),
    AUDIT_ANOMALY_OUT_OF_HOURS_THRESHOLD: positiveInt.default(30),
    AUDIT_WORKING_HOURS: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'is HH:MM-HH:MM')
      .default('08:00-18:00'),
    DISCLOSURE_BYPASS_FOR_BENCHMARK: booleanFlag.default('false'),
    NOTIFY_POLL_MS: z.coerce.number().int().min(0).max(60_000).default(250),
    NOTIFY_ESCALATE_AFTER_MINUTES: z.coerce.number().int().min(1).max(10_080).optional(),
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
    WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(10).max(86_400_000).default(7_200_000),
    WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(18),
    WEBHOOK_DISABLE_AFTER_GONE: z.coerce.number().int().min(1).max(100).default(3),
    WEBHOOK_SECRET_OVERLAP_HOURS: z.coerce.number().int().min(0).max(720).default(24),
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: booleanFlag.default('false'),
    WEBHOOK_ALLOW_HTTP: booleanFlag.default('false'),
    WEBHOOK_LEASE_MS: z.coerce.number().int().min(100).max(600_000).optional(),
  })
  .superRefine((env, ctx) => {
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
      for (const key of ['POLICY_BYPASS_FOR_BENCHMARK', 'DISCLOSURE_BYPASS_FOR_BENCHMARK'] as const) {
        if (env[key]) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: 'is never allowed in production' });
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

export const SECRET_KEYS: ReadonlySet<string> = new Set(['DATABASE_URL', 'DATABASE_OWNER_URL', 'AUDIT_SIGNING_KEY']);

/** The validated configuration, the only place that reads process.env. */
export class AppConfig {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  readonly logLevel: string;
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly databasePoolSize: number;
  readonly seedDemoData: boolean;
  readonly policy: {
    readonly agreementsDir: string;
    readonly allocationGraceDays: number;
    readonly breakGlassMinutes: number;
    /** Benchmarks only (refused in production): skip field filtering to measure its cost. */
    readonly bypassForBenchmark: boolean;
  };
  /** Migrations run through this connection (the tables' owner) when set; the gateway uses DATABASE_URL. */
  readonly databaseOwnerUrl: string | undefined;
  readonly audit: {
    /** Ed25519 private key (PEM) that signs checkpoints; in development one is kept in DATA_DIR. */
    readonly signingKeyPem: string | undefined;
    readonly sealIntervalMs: number;
    readonly sealBatchSize: number;
    readonly retentionDays: number;
    readonly anomalyWindowMinutes: number;
    readonly anomalyChildrenThreshold: number;
    readonly anomalyOutOfHoursThreshold: number;
    readonly workingHours: { readonly start: string; readonly end: string };
    /** Benchmarks only (refused in production): send responses without receipts to measure their cost. */
    readonly bypassForBenchmark: boolean;
  };
  readonly notifications: {
    /** How often each instance looks for events to route and deliveries due (PostgreSQL also wakes it). */
    readonly pollMs: number;
    /** Unacknowledged placement changes escalate after this; unset: at the end of the next working day. */
    readonly escalateAfterMinutes: number | undefined;
    readonly webhookTimeoutMs: number;
    readonly retryBaseMs: number;
    readonly retryMaxMs: number;
    readonly maxAttempts: number;
    readonly disableAfterGone: number;
    readonly secretOverlapHours: number;
    readonly allowPrivateNetworks: boolean;
    readonly allowHttp: boolean;
    /** How long an instance holds an endpoint while delivering; a crashed instance's lease runs out. */
    readonly leaseMs: number;
  };
  readonly auth: {
    readonly mode: AuthMode;
    readonly jwksUrl: string | undefined;
    readonly issuer: string;
    readonly audience: string;
    readonly algorithms: readonly string[];
    readonly clockToleranceSeconds: number;
  };
  readonly graphql: {
    readonly maxDepth: number;
    readonly maxAliases: number;
    readonly maxCost: number;
    readonly maxBodyBytes: number;
    readonly allowBatchedQueries: boolean;
    readonly introspection: boolean;
    readonly hideSuggestions: boolean;
  };

  private constructor(env: z.infer<typeof environmentSchema>) {
    const production = env.NODE_ENV === 'production';
    this.nodeEnv = env.NODE_ENV;
    this.host = env.HOST;
    this.port = env.PORT;
    this.logLevel = env.LOG_LEVEL;
    this.databaseUrl = env.DATABASE_URL;
    this.dataDir = env.DATA_DIR;
    this.databasePoolSize = env.DATABASE_POOL_SIZE;
    this.seedDemoData = env.SEED_DEMO_DATA ?? env.NODE_ENV === 'development';
    this.policy = {
      agreementsDir: env.POLICY_AGREEMENTS_DIR,
      allocationGraceDays: env.POLICY_ALLOCATION_GRACE_DAYS,
      breakGlassMinutes: env.POLICY_BREAK_GLASS_MINUTES,
      bypassForBenchmark: env.POLICY_BYPASS_FOR_BENCHMARK,
    };
    this.databaseOwnerUrl = env.DATABASE_OWNER_URL;
    const [start = '08:00', end = '18:00'] = env.AUDIT_WORKING_HOURS.split('-');
    this.audit = {
      signingKeyPem: env.AUDIT_SIGNING_KEY?.replace(/\\n/g, '\n'),
      sealIntervalMs: env.AUDIT_SEAL_INTERVAL_MS,
      sealBatchSize: env.AUDIT_SEAL_BATCH_SIZE,
      retentionDays: env.AUDIT_RETENTION_DAYS,
      anomalyWindowMinutes: env.AUDIT_ANOMALY_WINDOW_MINUTES,
      anomalyChildrenThreshold: env.AUDIT_ANOMALY_CHILDREN_THRESHOLD,
      anomalyOutOfHoursThreshold: env.AUDIT_ANOMALY_OUT_OF_HOURS_THRESHOLD,
      workingHours: { start, end },
      bypassForBenchmark: env.DISCLOSURE_BYPASS_FOR_BENCHMARK,
    };
    this.notifications = {
      pollMs: env.NOTIFY_POLL_MS,
      escalateAfterMinutes: env.NOTIFY_ESCALATE_AFTER_MINUTES,
      webhookTimeoutMs: env.WEBHOOK_TIMEOUT_MS,
      retryBaseMs: env.WEBHOOK_RETRY_BASE_MS,
      retryMaxMs: env.WEBHOOK_RETRY_MAX_MS,
      maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
      disableAfterGone: env.WEBHOOK_DISABLE_AFTER_GONE,
      secretOverlapHours: env.WEBHOOK_SECRET_OVERLAP_HOURS,
      allowPrivateNetworks: env.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
      allowHttp: env.WEBHOOK_ALLOW_HTTP,
      leaseMs: env.WEBHOOK_LEASE_MS ?? Math.max(30_000, env.WEBHOOK_TIMEOUT_MS * 3),
    };
    this.auth = {
      mode: production || env.AUTH_JWKS_URL ? 'production' : 'development',
      jwksUrl: env.AUTH_JWKS_URL,
      issuer: env.AUTH_ISSUER ?? 'tandem-development',
      audience: env.AUTH_AUDIENCE,
      algorithms: env.AUTH_ALGORITHMS.split(',').map((alg) => alg.trim()),
      clockToleranceSeconds: env.AUTH_CLOCK_TOLERANCE_SECONDS,
    };
    this.graphql = {
      maxDepth: env.GRAPHQL_MAX_DEPTH,
      maxAliases: env.GRAPHQL_MAX_ALIASES,
      maxCost: env.GRAPHQL_MAX_COST,
      maxBodyBytes: env.GRAPHQL_MAX_BODY_BYTES,
      allowBatchedQueries: env.GRAPHQL_ALLOW_BATCHED_QUERIES,
      introspection: env.GRAPHQL_INTROSPECTION ?? !production,
      hideSuggestions: production,
    };
  }

  get isProduction(): boolean {
    return this.nodeEnv === 'production';
  }

  /** Parses an environment; throws one error listing every invalid variable. */
  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): AppConfig {
    const parsed = environmentSchema.safeParse(
      Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== '')),
    );
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
      throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
    }
    const algorithms = parsed.data.AUTH_ALGORITHMS.split(',').map((alg) => alg.trim());
    const unsupported = algorithms.filter((alg) => !['RS256', 'ES256'].includes(alg));
    if (unsupported.length > 0) {
      throw new Error(
        `Invalid configuration:\n  AUTH_ALGORITHMS: only RS256 and ES256 are accepted, got ${unsupported.join(', ')}`,
      );
    }
    return new AppConfig(parsed.data);
  }

  /** A copy of the configuration safe to log. */
  describe(): Record<string, unknown> {
    return {
      nodeEnv: this.nodeEnv,
      host: this.host,
      port: this.port,
      database: this.databaseUrl ? 'postgresql (DATABASE_URL, hidden)' : `embedded (${this.dataDir})`,
      migrations: this.databaseOwnerUrl ? 'as the owner (DATABASE_OWNER_URL, hidden)' : 'as DATABASE_URL',
      authMode: this.auth.mode,
      graphql: this.graphql,
    };
  }
}
