/**
 * One-time-code sign-in (F3), the identity part: who a code may go to, and the session a right
 * code opens. The flow (flows/otp-login/) keeps the steps, the limits and the code itself.
 *
 * A code goes only to the mobile an account already has on record, never to a number typed
 * in a form. The session says how it was made (RFC 8176 `amr`: `otp` with `sms` or `tel`), so
 * an app that wants a password can tell and ask for one (OpenID `acr`/`amr`, federation/).
 */
import type { Db } from '../db/database.ts';
import { auditRow, type Executor } from './audit.ts';
import type { Identifier } from './accounts.ts';
import { newSessionValues, type SessionLifetimes } from './sessions.ts';
import { insertSignIn } from './sign-in-seconds.ts';

/** RFC 8176 methods of a code sign-in: a one-time password, confirmed by SMS or by a call to a registered number. */
export const CODE_AMR = { sms: ['otp', 'sms'], call: ['otp', 'tel'] } as const;

/**
 * The account an identifier names, if it may be sent a sign-in code: not disabled, and with a
 * mobile on record. Undefined otherwise (the caller answers alike either way).
 */
export async function codeRecipient(db: Db, identifier: Identifier): Promise<{ accountId: string; mobile: string } | undefined> {
  let query = db.selectFrom('accounts as a').select(['a.id', 'a.mobile', 'a.status']);
  query = identifier.kind === 'national_id'
    ? query.where('a.person_id', '=', (eb) => eb.selectFrom('people').select('id').where('national_id', '=', identifier.value))
    : query.where('a.user_code', '=', identifier.value);
  const row = await query.executeTakeFirst();
  if (!row || row.status === 'disabled' || row.mobile === null) return undefined;
  return { accountId: row.id, mobile: row.mobile };
}

/** The session a right code opened (its token shown once), and what the sign-in page needs next. */
export type CodeSession = { token: string; sessionId: string; mustChangePassword: boolean };

/**
 * Opens the session a right code earned, with its `amr` and the audit event
 * `sign_in.succeeded {method: 'otp', channel}`, in the caller's transaction (which spends the
 * code). Undefined when the account was disabled since the code was sent.
 */
export async function openCodeSession(
  db: Executor, lifetimes: SessionLifetimes,
  input: { accountId: string; channel: 'sms' | 'call'; kind: 'browser' | 'api'; ip: string | null; userAgent: string | null; now: Date },
): Promise<CodeSession | undefined> {
  const account = await db.selectFrom('accounts as a').innerJoin('credentials as c', 'c.account_id', 'a.id')
    .select(['a.status', 'c.must_change']).where('a.id', '=', input.accountId).executeTakeFirst();
  if (!account || account.status === 'disabled') return undefined;
  const { token, values } = newSessionValues({ accountId: input.accountId, kind: input.kind, ip: input.ip, userAgent: input.userAgent, now: input.now, lifetimes });
  const sessionId = await insertSignIn(db, values, CODE_AMR[input.channel]);
  await db.insertInto('audit_events').values(auditRow({
    type: 'sign_in.succeeded', actorAccountId: input.accountId, subjectAccountId: input.accountId, ip: input.ip, userAgent: input.userAgent,
    data: { method: 'otp', channel: input.channel, via: input.kind },
  })).execute();
  return { token, sessionId, mustChangePassword: account.must_change };
}
