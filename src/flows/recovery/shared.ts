/**
 * What password recovery's two ways (by-mobile.ts: a code to the registered mobile; by-email.ts:
 * a link to the proven email) share: their dependencies, the attempt limits counted before
 * anything is looked up, the owner's own devices, and the end, the new password set.
 */
import type { Db } from '../../db/database.ts';
import { addressKeyOf } from '../../domain/client-address.ts';
import type { PasswordPolicy } from '../../domain/password-policy.ts';
import type { Profile } from '../../domain/profile.ts';
import { isCurrentPassword, setPassword } from '../../identity/accounts.ts';
import { auditRow, type Executor } from '../../identity/audit.ts';
import type { Clock } from '../../identity/clock.ts';
import { spendCodes, type CodePolicy } from '../../identity/codes.ts';
import type { Identifier } from '../../identity/accounts.ts';
import type { Notifier } from '../../identity/notifier.ts';
import type { PasswordHasher } from '../../identity/passwords.ts';
import { holdsDeviceOf, readDeviceTokens } from '../../identity/devices.ts';
import { clearAccountFailures, firstOver, type WindowLimit } from '../../identity/rate-limits.ts';
import { endOtherSessions } from '../../identity/sessions.ts';
import type { FieldErrors, StepResult } from '../flow.ts';
import type { FlowRequest } from '../kinds.ts';
import type { CaptchaCheck, SendGate } from '../registration/steps.ts';
import { advanceFlow, FlowChanged } from '../store.ts';
import { forgetMatch, validateNewPassword, type RecoveryData, type RecoveryFlow, type RecoveryState } from './machine.ts';

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
    /** Wrong codes per place (by-mobile.ts wrongCodePlace) in a window, whatever the flow or the code: past it, no code is checked there. */
    wrongCodes: WindowLimit;
  };
};

export type Result = StepResult<RecoveryFlow>;
/** Where an attempt comes from: the client address, the device tokens its browser (or app) holds, and the browser's flow binding (null: the API). */
export type From = Pick<FlowRequest, 'ip' | 'deviceTokens' | 'binding'>;

/** The flow moved to `state` with `data` (store.ts advanceFlow: FlowChanged when another request moved it first). */
export const move = (deps: RecoveryDeps, db: Executor, flow: RecoveryFlow, state: RecoveryState, data: RecoveryData) =>
  advanceFlow(db, flow, { state, data }, deps.clock.now());

/** The pool an identifier's attempts count in from everywhere: the devices that signed in to its account before apart. */
export const poolOf = (identifier: string, fromOwnDevice: boolean) => (fromOwnDevice ? `known:${identifier}` : identifier);

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
export async function overLimits(deps: RecoveryDeps, identifier: string, ip: string | null, fromOwnDevice: boolean): Promise<FieldErrors[number] | undefined> {
  const now = deps.clock.now();
  const address = addressKeyOf(ip);
  const over = await firstOver(deps.db, [
    { bucket: 'recovery_id', key: `${identifier}@${address}`, window: deps.limits.perNationalId },
    { bucket: 'recovery_id_all', key: poolOf(identifier, fromOwnDevice), window: deps.limits.perNationalIdAnywhere },
    { bucket: 'recovery_ip', key: ip === null ? null : address, window: deps.limits.perAddress },
  ], now);
  return over ? { code: 'recovery.too_many', params: { minutes: deps.limits.perNationalId.windowMinutes } } : undefined;
}

/**
 * Whether the attempt comes from a device that signed in before to the account `identifier`
 * names (by its person's national ID, or its user code: someone without a national ID too):
 * one of its device tokens (checked by their MAC) is that account's. No query without a valid
 * token, so a stranger's attempt costs nothing more.
 */
export async function ownDevice(deps: RecoveryDeps, identifier: Identifier, deviceTokens: string | undefined): Promise<boolean> {
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
export const ownDeviceOf = (deps: RecoveryDeps, accountId: string, from: From): string | undefined =>
  (holdsDeviceOf(deps.deviceKey, from.deviceTokens, accountId) ? accountId : undefined);

/** The flow's matched account (if any), when this device signed in to it before (ownDeviceOf). */
export const flowsOwnDevice = (deps: RecoveryDeps, flow: RecoveryFlow, from: From): string | undefined =>
  flow.data.accountId === undefined ? undefined : ownDeviceOf(deps, flow.data.accountId, from);

export type RecoveringAccount = { id: string; user_code: string; national_id: string | null; first_name: string; last_name: string; mobile: string | null; email: string | null };

export const accountOf = (deps: RecoveryDeps, accountId: string): Promise<RecoveringAccount | undefined> =>
  deps.db.selectFrom('accounts as a').innerJoin('people as p', 'p.id', 'a.person_id')
    .select(['a.id', 'a.user_code', 'a.mobile', 'a.email', 'p.national_id', 'p.first_name', 'p.last_name']).where('a.id', '=', accountId).executeTakeFirst();

/**
 * The new password, proven by a code or a link: set, every session ended, the locks lifted,
 * the owner told (by SMS when there is a mobile, else by email), the flow done. `spend`: the
 * code is spent here (a link was spent when it was opened).
 */
export async function finish(deps: RecoveryDeps, flow: RecoveryFlow, account: RecoveringAccount, password: string, ip: string | null, options: { spend: boolean }): Promise<Result> {
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
