/**
 * The one configuration object, read from the environment once at start-up and validated.
 * Every option documents its default here and in the README's configuration table. A bad
 * value stops start-up with a message that names the variable (ConfigError).
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';

export type Profile = 'ir' | 'il';
export type Locale = 'fa' | 'he' | 'en';

export type Config = {
  port: number;
  host: string;
  /** Public base URL; cookies are `Secure` when it is https. */
  publicUrl: string;
  /** Unset: the embedded PGlite database in `dataDir`. */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  dataDir: string;
  profile: Profile;
  defaultLocale: Locale;
  demo: boolean;
  demoPassword: string;
  /** Base secret for HMACs and signed cookies; `undefined` means "generate into dataDir" (embedded only). */
  secret: string | undefined;
  trustProxy: boolean;
  logLevel: string;
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  /** Hashes computed at once (default: the number of cores); bounds memory to this × memoryCost. */
  hashConcurrency: number;
  passwordPolicy: {
    minLength: number; maxLength: number;
    requireUpper: boolean; requireLower: boolean; requireDigit: boolean; requireSymbol: boolean;
  };
  lockout: {
    /** Failures before each further try must wait (1 s, 2 s, 4 s… doubling). */
    delayAfter: number;
    /** Failures that lock the account temporarily. */
    threshold: number;
    lockMinutes: number;
  };
  /** Failed sign-ins allowed from one client address per window, whatever the accounts. */
  addressLimit: { failures: number; windowMinutes: number };
  /** Coarse flood guard: requests per minute per client address, all routes. */
  requestsPerMinute: number;
  session: { idleMinutes: number; maxHours: number };
  services: { exams: string; payslips: string; parents: string };
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
  const lockThreshold = integer(env, 'KELID_LOCKOUT_THRESHOLD', 10, 1, 1000);
  return {
    port,
    host: env.HOST?.trim() || '0.0.0.0',
    publicUrl: url(env, 'KELID_PUBLIC_URL', `http://localhost:${port}`),
    databaseUrl,
    databasePoolSize: integer(env, 'KELID_DB_POOL', 10, 1, 200),
    dataDir: path.resolve(env.KELID_DATA_DIR?.trim() || 'data'),
    profile,
    defaultLocale: profile === 'ir' ? 'fa' : 'he',
    demo: flag(env, 'KELID_DEMO', true),
    demoPassword: env.KELID_DEMO_PASSWORD || 'Kelid-Demo-1405',
    secret,
    trustProxy: flag(env, 'KELID_TRUST_PROXY', false),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    argon2: {
      memoryCost: integer(env, 'KELID_ARGON2_MEMORY_KIB', 19456, 8192, 4194304),
      timeCost: integer(env, 'KELID_ARGON2_ITERATIONS', 2, 1, 100),
      parallelism: integer(env, 'KELID_ARGON2_PARALLELISM', 1, 1, 16),
    },
    hashConcurrency: integer(env, 'KELID_HASH_CONCURRENCY', availableParallelism(), 1, 256),
    passwordPolicy: {
      minLength,
      maxLength: integer(env, 'KELID_PASSWORD_MAX_LENGTH', 128, minLength, 1024),
      requireUpper: required.has('upper'),
      requireLower: required.has('lower'),
      requireDigit: required.has('digit'),
      requireSymbol: required.has('symbol'),
    },
    lockout: {
      delayAfter: integer(env, 'KELID_LOCKOUT_DELAY_AFTER', 3, 1, lockThreshold),
      threshold: lockThreshold,
      lockMinutes: integer(env, 'KELID_LOCKOUT_MINUTES', 15, 1, 24 * 60),
    },
    addressLimit: {
      failures: integer(env, 'KELID_ADDRESS_FAILURE_LIMIT', 100, 1, 1_000_000),
      windowMinutes: integer(env, 'KELID_ADDRESS_WINDOW_MINUTES', 15, 1, 24 * 60),
    },
    requestsPerMinute: integer(env, 'KELID_RATE_LIMIT_PER_MINUTE', 600, 1, 10_000_000),
    session: {
      idleMinutes: integer(env, 'KELID_SESSION_IDLE_MINUTES', 30, 1, 7 * 24 * 60),
      maxHours: integer(env, 'KELID_SESSION_MAX_HOURS', 12, 1, 24 * 30),
    },
    services,
  };
}
