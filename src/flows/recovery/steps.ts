/**
 * Password recovery (F18), the part with I/O. The identify step answers alike whether or
 * not the details matched: a code row is made either way (one nobody receives when nothing
 * matched), so expiry, tries and cooldown behave the same and reveal nothing. Only a match
 * sends the code, to the mobile already registered, never to one typed in the form.
 */
import type { Locale } from '../../config.ts';
import { timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { addressKeyOf } from '../../domain/client-address.ts';
import { clip } from '../../domain/text.ts';
import type { PasswordPolicy } from '../../domain/password-policy.ts';
import type { Profile } from '../../domain/profile.ts';
import { isCurrentPassword, setPassword } from '../../identity/accounts.ts';
import { auditRow, type Executor } from '../../identity/audit.ts';
import type { Clock } from '../../identity/clock.ts';
import { checkCode, checkLinkSecret, issueCode, issueLinkSecret, parseLinkToken, spendCodes, type CodePolicy } from '../../identity/codes.ts';
import type { Identifier } from '../../identity/accounts.ts';
import { parseIdentifier } from '../../identity/sign-in.ts';
import { parseEmail } from '../../domain/email.ts';
import { checkIdentificationAnswer } from '../../identity/identification-answers.ts';
import type { Notifier } from '../../identity/notifier.ts';
import { withHashRoom, type PasswordHasher } from '../../identity/passwords.ts';
import { holdsDeviceOf, readDeviceTokens } from '../../identity/devices.ts';
import { clearAccountFailures, hitCounter, wrongTries, type WindowLimit } from '../../identity/rate-limits.ts';
import { endOtherSessions } from '../../identity/sessions.ts';
import { hmacHex } from '../../secrets.ts';
import type { FieldErrors, StepResult } from '../flow.ts';
import type { FlowRequest } from '../kinds.ts';
import type { CaptchaCheck, SendGate } from '../registration/steps.ts';
import { advanceFlow, createFlow, FlowChanged } from '../store.ts';
import { secondsUntil } from '../form.ts';
import { actions, asksSerial, forgetMatch, LINK_MINUTES, validateIdentify, validateNewPassword, type Identity, type RecoveryData, type RecoveryFlow, type RecoveryState } from './machine.ts';

export type RecoveryDeps = {
  db: Db; clock: Clock; hasher: PasswordHasher; profile: Profile; policy: PasswordPolicy;
  codeKey: Buffer; codePolicy: CodePolicy; flowMinutes: number;
  /** Keys the birth-certificate serial's HMAC, as the registry import stored it. */
  personalDataKey: Buffer;
  notifier: Notifier; captcha: CaptchaCheck; sendGate: SendGate;
  /** Where the emailed link points (`{publicUrl}/recover/link?token=…`). */
  publicUrl: string;
  /** Checks the device tokens of browsers that signed in before (identity/devices.ts). */
  deviceKey: Buffer;
  /**
   * Attempts per identifier from one client address (an IPv6 client by its /64), per identifier
   * from everywhere (a higher ceiling; the owner's own devices have one of their own), and per
   * client address; matched or not.
   */
  limits: {
    perNationalId: WindowLimit; perNationalIdAnywhere: WindowLimit; perAddress: WindowLimit;
    /** Wrong codes per place (wrongCodePlace) in a window, whatever the flow or the code: past it, no code is checked there. */
    wrongCodes: WindowLimit;
  };
};

type Result = StepResult<RecoveryFlow>;
/** Where an attempt comes from: the client address, and the device tokens its browser (or app) holds. */
type From = Pick<FlowRequest, 'ip' | 'deviceTokens'>;

/** `way`: `email` starts at the email way's first step (a link from the sign-in page, an app that knows it). */
export async function startRecovery(deps: RecoveryDeps, locale: Locale, binding: string | null, nationalId = '', way: 'mobile' | 'email' = 'mobile', returnTo?: string): Promise<RecoveryFlow> {
  return createFlow<RecoveryFlow>(deps.db, {
    kind: 'recovery', state: way === 'email' ? 'identify_email' : 'identify', binding,
    data: { locale, values: { nationalId: clip(nationalId, 20), mobile: '' }, ...(returnTo ? { returnTo } : {}) },
    expiresAt: new Date(deps.clock.now().getTime() + deps.flowMinutes * 60_000),
  });
}

const move = (deps: RecoveryDeps, db: Executor, flow: RecoveryFlow, state: RecoveryState, data: RecoveryData) =>
  advanceFlow(db, flow, { state, data }, deps.clock.now());

/** The button a client that sends no `action` presses: the first of the state's. */
const defaultAction: Record<RecoveryState, string> = { identify: 'submit', verify: 'verify', identify_email: 'send_link', link_sent: 'open', new_password: 'save', done: '' };

export async function stepRecovery(deps: RecoveryDeps, flow: RecoveryFlow, input: Record<string, string>, from: From): Promise<Result> {
  const { ip } = from;
  const action = input.action ?? defaultAction[flow.state];
  if (!actions[flow.state].includes(action)) return { flow, errors: [{ code: 'flow.action_not_allowed' }] };
  try {
    // Steps that hash after they write (a limit's count, a code's try) take the hash's place first (issue 12):
    // the identification question's answer (profile il), the new password.
    if (action === 'submit') return asksSerial(deps.profile) ? await identify(deps, flow, input, from) : await withHashRoom(deps, (reserved) => identify(reserved, flow, input, from), addressKeyOf(ip));
    if (action === 'resend') return await resend(deps, flow, from);
    if (action === 'use_email') return { flow: await move(deps, deps.db, flow, 'identify_email', forgetMatch(flow.data)), errors: [] };
    if (action === 'use_mobile') return { flow: await move(deps, deps.db, flow, 'identify', forgetMatch(flow.data)), errors: [] };
    if (action === 'send_link') return await identifyByEmail(deps, flow, input, from);
    if (action === 'resend_link') return await resendLink(deps, flow, from);
    if (action === 'open') return await openLink(deps, flow, input.token ?? '');
    if (action === 'save') return await withHashRoom(deps, (reserved) => saveFromLink(reserved, flow, input, ip), addressKeyOf(ip));
    return await withHashRoom(deps, (reserved) => setNewPassword(reserved, flow, input, from), addressKeyOf(ip));
  } catch (error) {
    if (error instanceof FlowChanged) return { flow, errors: [{ code: 'flow.changed' }] };
    throw error;
  }
}

async function identify(deps: RecoveryDeps, flow: RecoveryFlow, input: Record<string, string>, from: From): Promise<Result> {
  const { ip } = from;
  const values = { nationalId: clip(input.nationalId ?? '', 20), mobile: clip(input.mobile ?? '', 20), question: clip(input.question ?? '', 40) };
  const kept: RecoveryData = { ...flow.data, values };
  const checked = validateIdentify(input, deps.profile);
  const errors: FieldErrors = checked.ok ? [] : [...checked.errors];
  if (errors.length === 0 && !(await deps.captcha.verify({ captcha: input.captcha, captchaId: input.captchaId, ip }, deps.clock.now()))) errors.push({ code: 'captcha.invalid', field: 'captcha' });
  if (!checked.ok || errors.length > 0) return { flow: await move(deps, deps.db, flow, 'identify', kept), errors };

  const now = deps.clock.now();
  const own = await ownDevice(deps, { kind: 'national_id', value: checked.identity.nationalId }, from.deviceTokens);
  const limited = await overLimits(deps, checked.identity.nationalId, from.ip, own);
  if (limited) return { flow: await move(deps, deps.db, flow, 'identify', kept), errors: [limited] };
  const account = await matchingAccount(deps, checked.identity);
  // The number the send limits count: the one typed (ir), or the one on record (il; a stand-in for no account).
  const requestedMobile = checked.identity.kind === 'serial' ? checked.identity.mobile : account?.mobile ?? `unknown:national_id:${checked.identity.nationalId}`;
  const allowed = await sendAllowed(deps, requestedMobile, ip, { sending: account !== undefined, ownDeviceOf: account && ownDeviceOf(deps, account.id, from) });
  const next = await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('audit_events').values(auditRow({
      type: 'password.recovery_requested', subjectAccountId: account?.id ?? null, ip, data: { matched: account !== undefined },
    })).execute();
    const data: RecoveryData = { ...kept, codeSentAt: now.toISOString(), requestedMobile, ...(account ? { accountId: account.id, mobile: account.mobile } : {}) };
    const moved = await move(deps, trx, flow, 'verify', data);
    await sendCode(deps, trx, moved, allowed);
    return moved;
  });
  return { flow: next, errors: [] };
}

/**
 * Recovery attempts per identifier (a national ID or a user code) and per client address,
 * either way, counted for every attempt, matched or not, so the limits say nothing about the
 * account. The identifier's tight limit counts it from one client address (an IPv6 client by
 * its /64): someone guessing at it elsewhere must not shut its owner out. A higher ceiling
 * counts it from everywhere, in two pools, as the code sign-in's limits do: the devices that
 * signed in to the account before share one, every other place the other, so strangers from
 * many addresses use up theirs, never the owner's own phone's. The refusal, when one is over
 * its limit.
 */
/** The pool an identifier's attempts count in from everywhere: the devices that signed in to its account before apart. */
const poolOf = (identifier: string, fromOwnDevice: boolean) => (fromOwnDevice ? `known:${identifier}` : identifier);

async function overLimits(deps: RecoveryDeps, identifier: string, ip: string | null, fromOwnDevice: boolean): Promise<FieldErrors[number] | undefined> {
  const now = deps.clock.now();
  const address = addressKeyOf(ip);
  const pool = poolOf(identifier, fromOwnDevice);
  const byId = await hitCounter(deps.db, 'recovery_id', `${identifier}@${address}`, deps.limits.perNationalId, now);
  const byIdAnywhere = await hitCounter(deps.db, 'recovery_id_all', pool, deps.limits.perNationalIdAnywhere, now);
  const byAddress = ip === null ? 0 : await hitCounter(deps.db, 'recovery_ip', address, deps.limits.perAddress, now);
  if (byId <= deps.limits.perNationalId.limit && byIdAnywhere <= deps.limits.perNationalIdAnywhere.limit && byAddress <= deps.limits.perAddress.limit) return undefined;
  return { code: 'recovery.too_many', params: { minutes: deps.limits.perNationalId.windowMinutes } };
}

/**
 * Whether the attempt comes from a device that signed in before to the account `identifier`
 * names (by its person's national ID, or its user code: someone without a national ID too):
 * one of its device tokens (checked by their MAC) is that account's. No query without a valid
 * token, so a stranger's attempt costs nothing more.
 */
async function ownDevice(deps: RecoveryDeps, identifier: Identifier, deviceTokens: string | undefined): Promise<boolean> {
  const accounts = readDeviceTokens(deps.deviceKey, deviceTokens).map((device) => device.accountId);
  if (accounts.length === 0) return false;
  let query = deps.db.selectFrom('accounts as a').select('a.id').where('a.id', 'in', accounts);
  query = identifier.kind === 'national_id'
    ? query.where('a.person_id', '=', (eb) => eb.selectFrom('people').select('id').where('national_id', '=', identifier.value))
    : query.where('a.user_code', '=', identifier.value);
  return (await query.executeTakeFirst()) !== undefined;
}

/**
 * The account for the send limits' own-device share: `accountId` (the account the details
 * matched, whose number or address the message goes to) when this device signed in to it
 * before; else undefined. Never a device's own account on someone else's details.
 */
const ownDeviceOf = (deps: RecoveryDeps, accountId: string, from: From): string | undefined =>
  (holdsDeviceOf(deps.deviceKey, from.deviceTokens, accountId) ? accountId : undefined);

/** The account whose person, serial (where the registry holds one) and registered mobile all match. */
async function matchingAccount(deps: RecoveryDeps, identity: Identity): Promise<{ id: string; mobile: string } | undefined> {
  const row = await deps.db.selectFrom('people as p').innerJoin('accounts as a', 'a.person_id', 'p.id')
    .leftJoin('identification_answers as q', 'q.account_id', 'a.id')
    .select(['a.id', 'a.mobile', 'a.status', 'p.birth_serial_hmac', 'q.question'])
    .where('p.national_id', '=', identity.nationalId).executeTakeFirst();
  const usable = row !== undefined && row.status !== 'disabled' && row.mobile !== null;
  if (identity.kind === 'answer') {
    // One argon2 verification whatever matched (checkIdentificationAnswer spends it for no answer on record too).
    const answered = usable ? await checkIdentificationAnswer(deps.db, deps.hasher, row.id, identity.answer) : (await deps.hasher.verifyNothing(identity.answer), false);
    return usable && answered && row.question === identity.question ? { id: row.id, mobile: row.mobile! } : undefined;
  }
  if (!usable || row.mobile === null) return undefined;
  const mobileMatches = row.mobile === identity.mobile;
  // People who registered themselves have no serial on record: their registered mobile is the proof.
  const serialMatches = row.birth_serial_hmac === null
    || timingSafeEqual(Buffer.from(hmacHex(deps.personalDataKey, identity.serial)), Buffer.from(row.birth_serial_hmac));
  return mobileMatches && serialMatches ? { id: row.id, mobile: row.mobile } : undefined;
}

/**
 * The send limits, counted for the typed mobile on every attempt, match or not (counts that
 * moved only on a match would tell it: the registration flow shows those limits), the owner's
 * own devices apart (notify/send-limits.ts); the SMS budget only when a code will really be
 * sent. Outside the code's transaction, so a refusal stands.
 */
async function sendAllowed(deps: RecoveryDeps, mobile: string, ip: string | null, how: { sending: boolean; ownDeviceOf: string | undefined }): Promise<boolean> {
  return (await deps.sendGate({ channel: 'sms', to: mobile, ip, ...how }, deps.clock.now())).ok;
}

/** The flow's matched account (if any), when this device signed in to it before (ownDeviceOf). */
const flowsOwnDevice = (deps: RecoveryDeps, flow: RecoveryFlow, from: From): string | undefined =>
  flow.data.accountId === undefined ? undefined : ownDeviceOf(deps, flow.data.accountId, from);

/** A new code for the flow; it leaves only when the details matched and the send limits allowed. */
async function sendCode(deps: RecoveryDeps, db: Executor, flow: RecoveryFlow, allowed: boolean): Promise<void> {
  const now = deps.clock.now();
  const target = flow.data.mobile ?? '';
  // A refusal is audited by the gate, and not shown: it would tell that the details matched.
  // Without a match (or the gate's leave) the message is written withheld: the same work either way.
  const withheld = flow.data.accountId === undefined ? 'no_account' : allowed ? undefined : 'send_refused';
  // A code held back is bound to no number: typed in (guessed), it proves nothing.
  const code = await issueCode(db, deps.codeKey, { flowId: flow.id, purpose: 'recovery', target: withheld === undefined ? target : '' }, deps.codePolicy, now);
  await deps.notifier.enqueue(db, { channel: 'sms', to: target, template: 'recovery.sms', locale: flow.data.locale, params: { code } }, withheld === undefined ? undefined : { withheld });
}

async function resend(deps: RecoveryDeps, flow: RecoveryFlow, from: From): Promise<Result> {
  const now = deps.clock.now();
  // From the flow alone, match or not.
  const wait = secondsUntil(flow.data.codeSentAt, deps.codePolicy.cooldownSeconds, now);
  if (wait > 0) return { flow, errors: [{ code: 'code.cooldown', field: 'code', params: { seconds: wait } }] };
  const allowed = await sendAllowed(deps, flow.data.requestedMobile ?? flow.data.mobile ?? '', from.ip, { sending: flow.data.accountId !== undefined, ownDeviceOf: flowsOwnDevice(deps, flow, from) });
  const next = await deps.db.transaction().execute(async (trx) => {
    const moved = await move(deps, trx, flow, 'verify', { ...flow.data, codeSentAt: now.toISOString() });
    await sendCode(deps, trx, moved, allowed);
    return moved;
  });
  return { flow: next, errors: [] };
}

/**
 * Where a recovery's wrong codes count: as overLimits counts its requests, by the national ID,
 * the devices that signed in to its account before apart, whether or not the other details
 * matched: a count that followed the match would tell it (an attacker review found that a full
 * count answered differently for matched and unmatched details).
 */
async function wrongCodePlace(deps: RecoveryDeps, flow: RecoveryFlow, from: From): Promise<string> {
  const typed = parseIdentifier(flow.data.values.nationalId, deps.profile);
  const nationalId = 'error' in typed ? flow.data.values.nationalId : typed.value;
  return poolOf(nationalId, 'error' in typed ? false : await ownDevice(deps, typed, from.deviceTokens));
}

async function setNewPassword(deps: RecoveryDeps, flow: RecoveryFlow, input: Record<string, string>, from: From): Promise<Result> {
  const { ip } = from;
  const { accountId, mobile } = flow.data;
  const account = accountId === undefined ? undefined : await accountOf(deps, accountId);
  const password = input.password ?? '';
  // The password is checked first (a typo in it must not cost one of the code's few tries),
  // with the same rules whether or not the details matched: the answer must not tell.
  const errors = validateNewPassword(password, input.repeat ?? '', deps.policy, { nationalId: flow.data.values.nationalId });
  if (errors.length > 0) return { flow, errors };
  const now = deps.clock.now();
  // The place's wrong codes so far (read, not counted): past its share, no code is checked there.
  const tries = wrongTries(deps.db, 'recovery.wrong_code', await wrongCodePlace(deps, flow, from), deps.limits.wrongCodes, now);
  if (await tries.spent()) {
    return { flow, errors: [{ code: 'recovery.too_many_wrong', field: 'code' }] };
  }
  const checked = await checkCode(deps.db, deps.codeKey, { flowId: flow.id, purpose: 'recovery', target: mobile ?? '' }, input.code ?? '', deps.codePolicy, now);
  // With no match the code went nowhere: even a lucky guess of it proves nothing.
  if (checked !== 'ok' || !account) {
    const code = checked === 'ok' || checked === 'code.not_sent' ? 'code.invalid' : checked;
    if (code === 'code.invalid') await tries.wrong();
    return { flow, errors: [{ code, field: 'code' }] };
  }
  return finish(deps, flow, account, password, ip, { spend: true });
}

type RecoveringAccount = { id: string; user_code: string; national_id: string | null; first_name: string; last_name: string; mobile: string | null; email: string | null };

const accountOf = (deps: RecoveryDeps, accountId: string): Promise<RecoveringAccount | undefined> =>
  deps.db.selectFrom('accounts as a').innerJoin('people as p', 'p.id', 'a.person_id')
    .select(['a.id', 'a.user_code', 'a.mobile', 'a.email', 'p.national_id', 'p.first_name', 'p.last_name']).where('a.id', '=', accountId).executeTakeFirst();

/**
 * The new password, proven by a code or a link: set, every session ended, the locks lifted,
 * the owner told (by SMS when there is a mobile, else by email), the flow done. `spend`: the
 * code is spent here (a link was spent when it was opened).
 */
async function finish(deps: RecoveryDeps, flow: RecoveryFlow, account: RecoveringAccount, password: string, ip: string | null, options: { spend: boolean }): Promise<Result> {
  // Only now, the person proven, may the account's own user code be checked against the password.
  const containsCode = validateNewPassword(password, password, deps.policy, { ...(account.national_id ? { nationalId: account.national_id } : {}), userCode: account.user_code });
  if (containsCode.length > 0) return { flow, errors: containsCode };
  // As change-password refuses it: the old password again is no recovery (the code stays unspent for the next try).
  if (await isCurrentPassword(deps.db, deps.hasher, account.id, password)) return { flow, errors: [{ code: 'password.same_as_current', field: 'password' }] };
  const now = deps.clock.now();
  const hash = await deps.hasher.hash(password);
  const accountId = account.id;
  const done = await deps.db.transaction().execute(async (trx) => {
    if (options.spend && await spendCodes(trx, flow.id, now) < 1) throw new FlowChanged();
    await setPassword(trx, accountId, hash, false, now);
    // Whoever knew the old password, or held a session with it, is out.
    const ended = await endOtherSessions(trx, accountId, null);
    // Every lock of the account, its own devices' included, goes with the old password (audited when it was on).
    const unlocked = await clearAccountFailures(trx, [accountId], now);
    await trx.insertInto('audit_events').values([
      auditRow({ type: 'password.recovered', actorAccountId: accountId, subjectAccountId: accountId, ip, data: { endedSessions: ended, way: flow.state === 'verify' ? 'mobile' : 'email' } }),
      ...unlocked.map(({ place }) => auditRow({ type: 'sign_in.unlocked', actorAccountId: accountId, subjectAccountId: accountId, ip, data: { by: 'recovery', place } })),
    ]).execute();
    const name = `${account.first_name} ${account.last_name}`;
    if (account.mobile !== null) await deps.notifier.enqueue(trx, { channel: 'sms', to: account.mobile, template: 'password.changed', locale: flow.data.locale, params: { name } });
    else if (account.email !== null) await deps.notifier.enqueue(trx, { channel: 'email', to: account.email, template: 'password.changed', locale: flow.data.locale, params: { name } });
    return move(deps, trx, flow, 'done', forgetMatch(flow.data));
  });
  return { flow: done, errors: [] };
}

async function identifyByEmail(deps: RecoveryDeps, flow: RecoveryFlow, input: Record<string, string>, from: From): Promise<Result> {
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

async function resendLink(deps: RecoveryDeps, flow: RecoveryFlow, from: From): Promise<Result> {
  const wait = secondsUntil(flow.data.linkSentAt, deps.codePolicy.cooldownSeconds, deps.clock.now());
  if (wait > 0) return { flow, errors: [{ code: 'code.cooldown', field: 'token', params: { seconds: wait } }] };
  return { flow: await sendLink(deps, flow, flow.data, from.ip, { matched: flow.data.accountId !== undefined, ownDeviceOf: flowsOwnDevice(deps, flow, from) }), errors: [] };
}

/**
 * The emailed link opened (a browser's page, or an app with the token): the link is spent and
 * the flow asks for the new password. A token of another flow, used, expired or made up, is
 * refused alike.
 */
export async function openLink(deps: RecoveryDeps, flow: RecoveryFlow, token: string): Promise<Result> {
  const parsed = parseLinkToken(token);
  const { accountId, email } = flow.data;
  if (!parsed || parsed.flowId !== flow.id) return { flow, errors: [{ code: 'recovery.link_invalid', field: 'token' }] };
  const now = deps.clock.now();
  const checked = await checkLinkSecret(deps.db, deps.codeKey, { flowId: flow.id, purpose: 'recovery_link', target: email ?? '' }, parsed.secret, deps.codePolicy.maxTries, now);
  if (checked !== 'ok' || accountId === undefined) return { flow, errors: [{ code: checked === 'link.expired' ? 'recovery.link_expired' : 'recovery.link_invalid', field: 'token' }] };
  const opened = await deps.db.transaction().execute(async (trx) => {
    if (await spendCodes(trx, flow.id, now) < 1) throw new FlowChanged();
    return move(deps, trx, flow, 'new_password', flow.data);
  });
  return { flow: opened, errors: [] };
}

async function saveFromLink(deps: RecoveryDeps, flow: RecoveryFlow, input: Record<string, string>, ip: string | null): Promise<Result> {
  const account = flow.data.accountId === undefined ? undefined : await accountOf(deps, flow.data.accountId);
  if (!account) return { flow, errors: [{ code: 'flow.action_not_allowed' }] };
  const password = input.password ?? '';
  const errors = validateNewPassword(password, input.repeat ?? '', deps.policy, { ...(account.national_id ? { nationalId: account.national_id } : {}), userCode: account.user_code });
  if (errors.length > 0) return { flow, errors };
  return finish(deps, flow, account, password, ip, { spend: false });
}
