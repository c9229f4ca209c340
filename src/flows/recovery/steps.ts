/**
 * Password recovery (F18), the part with I/O. The identify step answers alike whether or
 * not the details matched: a code row is made either way (one nobody receives when nothing
 * matched), so expiry, tries and cooldown behave the same and reveal nothing. Only a match
 * sends the code, to the mobile already registered, never to one typed in the form.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { clip } from '../../domain/text.ts';
import type { PasswordPolicy } from '../../domain/password-policy.ts';
import type { Profile } from '../../domain/profile.ts';
import { setPassword } from '../../identity/accounts.ts';
import { auditRow, type Executor } from '../../identity/audit.ts';
import type { Clock } from '../../identity/clock.ts';
import { checkCode, issueCode, spendCodes, type CodePolicy } from '../../identity/codes.ts';
import type { Notifier } from '../../identity/notifier.ts';
import type { PasswordHasher } from '../../identity/passwords.ts';
import { clearFailures, hitCounter, placeOfKey, type WindowLimit } from '../../identity/rate-limits.ts';
import { endOtherSessions } from '../../identity/sessions.ts';
import { hmacHex } from '../../secrets.ts';
import type { FieldErrors, StepResult } from '../flow.ts';
import type { CaptchaCheck, SendGate } from '../registration/steps.ts';
import { advanceFlow, createFlow, FlowChanged } from '../store.ts';
import { secondsUntil } from '../form.ts';
import { actions, validateIdentify, validateNewPassword, type Identity, type RecoveryData, type RecoveryFlow, type RecoveryState } from './machine.ts';

export type RecoveryDeps = {
  db: Db; clock: Clock; hasher: PasswordHasher; profile: Profile; policy: PasswordPolicy;
  codeKey: Buffer; codePolicy: CodePolicy; flowMinutes: number;
  /** Keys the birth-certificate serial's HMAC, as the registry import stored it. */
  personalDataKey: Buffer;
  notifier: Notifier; captcha: CaptchaCheck; sendGate: SendGate;
  /** Recovery attempts per national ID and per client address, matched or not. */
  limits: { perNationalId: WindowLimit; perAddress: WindowLimit };
};

type Result = StepResult<RecoveryFlow>;

export async function startRecovery(deps: RecoveryDeps, locale: 'fa' | 'he' | 'en', binding: string | null, nationalId = ''): Promise<RecoveryFlow> {
  return createFlow<RecoveryFlow>(deps.db, {
    kind: 'recovery', state: 'identify', binding,
    data: { locale, values: { nationalId: clip(nationalId, 20), mobile: '' } },
    expiresAt: new Date(deps.clock.now().getTime() + deps.flowMinutes * 60_000),
  });
}

const move = (deps: RecoveryDeps, db: Executor, flow: RecoveryFlow, state: RecoveryState, data: RecoveryData) =>
  advanceFlow(db, flow, { state, data }, deps.clock.now());

export async function stepRecovery(deps: RecoveryDeps, flow: RecoveryFlow, input: Record<string, string>, ip: string | null): Promise<Result> {
  const action = input.action ?? (flow.state === 'identify' ? 'submit' : 'verify');
  if (!actions[flow.state].includes(action)) return { flow, errors: [{ code: 'flow.action_not_allowed' }] };
  try {
    if (action === 'submit') return await identify(deps, flow, input, ip);
    if (action === 'resend') return await resend(deps, flow, ip);
    return await setNewPassword(deps, flow, input, ip);
  } catch (error) {
    if (error instanceof FlowChanged) return { flow, errors: [{ code: 'flow.changed' }] };
    throw error;
  }
}

async function identify(deps: RecoveryDeps, flow: RecoveryFlow, input: Record<string, string>, ip: string | null): Promise<Result> {
  const values = { nationalId: clip(input.nationalId ?? '', 20), mobile: clip(input.mobile ?? '', 20) };
  const kept: RecoveryData = { ...flow.data, values };
  const checked = validateIdentify(input, deps.profile);
  const errors: FieldErrors = checked.ok ? [] : [...checked.errors];
  if (errors.length === 0 && !(await deps.captcha.verify(input.captcha ?? '', deps.clock.now()))) errors.push({ code: 'captcha.invalid', field: 'captcha' });
  if (!checked.ok || errors.length > 0) return { flow: await move(deps, deps.db, flow, 'identify', kept), errors };

  const now = deps.clock.now();
  // Counted for every attempt, matched or not, so the limits say nothing about the account.
  const byId = await hitCounter(deps.db, 'recovery_id', checked.identity.nationalId, deps.limits.perNationalId, now);
  const byAddress = ip === null ? 0 : await hitCounter(deps.db, 'recovery_ip', ip, deps.limits.perAddress, now);
  if (byId > deps.limits.perNationalId.limit || byAddress > deps.limits.perAddress.limit) {
    return { flow: await move(deps, deps.db, flow, 'identify', kept), errors: [{ code: 'recovery.too_many', params: { minutes: deps.limits.perNationalId.windowMinutes } }] };
  }
  const account = await matchingAccount(deps, checked.identity);
  const allowed = await sendAllowed(deps, checked.identity.mobile, ip);
  const next = await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('audit_events').values(auditRow({
      type: 'password.recovery_requested', subjectAccountId: account?.id ?? null, ip, data: { matched: account !== undefined },
    })).execute();
    const data: RecoveryData = { ...kept, codeSentAt: now.toISOString(), requestedMobile: checked.identity.mobile, ...(account ? { accountId: account.id, mobile: account.mobile } : {}) };
    const moved = await move(deps, trx, flow, 'verify', data);
    await sendCode(deps, trx, moved, allowed);
    return moved;
  });
  return { flow: next, errors: [] };
}

/** The account whose person, serial (where the registry holds one) and registered mobile all match. */
async function matchingAccount(deps: RecoveryDeps, identity: Identity): Promise<{ id: string; mobile: string } | undefined> {
  const row = await deps.db.selectFrom('people as p').innerJoin('accounts as a', 'a.person_id', 'p.id')
    .select(['a.id', 'a.mobile', 'a.status', 'p.birth_serial_hmac'])
    .where('p.national_id', '=', identity.nationalId).executeTakeFirst();
  if (!row || row.status === 'disabled' || row.mobile === null) return undefined;
  const mobileMatches = row.mobile === identity.mobile;
  // People who registered themselves have no serial on record: their registered mobile is the proof.
  const serialMatches = identity.serial === null || row.birth_serial_hmac === null
    || timingSafeEqual(Buffer.from(hmacHex(deps.personalDataKey, identity.serial)), Buffer.from(row.birth_serial_hmac));
  return mobileMatches && serialMatches ? { id: row.id, mobile: row.mobile } : undefined;
}

/**
 * The send limits, counted for the typed mobile on every attempt, match or not (counts that
 * moved only on a match would tell it: the registration flow shows those limits); outside the
 * code's transaction, so a refusal stands.
 */
async function sendAllowed(deps: RecoveryDeps, mobile: string, ip: string | null): Promise<boolean> {
  return (await deps.sendGate({ channel: 'sms', to: mobile, ip }, deps.clock.now())).ok;
}

/** A new code for the flow; it leaves only when the details matched and the send limits allowed. */
async function sendCode(deps: RecoveryDeps, db: Executor, flow: RecoveryFlow, allowed: boolean): Promise<void> {
  const now = deps.clock.now();
  const target = flow.data.mobile ?? '';
  const code = await issueCode(db, deps.codeKey, { flowId: flow.id, purpose: 'recovery', target }, deps.codePolicy, now);
  // A refusal is audited by the gate, and not shown: it would tell that the details matched.
  // Without a match (or the gate's leave) the message is written withheld: the same work either way.
  const withheld = flow.data.accountId === undefined ? 'no_account' : allowed ? undefined : 'send_refused';
  await deps.notifier.enqueue(db, { channel: 'sms', to: target, template: 'recovery.sms', locale: flow.data.locale, params: { code } }, withheld === undefined ? undefined : { withheld });
}

async function resend(deps: RecoveryDeps, flow: RecoveryFlow, ip: string | null): Promise<Result> {
  const now = deps.clock.now();
  // From the flow alone, match or not.
  const wait = secondsUntil(flow.data.codeSentAt, deps.codePolicy.cooldownSeconds, now);
  if (wait > 0) return { flow, errors: [{ code: 'code.cooldown', field: 'code', params: { seconds: wait } }] };
  const allowed = await sendAllowed(deps, flow.data.requestedMobile ?? flow.data.mobile ?? '', ip);
  const next = await deps.db.transaction().execute(async (trx) => {
    const moved = await move(deps, trx, flow, 'verify', { ...flow.data, codeSentAt: now.toISOString() });
    await sendCode(deps, trx, moved, allowed);
    return moved;
  });
  return { flow: next, errors: [] };
}

async function setNewPassword(deps: RecoveryDeps, flow: RecoveryFlow, input: Record<string, string>, ip: string | null): Promise<Result> {
  const { accountId, mobile } = flow.data;
  const account = accountId === undefined ? undefined : await deps.db.selectFrom('accounts as a').innerJoin('people as p', 'p.id', 'a.person_id')
    .select(['a.user_code', 'p.national_id', 'p.first_name', 'p.last_name']).where('a.id', '=', accountId).executeTakeFirst();
  const password = input.password ?? '';
  // The password is checked first (a typo in it must not cost one of the code's few tries),
  // with the same rules whether or not the details matched: the answer must not tell.
  const errors = validateNewPassword(password, input.repeat ?? '', deps.policy, { nationalId: flow.data.values.nationalId });
  if (errors.length > 0) return { flow, errors };
  const now = deps.clock.now();
  const checked = await checkCode(deps.db, deps.codeKey, { flowId: flow.id, purpose: 'recovery', target: mobile ?? '' }, input.code ?? '', deps.codePolicy, now);
  // With no match the code went nowhere: even a lucky guess of it proves nothing.
  if (checked !== 'ok' || !account || accountId === undefined) {
    return { flow, errors: [{ code: checked === 'ok' || checked === 'code.not_sent' ? 'code.invalid' : checked, field: 'code' }] };
  }
  // Only now, the code proven, may the account's own user code be checked against the password.
  const containsCode = validateNewPassword(password, password, deps.policy, { nationalId: flow.data.values.nationalId, userCode: account.user_code });
  if (containsCode.length > 0) return { flow, errors: containsCode };
  const hash = await deps.hasher.hash(password);
  const done = await deps.db.transaction().execute(async (trx) => {
    if (await spendCodes(trx, flow.id, now) < 1) throw new FlowChanged();
    await setPassword(trx, accountId, hash, false, now);
    // Whoever knew the old password, or held a session with it, is out.
    const ended = await endOtherSessions(trx, accountId, null);
    // The lock on the account's other devices goes with the old password (audited when it was on).
    const unlocked = await clearFailures(trx, [`account:${accountId}`, `mfa:${accountId}`], now);
    await trx.insertInto('audit_events').values([
      auditRow({ type: 'password.recovered', actorAccountId: accountId, subjectAccountId: accountId, ip, data: { endedSessions: ended } }),
      ...unlocked.map((key) => auditRow({ type: 'sign_in.unlocked', actorAccountId: accountId, subjectAccountId: accountId, ip, data: { by: 'recovery', place: placeOfKey(key) } })),
    ]).execute();
    await deps.notifier.enqueue(trx, {
      channel: 'sms', to: mobile!, template: 'password.changed', locale: flow.data.locale, params: { name: `${account.first_name} ${account.last_name}` },
    });
    const { accountId: _a, mobile: _m, ...rest } = flow.data;
    return move(deps, trx, flow, 'done', rest);
  });
  return { flow: done, errors: [] };
}
