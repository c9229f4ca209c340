/**
 * The one configuration object, read from the environment once at start-up and validated.
 * Every option documents its default here and in the README's configuration table. A bad
 * value stops start-up with a message that names the variable (ConfigError).
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { defaultHashQueueMax, defaultHashQueuePerAddress } from './domain/hash-queue.ts';
import { ConfigError, flag, integer, oneOf, url, type Env } from './config/env.ts';
import { notifyConfig, type NotifyConfig } from './config/notify.ts';
import { metricsScrapers, trustedProxies } from './config/proxies.ts';

export { ConfigError } from './config/env.ts';
export type { EmailChannelKind, NotifyConfig, SmsChannelKind } from './config/notify.ts';

export type Profile = 'ir' | 'il';
export type Locale = 'fa' | 'he' | 'ar' | 'en';
/** Every locale, in the language switcher's order (both profiles offer every one). */
export const locales = ['fa', 'he', 'ar', 'en'] as const satisfies readonly Locale[];
/** A stored or asked-for locale ('ar' from a cookie, a column, a query): the Locale, or undefined for anything else. */
export function parseLocale(value: unknown): Locale | undefined {
  return locales.find((locale) => locale === value);
}

export type Config = {
  port: number;
  host: string;
  /** Public base URL; cookies are `Secure` when it is https. */
  publicUrl: string;
  /** Unset: the embedded PGlite database in `dataDir`. */
  databaseUrl: string | undefined;
  /** PostgreSQL connections of each process (a cluster of N workers opens N pools). */
  databasePoolSize: number;
  /**
   * Serving processes on the one port (node:cluster, src/cluster.ts). 1: a single process, no
   * cluster (the only choice on the embedded PGlite, which is one process's database); on
   * PostgreSQL the default is the number of cores.
   */
  workers: number;
  /**
   * PostgreSQL for LISTEN only, on a connection of its own that keeps its session (a
   * transaction-pooling PgBouncer lends a server per transaction, and a LISTEN made through it
   * hears nothing): unset, DATABASE_URL.
   */
  databaseListenUrl: string | undefined;
  /** Run the hot statements as named prepared statements (off behind PgBouncer < 1.21 in transaction mode). */
  databasePreparedStatements: boolean;
  dataDir: string;
  profile: Profile;
  defaultLocale: Locale;
  demo: boolean;
  demoPassword: string;
  /** Base secret for HMACs and signed cookies; `undefined` means "generate into dataDir" (embedded only). */
  secret: string | undefined;
  /**
   * Which hops before Kelid may set the client address (`X-Forwarded-For`) and the scheme:
   * none (`false`), the nearest N hops (a number), or the proxies at these addresses/CIDRs.
   * Fastify's `trustProxy` takes the same values; `true` (trust every hop) is never allowed,
   * because then a client chooses its own address by writing the header itself.
   */
  trustProxy: false | number | string[];
  /** Who may read /metrics, by the address the connection comes from (KELID_METRICS_FROM; config/proxies.ts). */
  metricsFrom: string[];
  logLevel: string;
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  /** A user file of more rows than this is imported in the background, with a progress page (issue 13 §4). */
  importBackgroundRows: number;
  /** Hashes computed at once in each process (default: the cores shared among the workers); bounds memory to this × memoryCost. */
  hashConcurrency: number;
  /**
   * Hashes allowed to wait beyond those being computed (issue 12): past it, anything that must
   * hash (a sign-in, a registration's details, a new password) answers 503 with Retry-After.
   * 0 to 1,000,000. Default: 250 per thread at OWASP's parameters (domain/hash-queue.ts
   * defaultHashQueueMax), two seconds of hashing at the 8 ms a hash it assumes; the benchmark
   * VMs take 11–20 ms (docs/operations.md, Sizing), so 3–5 s there.
   */
  hashQueueMax: number;
  /**
   * Places in the hash queue (hashes computed and waiting) one client address may hold at once:
   * past it that address alone is answered 503, so one client cannot fill the queue for all.
   * Default: a tenth of the places (domain/hash-queue.ts defaultHashQueuePerAddress).
   */
  hashQueuePerAddress: number;
  /**
   * Load shedding on a saturated event loop: when the mean delay of the event loop over a
   * window of `sampleMs` passes `maxDelayMs`, every request but /healthz, /readyz and /metrics
   * answers 503 with Retry-After until a window is under it again. `maxDelayMs` 0: never.
   */
  eventLoop: { maxDelayMs: number; sampleMs: number };
  /** Delivery channels and the outbox (B6); see NotifyConfig. */
  notify: NotifyConfig;
  /**
   * One-time codes (identity/codes.ts CodePolicy): wrong tries one code allows and the seconds
   * before another may be sent for the same step. Good for 5 minutes, as the seeds and the
   * messages say (GLOSSARY.md, 001:149): not a setting.
   */
  codes: { lifetimeMinutes: 5; maxTries: number; cooldownSeconds: number };
  /** Abuse limits on sending codes (SMS pumping): per recipient, per client address, a global SMS budget. */
  sendLimits: { perRecipientPerHour: number; perAddressPerHour: number; smsBudgetPerHour: number };
  passwordPolicy: {
    minLength: number; maxLength: number;
    requireUpper: boolean; requireLower: boolean; requireDigit: boolean; requireSymbol: boolean;
  };
  /** Brute-force protection per place (src/domain/lockout.ts, docs/decisions.md). */
  lockout: {
    /** Failures before each further try must wait (1 s, 2 s, 4 s… doubling). */
    delayAfter: number;
    /** Failures after which each further try must also bring a solved captcha. */
    captchaAfter: number;
    /** Failures that lock the account temporarily (for the place they came from). */
    threshold: number;
    lockMinutes: number;
  };
  /** Failed sign-ins from one client address per window before every sign-in from there (unknown devices) needs a captcha. */
  addressLimit: { failures: number; windowMinutes: number };
  /**
   * Coarse flood guard: requests per minute per client address, all routes. Counted in each
   * process, which takes its share (this divided by `workers`): see app.ts.
   */
  requestsPerMinute: number;
  /** SCIM requests per client and minute, counted in PostgreSQL over every process (http/scim.ts). */
  scimRequestsPerMinute: number;
  session: { idleMinutes: number; maxHours: number };
  /**
   * ALTCHA proof of work (docs/decisions.md, Captcha). The browser tries counters 0, 1, 2…
   * until it finds the secret one, drawn from [maxNumber / 2, maxNumber]; each try costs
   * `cost` PBKDF2-SHA-256 iterations. A challenge is good for `ttlMinutes`. Where the proof of
   * work cannot run, the security image (captcha/image-challenge.ts) stands in, with the same
   * lifetime; `question`: it also asks a sum, for those who cannot see the image.
   */
  captcha: { maxNumber: number; cost: number; ttlMinutes: number; question: boolean; questionPerAddressPerHour: number };
  services: { exams: string; payslips: string; parents: string };
  /** Self-registration (F6–F16). */
  registration: {
    /** Minutes a registration flow lives. */
    flowMinutes: number;
    /** A person the registry does not hold: refused, or accepted as self-declared for review. */
    unknownPeople: 'refuse' | 'review';
    /** A completed profile still waits for an administrator's approval. */
    approvalRequired: boolean;
    /** Days a pre-registration may stay incomplete before it is deleted, and the warning before. */
    deleteAfterDays: number;
    remindBeforeDays: number;
    /** Details looked up in the registry in an hour, found or not: per person from one address, per person from everywhere, per address. */
    lookupsPerPersonPerHour: number; lookupsPerPersonAnywherePerHour: number; lookupsPerPersonPerDay: number; lookupsPerAddressPerHour: number;
  };
  /** Multi-factor for administrators (B3): required before the console opens, or optional (demo default). */
  adminMfa: 'required' | 'optional';
  /**
   * Password recovery (F18): attempts in an hour, matched or not, per national ID from one client
   * address, per national ID from everywhere, and per client address.
   */
  recovery: { perNationalIdPerHour: number; perNationalIdAnywherePerHour: number; perAddressPerHour: number; wrongCodesPerDay: number };
  /** Set password from an emailed link (F19): hours a link works; new links asked for from a dead link, per account in an hour. */
  invitations: { hours: number; newLinksPerHour: number };
  /**
   * One-time-code sign-in (F3): code requests in an hour, counted whether or not the
   * identifier names an account: per identifier from one address, per identifier from
   * anywhere (the ceiling that keeps an owner's phone quiet), per address.
   */
  codeSignIn: { perIdentifierAndAddressPerHour: number; perIdentifierPerHour: number; perAddressPerHour: number; wrongCodesPerDay: number };
};

const requirements = ['upper', 'lower', 'digit', 'symbol'] as const;

function passwordRequirements(env: Env): Set<string> {
  const raw = env.KELID_PASSWORD_REQUIRE;
  if (raw === undefined) return new Set(requirements);
  const items = raw.split(',').map((item) => item.trim()).filter(Boolean);
  for (const item of items) {
    if (!requirements.some((known) => known === item)) {
      throw new ConfigError('KELID_PASSWORD_REQUIRE', `takes a comma list of ${requirements.join(', ')}, got "${item}"`);
    }
  }
  return new Set(items);
}

export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const profile = oneOf(env, 'KELID_PROFILE', ['ir', 'il'] as const, 'ir');
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must start with postgres:// or postgresql://');
  }
  const databaseListenUrl = env.KELID_DATABASE_LISTEN_URL?.trim() || undefined;
  if (databaseListenUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseListenUrl)) {
    throw new ConfigError('KELID_DATABASE_LISTEN_URL', 'must start with postgres:// or postgresql://');
  }
  if (databaseListenUrl !== undefined && databaseUrl === undefined) {
    throw new ConfigError('KELID_DATABASE_LISTEN_URL', 'needs DATABASE_URL (the embedded database listens in its own process)');
  }
  const secret = env.KELID_SECRET?.trim() || undefined;
  if (secret !== undefined && secret.length < 32) {
    throw new ConfigError('KELID_SECRET', 'must be at least 32 characters (e.g. `openssl rand -base64 48`)');
  }
  if (secret === undefined && databaseUrl !== undefined) {
    // Several processes share one PostgreSQL: a secret generated by one would not be known by the others.
    throw new ConfigError('KELID_SECRET', 'is required when DATABASE_URL is set (generate one with `openssl rand -base64 48`)');
  }
  const required = passwordRequirements(env);
  const minLength = integer(env, 'KELID_PASSWORD_MIN_LENGTH', 8, 6, 64);
  const services = {
    exams: url(env, 'KELID_SERVICE_EXAMS_URL', 'http://localhost:4001/'),
    payslips: url(env, 'KELID_SERVICE_PAYSLIPS_URL', 'http://localhost:4003/'),
    parents: url(env, 'KELID_SERVICE_PARENTS_URL', 'http://localhost:4002/'),
  };
  const workers = integer(env, 'KELID_WORKERS', databaseUrl === undefined ? 1 : availableParallelism(), 1, 256);
  if (workers > 1 && databaseUrl === undefined) {
    // PGlite lives inside one process: a second process cannot open it (src/db/folder-lock.ts).
    throw new ConfigError('KELID_WORKERS', `must be 1 with the embedded database (PGlite is one process's database), got ${workers}: set DATABASE_URL to run several processes`);
  }
  const lockThreshold = integer(env, 'KELID_LOCKOUT_THRESHOLD', 10, 1, 1000);
  const argon2 = {
    memoryCost: integer(env, 'KELID_ARGON2_MEMORY_KIB', 19456, 8192, 4194304),
    timeCost: integer(env, 'KELID_ARGON2_ITERATIONS', 2, 1, 100),
    parallelism: integer(env, 'KELID_ARGON2_PARALLELISM', 1, 1, 16),
  };
  // Each worker hashes its share of the cores: more hashes at once than cores adds memory, not speed.
  const hashConcurrency = integer(env, 'KELID_HASH_CONCURRENCY', Math.max(1, Math.round(availableParallelism() / workers)), 1, 256);
  const hashQueueMax = integer(env, 'KELID_HASH_QUEUE_MAX', defaultHashQueueMax(argon2, hashConcurrency), 0, 1_000_000);
  const delayAfter = integer(env, 'KELID_LOCKOUT_DELAY_AFTER', Math.min(3, lockThreshold), 1, lockThreshold);
  return {
    port,
    host: env.HOST?.trim() || '0.0.0.0',
    publicUrl: url(env, 'KELID_PUBLIC_URL', `http://localhost:${port}`),
    databaseUrl,
    databasePoolSize: integer(env, 'KELID_DB_POOL', 10, 1, 200),
    workers,
    databaseListenUrl,
    databasePreparedStatements: flag(env, 'KELID_DB_PREPARED_STATEMENTS', true),
    dataDir: path.resolve(env.KELID_DATA_DIR?.trim() || 'data'),
    profile,
    defaultLocale: profile === 'ir' ? 'fa' : 'he',
    demo: flag(env, 'KELID_DEMO', true),
    demoPassword: env.KELID_DEMO_PASSWORD || 'Kelid-Demo-1405',
    secret,
    trustProxy: trustedProxies(env),
    metricsFrom: metricsScrapers(env),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    argon2,
    hashConcurrency,
    importBackgroundRows: integer(env, 'KELID_IMPORT_BACKGROUND_ROWS', 2000, 0, 1_000_000),
    hashQueueMax,
    hashQueuePerAddress: integer(env, 'KELID_HASH_QUEUE_PER_ADDRESS', defaultHashQueuePerAddress(hashQueueMax, hashConcurrency), 1, 1_000_000),
    eventLoop: {
      maxDelayMs: integer(env, 'KELID_EVENT_LOOP_MAX_DELAY_MS', 500, 0, 60_000),
      sampleMs: integer(env, 'KELID_EVENT_LOOP_SAMPLE_MS', 1000, 20, 60_000),
    },
    notify: notifyConfig(env, flag(env, 'KELID_DEMO', true)),
    codes: {
      lifetimeMinutes: 5,
      maxTries: integer(env, 'KELID_CODE_TRIES', 5, 1, 20),
      cooldownSeconds: integer(env, 'KELID_CODE_RESEND_SECONDS', 60, 0, 3600),
    },
    sendLimits: {
      perRecipientPerHour: integer(env, 'KELID_SEND_PER_RECIPIENT_PER_HOUR', 5, 1, 1000),
      perAddressPerHour: integer(env, 'KELID_SEND_PER_ADDRESS_PER_HOUR', 100, 1, 1_000_000),
      smsBudgetPerHour: integer(env, 'KELID_SMS_BUDGET_PER_HOUR', 2000, 1, 10_000_000),
    },
    passwordPolicy: {
      minLength,
      maxLength: integer(env, 'KELID_PASSWORD_MAX_LENGTH', 128, minLength, 1024),
      requireUpper: required.has('upper'),
      requireLower: required.has('lower'),
      requireDigit: required.has('digit'),
      requireSymbol: required.has('symbol'),
    },
    lockout: {
      delayAfter,
      captchaAfter: integer(env, 'KELID_LOCKOUT_CAPTCHA_AFTER', Math.max(delayAfter, Math.min(5, lockThreshold)), delayAfter, lockThreshold),
      threshold: lockThreshold,
      lockMinutes: integer(env, 'KELID_LOCKOUT_MINUTES', 15, 1, 24 * 60),
    },
    addressLimit: {
      failures: integer(env, 'KELID_ADDRESS_FAILURE_LIMIT', 100, 1, 1_000_000),
      windowMinutes: integer(env, 'KELID_ADDRESS_WINDOW_MINUTES', 15, 1, 24 * 60),
    },
    requestsPerMinute: integer(env, 'KELID_RATE_LIMIT_PER_MINUTE', 600, 1, 10_000_000),
    scimRequestsPerMinute: integer(env, 'KELID_SCIM_RATE_PER_MINUTE', 600, 1, 10_000_000),
    session: {
      idleMinutes: integer(env, 'KELID_SESSION_IDLE_MINUTES', 30, 1, 7 * 24 * 60),
      maxHours: integer(env, 'KELID_SESSION_MAX_HOURS', 12, 1, 24 * 30),
    },
    // ALTCHA recommends 5,000 PBKDF2 iterations per try (about 11 s here); 1,000 keeps cheap phones usable (docs/decisions.md).
    captcha: {
      maxNumber: integer(env, 'KELID_CAPTCHA_MAX_NUMBER', 10_000, 1, 10_000_000),
      cost: integer(env, 'KELID_CAPTCHA_COST', 1_000, 1, 1_000_000),
      ttlMinutes: integer(env, 'KELID_CAPTCHA_TTL_MINUTES', 10, 1, 24 * 60),
      question: flag(env, 'KELID_CAPTCHA_QUESTION', true),
      questionPerAddressPerHour: integer(env, 'KELID_CAPTCHA_QUESTION_PER_ADDRESS_PER_HOUR', 5, 1, 1000),
    },
    services,
    registration: {
      flowMinutes: integer(env, 'KELID_REGISTRATION_FLOW_MINUTES', 60, 5, 24 * 60),
      unknownPeople: oneOf(env, 'KELID_REGISTRATION_UNKNOWN_PEOPLE', ['refuse', 'review'] as const, 'refuse'),
      approvalRequired: flag(env, 'KELID_REGISTRATION_APPROVAL', false),
      deleteAfterDays: integer(env, 'KELID_PREREGISTRATION_DAYS', 30, 2, 365),
      remindBeforeDays: integer(env, 'KELID_PREREGISTRATION_REMIND_DAYS', 7, 1, 364),
      lookupsPerPersonPerHour: integer(env, 'KELID_REGISTRATION_PER_ID_PER_HOUR', 5, 1, 1000),
      lookupsPerPersonAnywherePerHour: integer(env, 'KELID_REGISTRATION_PER_ID_ALL_PER_HOUR', 20, 1, 100_000),
      lookupsPerPersonPerDay: integer(env, 'KELID_REGISTRATION_PER_ID_PER_DAY', 40, 1, 1_000_000),
      lookupsPerAddressPerHour: integer(env, 'KELID_REGISTRATION_PER_ADDRESS_PER_HOUR', 300, 1, 1_000_000),
    },
    adminMfa: oneOf(env, 'KELID_ADMIN_MFA', ['required', 'optional'] as const, flag(env, 'KELID_DEMO', true) ? 'optional' : 'required'),
    recovery: {
      perNationalIdPerHour: integer(env, 'KELID_RECOVERY_PER_ID_PER_HOUR', 5, 1, 1000),
      perNationalIdAnywherePerHour: integer(env, 'KELID_RECOVERY_PER_ID_ALL_PER_HOUR', 50, 1, 100_000),
      perAddressPerHour: integer(env, 'KELID_RECOVERY_PER_ADDRESS_PER_HOUR', 30, 1, 1_000_000),
      wrongCodesPerDay: integer(env, 'KELID_RECOVERY_WRONG_CODES_PER_DAY', 20, 1, 10_000),
    },
    invitations: {
      hours: integer(env, 'KELID_INVITATION_HOURS', 72, 1, 30 * 24),
      newLinksPerHour: integer(env, 'KELID_INVITATION_NEW_LINKS_PER_HOUR', 3, 1, 100),
    },
    codeSignIn: {
      perIdentifierAndAddressPerHour: integer(env, 'KELID_OTP_PER_ID_AND_ADDRESS_PER_HOUR', 5, 1, 1000),
      perIdentifierPerHour: integer(env, 'KELID_OTP_PER_ID_PER_HOUR', 10, 1, 1000),
      perAddressPerHour: integer(env, 'KELID_OTP_PER_ADDRESS_PER_HOUR', 100, 1, 1_000_000),
      wrongCodesPerDay: integer(env, 'KELID_OTP_WRONG_CODES_PER_DAY', 20, 1, 10_000),
    },
  };
}
