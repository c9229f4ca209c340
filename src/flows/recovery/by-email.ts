/**
 * Password recovery by a one-time link to a proven email address (the national ID, or a
 * non-citizen's user code, with the address). As by mobile, every attempt is counted and
 * answered alike, matched or not: without a match the email is written withheld.
 */
import type { Db } from '../../db/database.ts';
import { clip } from '../../domain/text.ts';
import { auditRow } from '../../identity/audit.ts';
import { checkLinkSecret, issueLinkSecret, parseLinkToken, spendCodes } from '../../identity/codes.ts';
import type { Identifier } from '../../identity/accounts.ts';
import { parseIdentifier } from '../../identity/sign-in.ts';
import { parseEmail } from '../../domain/email.ts';
import type { FieldErrors } from '../flow.ts';
import { advanceFlow, FlowChanged } from '../store.ts';
import { secondsUntil } from '../form.ts';
import { LINK_MINUTES, validateNewPassword, type RecoveryData, type RecoveryFlow } from './machine.ts';
import { accountOf, finish, flowsOwnDevice, move, overLimits, ownDevice, ownDeviceOf, type From, type RecoveryDeps, type Result } from './shared.ts';

export async function identifyByEmail(deps: RecoveryDeps, flow: RecoveryFlow, input: Record<string, string>, from: From): Promise<Result> {
  const { ip } = from;
  const values = { ...flow.data.values, identifier: clip(input.identifier ?? '', 64), email: clip(input.email ?? '', 254) };
  const kept: RecoveryData = { ...flow.data, values };
  const identifier = parseIdentifier(input.identifier ?? '', deps.profile);
  const email = parseEmail(input.email ?? '');
  const errors: FieldErrors = [];
  if ('error' in identifier) errors.push({ code: identifier.error, field: 'identifier' });
  if (!email.ok) errors.push({ code: email.code, field: 'email' });
  if (errors.length === 0 && !(await deps.captcha.verify({ captcha: input.captcha, captchaId: input.captchaId, ip }, deps.clock.now()))) errors.push({ code: 'captcha.invalid', field: 'captcha' });
  if (errors.length > 0 || 'error' in identifier || !email.ok) return { flow: await move(deps, deps.db, flow, 'identify_email', kept), errors };

  const limited = await overLimits(deps, await limitKey(deps.db, identifier), ip, await ownDevice(deps, identifier, from.deviceTokens));
  if (limited) return { flow: await move(deps, deps.db, flow, 'identify_email', kept), errors: [limited] };
  const account = await emailAccount(deps.db, identifier, email.value);
  const data: RecoveryData = { ...kept, requestedEmail: email.value, ...(account ? { accountId: account.id, email: account.email } : {}) };
  return { flow: await sendLink(deps, flow, data, ip, { matched: account !== undefined, ownDeviceOf: account && ownDeviceOf(deps, account.id, from) }), errors: [] };
}

/**
 * What the limits count an identifier as: a user code as its owner's national ID (one person,
 * one budget, whichever way they are named, as the mobile way counts); one that names no one,
 * or someone without a national ID, as typed.
 */
async function limitKey(db: Db, identifier: Identifier): Promise<string> {
  if (identifier.kind === 'national_id') return identifier.value;
  const row = await db.selectFrom('accounts as a').innerJoin('people as p', 'p.id', 'a.person_id').select('p.national_id')
    .where('a.user_code', '=', identifier.value).executeTakeFirst();
  return row?.national_id ?? `user_code:${identifier.value}`;
}

/** The account the identifier names, if its email is the one typed and was proven. */
async function emailAccount(db: Db, identifier: Identifier, email: string): Promise<{ id: string; email: string } | undefined> {
  let query = db.selectFrom('accounts as a').select(['a.id', 'a.email', 'a.status', 'a.email_verified_at']);
  query = identifier.kind === 'national_id'
    ? query.where('a.person_id', '=', (eb) => eb.selectFrom('people').select('id').where('national_id', '=', identifier.value))
    : query.where('a.user_code', '=', identifier.value);
  const row = await query.executeTakeFirst();
  if (!row || row.status === 'disabled' || row.email === null || row.email_verified_at === null || row.email.toLowerCase() !== email) return undefined;
  return { id: row.id, email: row.email };
}

/**
 * A new link for the flow, moved to link_sent. The gate counts the typed address on every
 * attempt; only a match with the gate's leave sends the email, otherwise it is written
 * withheld (notify/outbox.ts), so every answer costs the same.
 */
async function sendLink(deps: RecoveryDeps, flow: RecoveryFlow, data: RecoveryData, ip: string | null, how: { matched: boolean; ownDeviceOf: string | undefined }): Promise<RecoveryFlow> {
  const now = deps.clock.now();
  const { matched } = how;
  const allowed = (await deps.sendGate({ channel: 'email', to: data.requestedEmail ?? '', ip, ownDeviceOf: how.ownDeviceOf }, now)).ok;
  return deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('audit_events').values(auditRow({
      type: 'password.recovery_requested', subjectAccountId: data.accountId ?? null, ip, data: { matched, way: 'email' },
    })).execute();
    const moved = await move(deps, trx, flow, 'link_sent', { ...data, linkSentAt: now.toISOString() });
    const token = await issueLinkSecret(trx, deps.codeKey, { flowId: flow.id, purpose: 'recovery_link', target: data.email ?? '' }, LINK_MINUTES, now);
    const withheld = !matched ? 'no_account' : allowed ? undefined : 'send_refused';
    await deps.notifier.enqueue(trx, {
      channel: 'email', to: data.email ?? '', template: 'recovery.link', locale: flow.data.locale,
      params: { url: `${deps.publicUrl}/recover/link?token=${token}`, minutes: String(LINK_MINUTES) },
    }, withheld === undefined ? undefined : { withheld });
    return moved;
  });
}

export async function resendLink(deps: RecoveryDeps, flow: RecoveryFlow, from: From): Promise<Result> {
  const wait = secondsUntil(flow.data.linkSentAt, deps.codePolicy.cooldownSeconds, deps.clock.now());
  if (wait > 0) return { flow, errors: [{ code: 'code.cooldown', field: 'token', params: { seconds: wait } }] };
  return { flow: await sendLink(deps, flow, flow.data, from.ip, { matched: flow.data.accountId !== undefined, ownDeviceOf: flowsOwnDevice(deps, flow, from) }), errors: [] };
}

/**
 * The emailed link opened (a browser's page, or an app with the token) by `binding`'s browser
 * (null: the API): the link is spent and the flow asks for the new password, from that browser
 * only, in one statement. Bound afterwards, whoever started the flow (through the API: anyone
 * with the flow's id) could set the password in between (an attacker review found that race
 * won in every try). A token of another flow, used, expired or made up, is refused alike.
 */
export async function openLink(deps: RecoveryDeps, flow: RecoveryFlow, token: string, binding: string | null): Promise<Result> {
  const parsed = parseLinkToken(token);
  const { accountId, email } = flow.data;
  if (!parsed || parsed.flowId !== flow.id) return { flow, errors: [{ code: 'recovery.link_invalid', field: 'token' }] };
  const now = deps.clock.now();
  const checked = await checkLinkSecret(deps.db, deps.codeKey, { flowId: flow.id, purpose: 'recovery_link', target: email ?? '' }, parsed.secret, deps.codePolicy.maxTries, now);
  if (checked !== 'ok' || accountId === undefined) return { flow, errors: [{ code: checked === 'link.expired' ? 'recovery.link_expired' : 'recovery.link_invalid', field: 'token' }] };
  const opened = await deps.db.transaction().execute(async (trx) => {
    if (await spendCodes(trx, flow.id, now) < 1) throw new FlowChanged();
    return advanceFlow(trx, flow, { state: 'new_password', data: flow.data, binding }, now);
  });
  return { flow: opened, errors: [] };
}

export async function saveFromLink(deps: RecoveryDeps, flow: RecoveryFlow, input: Record<string, string>, ip: string | null): Promise<Result> {
  const account = flow.data.accountId === undefined ? undefined : await accountOf(deps, flow.data.accountId);
  if (!account) return { flow, errors: [{ code: 'flow.action_not_allowed' }] };
  const password = input.password ?? '';
  const errors = validateNewPassword(password, input.repeat ?? '', deps.policy, { ...(account.national_id ? { nationalId: account.national_id } : {}), userCode: account.user_code });
  if (errors.length > 0) return { flow, errors };
  return finish(deps, flow, account, password, ip, { spend: false });
}
