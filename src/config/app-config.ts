import { type Environment, environmentSchema } from 'src/config/environment.js';

export { SECRET_KEYS } from 'src/config/environment.js';

/** How the gateway verifies bearer tokens. */
export type AuthMode = 'development' | 'production';

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
    /** The per-authority responsibility rules (looked-after transitions, care leavers, lead professional). */
    readonly responsibilityDir: string;
    readonly allocationGraceDays: number;
    readonly breakGlassMinutes: number;
    /** Children one user may read under break-glass in an hour. */
    readonly breakGlassMaxChildrenPerHour: number;
  };
  readonly matching: {
    /**
     * Score cut-offs for matchChild and registerChild as given; unset ones take the identity
     * module's defaults, and the children module checks them with validateMatchThresholds at start
     * (config, below identity, cannot).
     */
    readonly confidentScore: number | undefined;
    readonly possibleScore: number | undefined;
    /** Days after a merge during which it can be undone. */
    readonly mergeUndoDays: number;
  };
  /** Migrations run through this connection (the tables' owner) when set; the gateway uses DATABASE_URL. */
  readonly databaseOwnerUrl: string | undefined;
  readonly audit: {
    /** Ed25519 private key (PEM) that signs checkpoints; in development one is kept in DATA_DIR. */
    readonly signingKeyPem: string | undefined;
    /** In production, serve requests as a role that owns the log's tables (refused unless set). */
    readonly allowOwnerConnection: boolean;
    readonly sealIntervalMs: number;
    readonly sealBatchSize: number;
    /** How requests' receipts are stored (docs/COMPACT-RECEIPTS.md). */
    readonly logForm: 'json' | 'compact';
    readonly retentionDays: number;
    readonly anomalyWindowMinutes: number;
    readonly anomalyChildrenThreshold: number;
    readonly anomalyOutOfHoursThreshold: number;
    readonly workingHours: { readonly start: string; readonly end: string };
    /** Agencies whose auditors read the whole log; every other auditor reads their local authority's part. */
    readonly nationalAgencies: readonly string[];
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
    /** How long a fetched JWKS is used before it is fetched again (a withdrawn key stops within it). */
    readonly jwksMaxAgeMs: number;
    readonly issuer: string;
    readonly audience: string;
    readonly algorithms: readonly string[];
    readonly clockToleranceSeconds: number;
    /** The longest lifetime (exp − iat) a token may have. */
    readonly maxTokenAgeSeconds: number;
  };
  /** The auditors' console served at /console. */
  readonly console: {
    /** Where the built console is. */
    readonly dir: string;
    /** Production sign-in (OIDC authorization code with PKCE); no client id: no sign-in. */
    readonly oidc: { readonly authority: string | undefined; readonly clientId: string | undefined; readonly scope: string };
  };
  readonly graphql: {
    readonly maxDepth: number;
    readonly maxAliases: number;
    readonly maxCost: number;
    readonly maxBodyBytes: number;
    readonly allowBatchedQueries: boolean;
    /** Runs of one query text after which Mercurius compiles it (graphql-jit); 0: never. */
    readonly jitAfter: number;
    readonly introspection: boolean;
    readonly hideSuggestions: boolean;
  };

  private constructor(env: Environment) {
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
      responsibilityDir: env.POLICY_RESPONSIBILITY_DIR,
      allocationGraceDays: env.POLICY_ALLOCATION_GRACE_DAYS,
      breakGlassMinutes: env.POLICY_BREAK_GLASS_MINUTES,
      breakGlassMaxChildrenPerHour: env.POLICY_BREAK_GLASS_MAX_CHILDREN_PER_HOUR,
    };
    this.matching = {
      confidentScore: env.MATCH_CONFIDENT_SCORE,
      possibleScore: env.MATCH_POSSIBLE_SCORE,
      mergeUndoDays: env.MERGE_UNDO_DAYS,
    };
    this.databaseOwnerUrl = env.DATABASE_OWNER_URL;
    const [start = '08:00', end = '18:00'] = env.AUDIT_WORKING_HOURS.split('-');
    this.audit = {
      signingKeyPem: env.AUDIT_SIGNING_KEY?.replace(/\\n/g, '\n'),
      allowOwnerConnection: env.AUDIT_ALLOW_OWNER_CONNECTION,
      sealIntervalMs: env.AUDIT_SEAL_INTERVAL_MS,
      sealBatchSize: env.AUDIT_SEAL_BATCH_SIZE,
      logForm: env.AUDIT_LOG_FORM,
      retentionDays: env.AUDIT_RETENTION_DAYS,
      anomalyWindowMinutes: env.AUDIT_ANOMALY_WINDOW_MINUTES,
      anomalyChildrenThreshold: env.AUDIT_ANOMALY_CHILDREN_THRESHOLD,
      anomalyOutOfHoursThreshold: env.AUDIT_ANOMALY_OUT_OF_HOURS_THRESHOLD,
      workingHours: { start, end },
      nationalAgencies: env.AUDIT_NATIONAL_AGENCIES?.split(',') ?? [],
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
      jwksMaxAgeMs: env.AUTH_JWKS_MAX_AGE_SECONDS * 1000,
      issuer: env.AUTH_ISSUER ?? 'tandem-development',
      audience: env.AUTH_AUDIENCE,
      algorithms: env.AUTH_ALGORITHMS.split(',').map((alg) => alg.trim()),
      clockToleranceSeconds: env.AUTH_CLOCK_TOLERANCE_SECONDS,
      maxTokenAgeSeconds: env.AUTH_MAX_TOKEN_AGE_SECONDS,
    };
    this.console = {
      dir: env.CONSOLE_DIR,
      oidc: {
        authority: env.CONSOLE_OIDC_AUTHORITY ?? env.AUTH_ISSUER,
        clientId: env.CONSOLE_OIDC_CLIENT_ID,
        scope: env.CONSOLE_OIDC_SCOPE,
      },
    };
    this.graphql = {
      maxDepth: env.GRAPHQL_MAX_DEPTH,
      maxAliases: env.GRAPHQL_MAX_ALIASES,
      maxCost: env.GRAPHQL_MAX_COST,
      maxBodyBytes: env.GRAPHQL_MAX_BODY_BYTES,
      allowBatchedQueries: env.GRAPHQL_ALLOW_BATCHED_QUERIES,
      jitAfter: env.GRAPHQL_JIT_AFTER,
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
