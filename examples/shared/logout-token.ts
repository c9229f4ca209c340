/**
 * Checking a back-channel logout token, as OpenID Connect Back-Channel Logout 1.0 §2.6 asks
 * of a relying party: Kelid's signature (its published keys, RS256 as for the app's ID
 * tokens, never `none`), issuer, audience (this app's client_id), issued recently and not
 * expired, the back-channel-logout event, a `sid` or a `sub` (or both), no `nonce` (so an ID
 * token cannot pass for one), typed `logout+jwt` when typed at all (§2.4), and each `jti`
 * once (§2.6 step 8: a token replayed within its short life is refused).
 *
 * What it answers is only whom to sign out; the session store does the signing out.
 */
import { errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';

export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** Whom Kelid signed out: the session (`sid`, as in the ID token) and/or the person (`sub`). */
export type LogoutNotice = { sid: string | null; sub: string | null };

export class LogoutTokenError extends Error {}

export type LogoutTokenOptions = {
  /** Kelid's signing keys (jose's createRemoteJWKSet over discovery's jwks_uri; a local set in tests). */
  keys: JWTVerifyGetKey;
  issuer: string;
  clientId: string;
  /** Tokens already used, with when they expire. */
  seen: SeenTokens;
  now?: () => Date;
};

// The algorithm of this app's ID tokens (it registers none, so OpenID's default), the only one
// accepted: a token signed any other way is not Kelid's answer to this app.
const ALGORITHMS = ['RS256'];
// A logout token is sent the moment Kelid signs someone out; Kelid's live two minutes.
const MAX_AGE_SECONDS = 5 * 60;
const CLOCK_TOLERANCE_SECONDS = 30;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const nonEmpty = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** Answers whom to sign out, or throws LogoutTokenError saying why the token is refused. */
export async function verifyLogoutToken(token: string, options: LogoutTokenOptions): Promise<LogoutNotice> {
  const now = options.now?.() ?? new Date();
  let verified;
  try {
    verified = await jwtVerify(token, options.keys, {
      algorithms: ALGORITHMS,
      issuer: options.issuer,
      audience: options.clientId,
      requiredClaims: ['iat', 'exp', 'jti'],
      maxTokenAge: MAX_AGE_SECONDS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: now,
    });
  } catch (error) {
    // Kelid's keys out of reach is not the token's fault, but the answer is the same: not verified.
    const why = error instanceof joseErrors.JOSEError ? `${error.code}: ${error.message}` : String(error);
    throw new LogoutTokenError(`not verified (${why})`, { cause: error });
  }
  const { payload, protectedHeader } = verified;
  const typ = protectedHeader.typ?.toLowerCase().replace(/^application\//, '');
  if (typ !== undefined && typ !== 'logout+jwt') throw new LogoutTokenError(`typ ${protectedHeader.typ} is not logout+jwt`);
  if (!isObject(payload.events) || !isObject(payload.events[BACKCHANNEL_LOGOUT_EVENT])) throw new LogoutTokenError('no back-channel logout event');
  if ('nonce' in payload) throw new LogoutTokenError('a nonce: an ID token, not a logout token');
  const notice = { sid: nonEmpty(payload['sid']), sub: nonEmpty(payload.sub) };
  if (notice.sid === null && notice.sub === null) throw new LogoutTokenError('neither sid nor sub');
  const jti = nonEmpty(payload.jti);
  if (jti === null) throw new LogoutTokenError('no jti');
  // Remembered as long as the token could be accepted at all (required, so both are numbers here).
  const acceptableUntil = Math.min(payload.exp ?? 0, (payload.iat ?? 0) + MAX_AGE_SECONDS) + CLOCK_TOLERANCE_SECONDS;
  if (!options.seen.add(jti, acceptableUntil * 1000, now.getTime())) throw new LogoutTokenError('replayed');
  return notice;
}

/** The `jti`s of logout tokens already used, each kept until its token could no longer be accepted. */
export class SeenTokens {
  readonly #until = new Map<string, number>();

  /** False when `jti` was seen and its token is still alive: a replay. */
  add(jti: string, until: number, now: number): boolean {
    for (const [id, expires] of this.#until) if (expires <= now) this.#until.delete(id);
    if (this.#until.has(jti)) return false;
    this.#until.set(jti, until);
    return true;
  }
}
