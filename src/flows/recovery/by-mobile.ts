/**
 * Password recovery by a code to the registered mobile (F18): the national ID with the
 * birth-certificate serial and the mobile (profile ir), or the identification question's answer
 * (profile il). The identify step answers alike whether or not the details matched: a code row is
 * made either way (one nobody receives when nothing matched), so expiry, tries and cooldown behave
 * the same and reveal nothing. Only a match sends the code, to the mobile already registered,
 * never to one typed in the form.
 */
import { timingSafeEqual } from 'node:crypto';
import { clip } from '../../domain/text.ts';
import { auditRow, type Executor } from '../../identity/audit.ts';
import { checkCode, issueCode } from '../../identity/codes.ts';
import { parseIdentifier } from '../../identity/sign-in.ts';
import { checkIdentificationAnswer } from '../../identity/identification-answers.ts';
import { wrongTries } from '../../identity/rate-limits.ts';
import { hmacHex } from '../../secrets.ts';
import type { FieldErrors } from '../flow.ts';
import { secondsUntil } from '../form.ts';
import { FlowChanged } from '../store.ts';
import { validateIdentify, validateNewPassword, type Identity, type RecoveryData, type RecoveryFlow } from './machine.ts';
import { accountOf, finish, flowsOwnDevice, move, overLimits, ownDevice, ownDeviceOf, poolOf, type From, type RecoveryDeps, type Result } from './shared.ts';

export async function identify(deps: RecoveryDeps, flow: RecoveryFlow, input: Record<string, string>, from: From): Promise<Result> {
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

export async function resend(deps: RecoveryDeps, flow: RecoveryFlow, from: From): Promise<Result> {
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

export async function setNewPassword(deps: RecoveryDeps, flow: RecoveryFlow, input: Record<string, string>, from: From): Promise<Result> {
  const { ip } = from;
  const { accountId, mobile } = flow.data;
  const account = accountId === undefined ? undefined : await accountOf(deps, accountId);
  const password = input.password ?? '';
  // The password is checked first (a typo in it must not cost one of the code's few tries),
  // with the same rules whether or not the details matched: the answer must not tell.
  const errors = validateNewPassword(password, input.repeat ?? '', deps.policy, { nationalId: flow.data.values.nationalId });
  if (errors.length > 0) return { flow, errors };
  const now = deps.clock.now();
  // One of the place's wrong tries is taken before the code is checked: past its share, no code is checked there.
  const tries = wrongTries(deps.db, 'recovery.wrong_code', await wrongCodePlace(deps, flow, from), deps.limits.wrongCodes, now);
  if (!(await tries.admit())) {
    return { flow, errors: [{ code: 'recovery.too_many_wrong', field: 'code' }] };
  }
  const checked = await checkCode(deps.db, deps.codeKey, { flowId: flow.id, purpose: 'recovery', target: mobile ?? '' }, input.code ?? '', deps.codePolicy, now);
  // Spent a moment ago by a racing request (a double click) that moved the flow on: as for any flow moved on, not a wrong code.
  if (checked === 'code.spent') {
    await tries.giveBack();
    throw new FlowChanged();
  }
  // With no match the code went nowhere: even a lucky guess of it proves nothing.
  if (checked !== 'ok' || !account) {
    const code = checked === 'ok' || checked === 'code.not_sent' ? 'code.invalid' : checked;
    if (code !== 'code.invalid') await tries.giveBack();
    return { flow, errors: [{ code, field: 'code' }] };
  }
  await tries.giveBack();
  return finish(deps, flow, account, password, ip, { spend: true });
}
