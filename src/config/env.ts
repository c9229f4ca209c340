/**
 * Reading one environment variable as a value of a kind (a whole number in a range, a flag, one
 * of a list, an http(s) URL, a required text): the value, the fallback when it is unset or
 * blank, or a ConfigError that names the variable and says what it takes.
 */

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

/** The environment as read: process.env, or a test's own. */
export type Env = Record<string, string | undefined>;

/** A whole number between `min` and `max` (inclusive); `fallback` when unset or blank. */
export function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** 1/true/yes/on or 0/false/no/off, any case; `fallback` when unset or blank. */
export function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be 1 or 0 (true/false), got "${env[name]}"`);
}

/** Exactly one of `allowed`; `fallback` when unset or blank. */
export function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const found = allowed.find((value) => value === raw);
  if (found === undefined) throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  return found;
}

/** An http(s) URL without trailing slashes; `fallback` when unset or blank. */
export function url(env: Env, name: string, fallback: string): string {
  const raw = env[name]?.trim() || fallback;
  try {
    const parsed = new URL(raw);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('protocol');
    // As a URL parser writes it (`HTTPS://Kelid.Example` is `https://kelid.example`): code that reads the scheme or compares origins sees one spelling.
    return parsed.href.replace(/\/+$/, '');
  } catch {
    throw new ConfigError(name, `must be an http(s) URL, got "${raw}"`);
  }
}

/** The trimmed value, or undefined when unset or blank. */
export function text(env: Env, name: string): string | undefined {
  return env[name]?.trim() || undefined;
}

/** The trimmed value, required `because` of another setting (named in the error). */
export function needed(env: Env, name: string, because: string): string {
  const value = text(env, name);
  if (value === undefined) throw new ConfigError(name, `is required with ${because}`);
  return value;
}

/** A required http(s) URL (see `needed`, `url`). */
export function neededUrl(env: Env, name: string, because: string): string {
  return url(env, name, needed(env, name, because));
}
