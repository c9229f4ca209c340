/**
 * Passkeys (WebAuthn) as the administrators' second factor (B3), via `@simplewebauthn/server`.
 * The challenge of a ceremony lives on the session row (one at a time, five minutes, spent by
 * its answer); the relying party is the host of KELID_PUBLIC_URL and only its origin counts.
 */
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { auditRow } from './audit.ts';
import { markSecondFactor } from './sessions.ts';

// Loaded at the first ceremony: a process that serves no administrator's second factor does
// without its ~25 MB (issue 10's benchmark measures the serving process's memory).
const webauthn = () => import('@simplewebauthn/server');

export type RelyingParty = { id: string; name: string; origin: string };
export const relyingPartyFor = (publicUrl: string): RelyingParty => ({ id: new URL(publicUrl).hostname, name: 'Kelid', origin: new URL(publicUrl).origin });

type Session = { id: string; accountId: string; nationalId: string | null; userCode: string; firstName: string; lastName: string };
const CHALLENGE_MINUTES = 5;
/** Passkeys per account: an administrator's phone, laptop and a spare or two, not a store for anyone's list. */
export const MAX_PASSKEYS = 10;

/**
 * The transports WebAuthn names (AuthenticatorTransport, with CTAP's "cable" and "smart-card"),
 * each once. A registration's transports are what the browser says, stored and sent back to
 * it at every sign-in: anything else is dropped, not kept as sent.
 */
const TRANSPORTS = new Set(['usb', 'nfc', 'ble', 'internal', 'hybrid', 'smart-card', 'cable']);
const knownTransports = (sent: unknown): string[] =>
  (Array.isArray(sent) ? [...new Set(sent.filter((t): t is string => typeof t === 'string' && TRANSPORTS.has(t)))] : []);

/** A credential id as browsers name them (base64url of at most 1,023 bytes, WebAuthn §5.8.3); anything else is no passkey of ours. */
const CREDENTIAL_ID = /^[A-Za-z0-9_-]{1,1400}$/;

async function keep(db: Db, sessionId: string, challenge: string, now: Date) {
  await db.updateTable('sessions').set({ webauthn_challenge: challenge, webauthn_challenge_at: now }).where('id', '=', sessionId).execute();
}

/** The session's pending challenge, spent by this read (a response counts once). */
async function spend(db: Db, sessionId: string, now: Date): Promise<string | undefined> {
  // RETURNING shows the new row; the old challenge comes from the locked row read in the same statement.
  const result = await sql<{ challenge: string }>`
    update sessions s set webauthn_challenge = null, webauthn_challenge_at = null
    from (select id, webauthn_challenge as challenge from sessions where id = ${sessionId} for update) old
    where s.id = old.id and old.challenge is not null
      and s.webauthn_challenge_at > ${new Date(now.getTime() - CHALLENGE_MINUTES * 60_000)}
    returning old.challenge`.execute(db);
  return result.rows[0]?.challenge;
}

const passkeysOf = (db: Db, accountId: string) =>
  db.selectFrom('mfa_passkeys').select(['credential_id', 'public_key', 'counter', 'transports']).where('account_id', '=', accountId).execute();

export async function hasPasskey(db: Db, accountId: string): Promise<boolean> {
  return (await db.selectFrom('mfa_passkeys').select('id').where('account_id', '=', accountId).limit(1).executeTakeFirst()) !== undefined;
}

export async function registrationOptions(db: Db, rp: RelyingParty, session: Session, now: Date) {
  const existing = await passkeysOf(db, session.accountId);
  if (existing.length >= MAX_PASSKEYS) return 'too_many' as const;
  const options = await (await webauthn()).generateRegistrationOptions({
    rpName: rp.name, rpID: rp.id, userName: session.nationalId ?? session.userCode, userDisplayName: `${session.firstName} ${session.lastName}`,
    userID: new TextEncoder().encode(session.accountId), attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.credential_id, transports: p.transports })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
  await keep(db, session.id, options.challenge, now);
  return options;
}

export async function finishRegistration(
  db: Db, rp: RelyingParty, session: Session, response: RegistrationResponseJSON, now: Date,
): Promise<'enrolled' | 'failed' | 'too_many'> {
  const challenge = await spend(db, session.id, now);
  if (!challenge) return 'failed';
  const verified = await (await webauthn()).verifyRegistrationResponse({ response, expectedChallenge: challenge, expectedOrigin: rp.origin, expectedRPID: rp.id, requireUserVerification: false })
    .catch(() => ({ verified: false as const, registrationInfo: undefined }));
  if (!verified.verified || !verified.registrationInfo || !CREDENTIAL_ID.test(verified.registrationInfo.credential.id)) return 'failed';
  const { credential } = verified.registrationInfo;
  return db.transaction().execute(async (trx) => {
    // The account's row is the lock: two enrolments racing cannot both see room for one more.
    await trx.selectFrom('accounts').select('id').where('id', '=', session.accountId).forUpdate().executeTakeFirst();
    const { count } = await trx.selectFrom('mfa_passkeys').select((eb) => eb.fn.countAll<string>().as('count')).where('account_id', '=', session.accountId).executeTakeFirstOrThrow();
    if (Number(count) >= MAX_PASSKEYS) return 'too_many' as const;
    await trx.insertInto('mfa_passkeys').values({
      account_id: session.accountId, credential_id: credential.id, public_key: Buffer.from(credential.publicKey), counter: credential.counter,
      transports: knownTransports(credential.transports),
    }).execute();
    await markSecondFactor(trx, session.id, 'hwk', now);
    await trx.insertInto('audit_events').values(auditRow({ type: 'mfa.enrolled', actorAccountId: session.accountId, subjectAccountId: session.accountId, data: { kind: 'passkey' } })).execute();
    return 'enrolled' as const;
  });
}

export async function authenticationOptions(db: Db, rp: RelyingParty, session: Session, now: Date) {
  const passkeys = await passkeysOf(db, session.accountId);
  const options = await (await webauthn()).generateAuthenticationOptions({ rpID: rp.id, userVerification: 'preferred', allowCredentials: passkeys.map((p) => ({ id: p.credential_id, transports: p.transports as never })) });
  await keep(db, session.id, options.challenge, now);
  return options;
}

export async function finishAuthentication(db: Db, rp: RelyingParty, session: Session, response: AuthenticationResponseJSON, context: { now: Date; ip: string | null }): Promise<boolean> {
  const challenge = await spend(db, session.id, context.now);
  const passkey = challenge && typeof response?.id === 'string' && CREDENTIAL_ID.test(response.id)
    ? await db.selectFrom('mfa_passkeys').select(['id', 'credential_id', 'public_key', 'counter', 'transports'])
      .where('account_id', '=', session.accountId).where('credential_id', '=', response.id).executeTakeFirst()
    : undefined;
  const verified = challenge && passkey ? await (await webauthn()).verifyAuthenticationResponse({
    response, expectedChallenge: challenge, expectedOrigin: rp.origin, expectedRPID: rp.id, requireUserVerification: false,
    credential: { id: passkey.credential_id, publicKey: new Uint8Array(passkey.public_key), counter: Number(passkey.counter), transports: passkey.transports as never },
  }).catch(() => undefined) : undefined;
  const ok = verified?.verified === true && passkey !== undefined;
  await db.transaction().execute(async (trx) => {
    if (ok) {
      await trx.updateTable('mfa_passkeys').set({ counter: verified.authenticationInfo.newCounter, last_used_at: context.now }).where('id', '=', passkey.id).execute();
      await trx.updateTable('sessions').set({ mfa_at: context.now }).where('id', '=', session.id).execute();
    }
    await trx.insertInto('audit_events').values(auditRow({
      type: ok ? 'mfa.verified' : 'mfa.failed', actorAccountId: session.accountId, subjectAccountId: session.accountId, ip: context.ip, data: { kind: 'passkey' },
    })).execute();
  });
  return ok;
}
