/**
 * The provider's signing keys (issue 10): an RS256 key (OpenID Connect requires it for ID
 * tokens) and an ES256 key (cheaper; JWT access tokens, and ID tokens for clients that ask),
 * made on first start, kept in PostgreSQL with the private half sealed (AES-256-GCM, a key
 * from KELID_SECRET), rotated by `npm run kelid -- keys rotate`.
 *
 * Rotation follows upstream's advice for many processes (docs, `jwks`): a new key is
 * published first and signs only from `activates_at`, by when every process has reloaded it
 * (they look every KEY_REFRESH_SECONDS); the key it replaces signs nothing more from then on
 * but stays published for KEY_RETENTION_SECONDS, past the life of anything it signed.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Executor } from '../identity/audit.ts';
import { ConfigError } from '../config/env.ts';
import { open, seal } from '../identity/secret-box.ts';

export type SigningAlg = 'RS256' | 'ES256';
const ALGS: readonly SigningAlg[] = ['RS256', 'ES256'];

/** How often each process reloads the key set. */
export const KEY_REFRESH_SECONDS = 30;
/** A new key waits this long before it signs: two reloads of every process. */
export const KEY_ACTIVATION_SECONDS = 2 * KEY_REFRESH_SECONDS;
/** A retired key stays published this long: the longest life of a signed token (1 h) and a margin. */
export const KEY_RETENTION_SECONDS = 2 * 3600;

// Two processes starting on an empty database must not both make keys.
const KEYS_LOCK = 4_242_010;

export type PrivateJwk = Record<string, unknown> & { kid: string; alg: SigningAlg; use: 'sig' };

function newKey(alg: SigningAlg): { kid: string; privateJwk: PrivateJwk; publicJwk: Record<string, unknown> } {
  const pair = alg === 'RS256'
    ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = `${alg.toLowerCase()}-${randomBytes(9).toString('base64url')}`;
  const meta = { kid, alg, use: 'sig' as const };
  return {
    kid,
    privateJwk: { ...pair.privateKey.export({ format: 'jwk' }), ...meta },
    publicJwk: { ...pair.publicKey.export({ format: 'jwk' }), ...meta },
  };
}

async function insertKeys(db: Executor, secretBox: Buffer, algs: readonly SigningAlg[], activatesAt: Date): Promise<string[]> {
  const made = algs.map((alg) => ({ alg, ...newKey(alg) }));
  await db.insertInto('oidc_keys').values(made.map((key) => ({
    kid: key.kid, alg: key.alg, private_jwk: seal(secretBox, JSON.stringify(key.privateJwk)),
    public_jwk: JSON.stringify(key.publicJwk), activates_at: activatesAt,
  }))).execute();
  return made.map((key) => key.kid);
}

/** Makes the first keys when there are none of an algorithm (first start); answers the kids made. */
export async function ensureSigningKeys(db: Db, secretBox: Buffer, now: Date): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${KEYS_LOCK})`.execute(trx);
    const present = new Set((await trx.selectFrom('oidc_keys').select('alg').where('retired_at', 'is', null).execute()).map((row) => row.alg));
    const missing = ALGS.filter((alg) => !present.has(alg));
    return missing.length === 0 ? [] : insertKeys(trx, secretBox, missing, now);
  });
}

/**
 * A new key for each algorithm, signing from `now + KEY_ACTIVATION_SECONDS`; the current ones
 * retire at that moment. Answers the new kids and when they sign.
 */
export async function rotateSigningKeys(db: Db, secretBox: Buffer, now: Date): Promise<{ kids: string[]; activatesAt: Date }> {
  const activatesAt = new Date(now.getTime() + KEY_ACTIVATION_SECONDS * 1000);
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${KEYS_LOCK})`.execute(trx);
    await trx.updateTable('oidc_keys').set({ retired_at: activatesAt }).where('retired_at', 'is', null).execute();
    return { kids: await insertKeys(trx, secretBox, ALGS, activatesAt), activatesAt };
  });
}

export type KeySet = {
  /** Private JWKs for oidc-provider: for each algorithm the key that signs now comes first. */
  keys: PrivateJwk[];
  /** Changes whenever which keys are published or which one signs changes. */
  version: string;
  /**
   * Kids of keys that sign or wait to sign, and are not being retired (`retired_at` unset), that
   * this KELID_SECRET cannot open: a `keys rotate --new-secret` run with another secret than the
   * servers have. Until it is mended the provider signs with the retired keys, which go
   * KEY_RETENTION_SECONDS after retiring.
   */
  unopened: string[];
};

/** The keys to publish now (active, waiting to activate, and retired within the retention). */
export async function loadKeySet(db: Db, secretBox: Buffer, now: Date): Promise<KeySet> {
  const rows = await db.selectFrom('oidc_keys').select(['kid', 'alg', 'private_jwk', 'activates_at', 'retired_at'])
    .where((eb) => eb.or([eb('retired_at', 'is', null), eb('retired_at', '>', new Date(now.getTime() - KEY_RETENTION_SECONDS * 1000))]))
    .execute();
  const signing = (row: (typeof rows)[number]) => row.activates_at <= now && (row.retired_at === null || row.retired_at > now);
  // Signing keys first (newest first), then the others: the provider signs with the first key of an algorithm.
  const ordered = [...rows].sort((a, b) => Number(signing(b)) - Number(signing(a)) || b.activates_at.getTime() - a.activates_at.getTime());
  const opened = ordered.map((row) => ({ row, plain: open(secretBox, row.private_jwk) }));
  return {
    keys: opened.flatMap(({ plain }) => plain === undefined ? [] : [JSON.parse(plain) as PrivateJwk]),
    version: ordered.map((row) => `${row.kid}:${signing(row) ? 's' : 'p'}`).join(','),
    // Not the keys a rotation is retiring (retired_at set, still ahead): after a change of secret on purpose those are the old secret's.
    unopened: opened.filter(({ row, plain }) => plain === undefined && row.retired_at === null).map(({ row }) => row.kid),
  };
}

/**
 * Refuses a KELID_SECRET that is not the one the database was written with: a signing key that
 * signs, or waits to sign (not retired), and that this secret's box cannot open. Without the
 * check such a start served with no signing key (an empty JWKS: no app could sign anyone in) and
 * wrote HMACs that the right secret could not read afterwards. A new secret is taken once
 * `keys rotate --new-secret` has made keys under it (docs/operations.md, "Secrets"); a database
 * with no keys yet (before the first start) passes. Throws ConfigError naming KELID_SECRET.
 */
export async function assertSecretOpensKeys(db: Db, secretBox: Buffer): Promise<void> {
  if ((await currentKeysOpened(db, secretBox)).unopened > 0) {
    throw new ConfigError('KELID_SECRET', 'is not the secret this database was written with: its signing keys cannot be opened with it. ' +
      'Start with the secret it was written with; to change the secret, see docs/operations.md, "Secrets".');
  }
}

/** The keys that sign or wait to sign (not retired): how many there are, and how many `secretBox` cannot open. */
export async function currentKeysOpened(db: Db, secretBox: Buffer): Promise<{ current: number; unopened: number }> {
  const current = await db.selectFrom('oidc_keys').select('private_jwk').where('retired_at', 'is', null).execute();
  return { current: current.length, unopened: current.filter((row) => open(secretBox, row.private_jwk) === undefined).length };
}

/** Retired keys past the retention are no longer published: remove them. */
export async function deleteExpiredKeys(db: Db, now: Date): Promise<number> {
  const result = await db.deleteFrom('oidc_keys').where('retired_at', '<', new Date(now.getTime() - KEY_RETENTION_SECONDS * 1000)).executeTakeFirst();
  return Number(result.numDeletedRows);
}
