/**
 * The one configuration object, read from the environment once at start-up and validated.
 * Every option documents its default here and in the README's configuration table. A bad
 * value stops start-up with a message that names the variable (ConfigError).
 */
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { defaultHashQueueMax, defaultHashQueuePerAddress } from './domain/hash-queue.ts';

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
  logLevel: string;
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  /** A user file of more rows than this is imported in the background, with a progress page (issue 13 §4). */
  importBackgroundRows: number;
  /** Hashes computed at once in each process (default: the cores shared among the workers); bounds memory to this × memoryCost. */
  hashConcurrency: number;
  /**
   * Hashes allowed to wait beyond those being computed (issue 12): past it, anything that must
   * hash (a sign-in, a registration's details, a new password) answers 503 with Retry-After.
   * Default: about two seconds of hashing (domain/hash-queue.ts defaultHashQueueMax).
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
  };
  /** Multi-factor for administrators (B3): required before the console opens, or optional (demo default). */
  adminMfa: 'required' | 'optional';
  /**
   * Password recovery (F18): attempts in an hour, matched or not, per national ID from one client
   * address, per national ID from everywhere, and per client address.
   */
  recovery: { perNationalIdPerHour: number; perNationalIdAnywherePerHour: number; perAddressPerHour: number };
  /** Set password from an emailed link (F19): hours a link works; new links asked for from a dead link, per account in an hour. */
  invitations: { hours: number; newLinksPerHour: number };
  /**
   * One-time-code sign-in (F3): code requests in an hour, counted whether or not the
   * identifier names an account: per identifier from one address, per identifier from
   * anywhere (the ceiling that keeps an owner's phone quiet), per address.
   */
  codeSignIn: { perIdentifierAndAddressPerHour: number; perIdentifierPerHour: number; perAddressPerHour: number };
};

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be 1 or 0 (true/false), got "${env[name]}"`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const found = allowed.find((value) => value === raw);
  if (found === undefined) throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  return found;
}

function url(env: Env, name: string, fallback: string): string {
  const raw = env[name]?.trim() || fallback;
  try {
    const parsed = new URL(raw);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('protocol');
    return raw.replace(/\/+$/, '');
  } catch {
    throw new ConfigError(name, `must be an http(s) URL, got "${raw}"`);
  }
}

// proxy-addr's names for address ranges, as Fastify's trustProxy accepts them.
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * KELID_TRUST_PROXY: `0` (default), a hop count (`1`: one load balancer in front), or a comma
 * list of proxy addresses and CIDR ranges (`10.0.0.0/8, 192.168.1.7`, or `loopback`…).
 * `true` is refused: trusting every hop lets the client pick the address its limits and the
 * audit see (X-Forwarded-For's first entries are whatever the client wrote). So are ranges
 * wider than /8 (IPv4) or /16 (IPv6, private ranges excepted): `0.0.0.0/0` is `true` in disguise.
 */
function trustedProxies(env: Env): false | number | string[] {
  const raw = env.KELID_TRUST_PROXY?.trim() ?? '';
  if (raw === '' || ['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops > 10) throw new ConfigError('KELID_TRUST_PROXY', `counts proxy hops (1–10), got ${hops}`);
    return hops;
  }
  if (['true', 'yes', 'on'].includes(raw.toLowerCase())) {
    throw new ConfigError('KELID_TRUST_PROXY', 'must be a hop count (e.g. 1) or a list of proxy addresses, not "true": trusting every hop lets clients choose their own address');
  }
  const entries = raw.split(',').map((entry) => entry.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address = '', bits, extra] = entry.split('/');
    const family = isIP(address);
    const maxBits = family === 6 ? 128 : 32;
    const validBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits);
    if (!PROXY_RANGE_NAMES.has(entry) && (family === 0 || !validBits || extra !== undefined)) {
      throw new ConfigError('KELID_TRUST_PROXY', `takes a hop count or IP addresses and CIDR ranges, got "${entry}"`);
    }
    if (bits !== undefined && tooWide(address, family, Number(bits))) {
      throw new ConfigError('KELID_TRUST_PROXY', `takes the proxies' own addresses or ranges, not "${entry}": every client in so wide a range could write its own address; the shortest ranges are /${MIN_PROXY_BITS.v4} (IPv4) and /${MIN_PROXY_BITS.v6} (IPv6, or "uniquelocal")`);
    }
  }
  return entries;
}

/** The widest proxy ranges trusted: `0.0.0.0/0` or `::/0` would let the whole Internet pick its own address. */
const MIN_PROXY_BITS = { v4: 8, v6: 16 } as const;

/** Shorter than the minimum, except an IPv6 range inside the private fc00::/7 (uniquelocal) or fe80::/10 (linklocal). */
function tooWide(address: string, family: number, bits: number): boolean {
  if (family === 4) return bits < MIN_PROXY_BITS.v4;
  if (bits >= MIN_PROXY_BITS.v6) return false;
  const first = address.startsWith('::') ? 0 : Number.parseInt(address.split(':')[0] ?? '0', 16);
  return !((bits >= 7 && first >> 9 === 0b1111110) || (bits >= 10 && first >> 6 === 0b1111111010));
}

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

export type SmsChannelKind = 'dev' | 'kavenegar' | 'twilio' | 'webhook';
export type EmailChannelKind = 'dev' | 'smtp';

export type NotifyConfig = {
  /** `undefined`: not configured; start-up refuses (src/notify/channels/from-config.ts). Default `dev` only with demo data. */
  sms: SmsChannelKind | undefined;
  email: EmailChannelKind | undefined;
  smtp: { url: string; from: string } | undefined;
  kavenegar: { apiKey: string; baseUrl: string; sender: string | undefined; verifyTemplate: string } | undefined;
  twilio: { accountSid: string; authToken: string; from: string | undefined; messagingServiceSid: string | undefined; baseUrl: string } | undefined;
  webhook: { url: string; secret: string } | undefined;
  /** Tries before a message is marked failed (backoff doubles from 10 s, capped at an hour). */
  maxAttempts: number;
  /** How often the dispatcher looks for due messages when nobody wakes it. */
  pollMs: number;
  /**
   * How long a claimed message is its dispatcher's alone (`locked_until`): after a crash, how
   * long until another process sends it. Each call to a provider must end well inside it, so
   * the channels' deadline is half of it, at most 15 s (notify/channels/http.ts providerDeadlineMs).
   */
  leaseMs: number;
};

function text(env: Env, name: string): string | undefined {
  return env[name]?.trim() || undefined;
}

function needed(env: Env, name: string, because: string): string {
  const value = text(env, name);
  if (value === undefined) throw new ConfigError(name, `is required with ${because}`);
  return value;
}

function neededUrl(env: Env, name: string, because: string): string {
  return url(env, name, needed(env, name, because));
}

function notifyConfig(env: Env, demo: boolean): NotifyConfig {
  // dev is a default only for demos: a real deployment must name its channels, or codes would go nowhere.
  const fallback = demo ? 'dev' : undefined;
  const sms = text(env, 'KELID_SMS') === undefined ? fallback : oneOf(env, 'KELID_SMS', ['dev', 'kavenegar', 'twilio', 'webhook'] as const, 'dev');
  const email = text(env, 'KELID_EMAIL') === undefined ? fallback : oneOf(env, 'KELID_EMAIL', ['dev', 'smtp'] as const, 'dev');
  const smtpUrl = email === 'smtp' ? needed(env, 'KELID_SMTP_URL', 'KELID_EMAIL=smtp') : undefined;
  if (smtpUrl !== undefined && !/^smtps?:\/\/[^/\s]+/.test(smtpUrl)) throw new ConfigError('KELID_SMTP_URL', 'must be an smtp:// or smtps:// URL');
  const webhookSecret = sms === 'webhook' ? needed(env, 'KELID_SMS_WEBHOOK_SECRET', 'KELID_SMS=webhook') : undefined;
  if (webhookSecret !== undefined && webhookSecret.length < 32) throw new ConfigError('KELID_SMS_WEBHOOK_SECRET', 'must be at least 32 characters');
  const twilioFrom = text(env, 'KELID_TWILIO_FROM');
  const twilioService = text(env, 'KELID_TWILIO_MESSAGING_SERVICE_SID');
  if (sms === 'twilio' && twilioFrom === undefined && twilioService === undefined) {
    throw new ConfigError('KELID_TWILIO_FROM', 'or KELID_TWILIO_MESSAGING_SERVICE_SID is required with KELID_SMS=twilio');
  }
  return {
    sms,
    email,
    smtp: smtpUrl === undefined ? undefined : { url: smtpUrl, from: needed(env, 'KELID_MAIL_FROM', 'KELID_EMAIL=smtp') },
    kavenegar: sms !== 'kavenegar' ? undefined : {
      apiKey: needed(env, 'KELID_KAVENEGAR_API_KEY', 'KELID_SMS=kavenegar'),
      baseUrl: url(env, 'KELID_KAVENEGAR_URL', 'https://api.kavenegar.com'),
      sender: text(env, 'KELID_KAVENEGAR_SENDER'),
      verifyTemplate: text(env, 'KELID_KAVENEGAR_VERIFY_TEMPLATE') ?? 'kelid-verify',
    },
    twilio: sms !== 'twilio' ? undefined : {
      accountSid: needed(env, 'KELID_TWILIO_ACCOUNT_SID', 'KELID_SMS=twilio'),
      authToken: needed(env, 'KELID_TWILIO_AUTH_TOKEN', 'KELID_SMS=twilio'),
      from: twilioFrom,
      messagingServiceSid: twilioService,
      baseUrl: url(env, 'KELID_TWILIO_URL', 'https://api.twilio.com'),
    },
    webhook: webhookSecret === undefined ? undefined : { url: neededUrl(env, 'KELID_SMS_WEBHOOK_URL', 'KELID_SMS=webhook'), secret: webhookSecret },
    maxAttempts: integer(env, 'KELID_OUTBOX_MAX_ATTEMPTS', 8, 1, 100),
    pollMs: integer(env, 'KELID_OUTBOX_POLL_MS', 1000, 50, 3_600_000),
    leaseMs: integer(env, 'KELID_OUTBOX_LEASE_MS', 60_000, 2000, 3_600_000),
  };
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
    },
    adminMfa: oneOf(env, 'KELID_ADMIN_MFA', ['required', 'optional'] as const, flag(env, 'KELID_DEMO', true) ? 'optional' : 'required'),
    recovery: {
      perNationalIdPerHour: integer(env, 'KELID_RECOVERY_PER_ID_PER_HOUR', 5, 1, 1000),
      perNationalIdAnywherePerHour: integer(env, 'KELID_RECOVERY_PER_ID_ALL_PER_HOUR', 50, 1, 100_000),
      perAddressPerHour: integer(env, 'KELID_RECOVERY_PER_ADDRESS_PER_HOUR', 30, 1, 1_000_000),
    },
    invitations: {
      hours: integer(env, 'KELID_INVITATION_HOURS', 72, 1, 30 * 24),
      newLinksPerHour: integer(env, 'KELID_INVITATION_NEW_LINKS_PER_HOUR', 3, 1, 100),
    },
    codeSignIn: {
      perIdentifierAndAddressPerHour: integer(env, 'KELID_OTP_PER_ID_AND_ADDRESS_PER_HOUR', 5, 1, 1000),
      perIdentifierPerHour: integer(env, 'KELID_OTP_PER_ID_PER_HOUR', 10, 1, 1000),
      perAddressPerHour: integer(env, 'KELID_OTP_PER_ADDRESS_PER_HOUR', 100, 1, 1_000_000),
    },
  };
}
