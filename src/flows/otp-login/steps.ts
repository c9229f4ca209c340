/**
 * One-time-code sign-in (F3), the part with I/O. Every request for a code does the same work
 * whether or not the identifier names an account with a mobile: the same counters, the same
 * lookup, the same send gate, a code row and an audit event; only a match queues the SMS or
 * call, to the mobile on record. So the answer, the states, the limits and the timing say
 * nothing about who has an account. A right code opens a session marked `otp` (identity/
 * code-sign-in.ts); what comes after (a forced password change, the role choice) is the
 * sign-in page's (pages/sign-in.ts nextAfterSignIn).
 *
 * Guessing is bounded three ways: each code takes a few tries (codes.ts); a code held back (the
 * send gate said no) is never one that can be typed in; and wrong codes count per place, as the
 * requests do (counterKey: the owner's own devices apart from everyone else), so past a day's
 * share a place is told to use the password (OWASP, NIST SP 800-63B 5.2.2).
 */
import type { Db } from '../../db/database.ts';
import { addressKey } from '../../domain/client-address.ts';
import { clip } from '../../domain/text.ts';
import { auditRow, type Executor } from '../../identity/audit.ts';
import { isoDateIn, type Clock } from '../../identity/clock.ts';
import { codeRecipient, openCodeSession } from '../../identity/code-sign-in.ts';
import { checkCode, issueCode, spendCodes, type CodePolicy } from '../../identity/codes.ts';
import { holdsDeviceOf, rememberDevice } from '../../identity/devices.ts';
import { activeMemberships } from '../../identity/memberships.ts';
import type { Notifier } from '../../identity/notifier.ts';
import { firstOver, wrongTries, type WindowLimit } from '../../identity/rate-limits.ts';
import type { SessionLifetimes } from '../../identity/sessions.ts';
import type { SignInMeter } from '../../identity/sign-in-meter.ts';
import { parseIdentifier } from '../../identity/sign-in.ts';
import type { FieldErrors } from '../flow.ts';
import { secondsUntil } from '../form.ts';
import type { FlowRequest, StepOutcome } from '../kinds.ts';
import type { SendGate } from '../registration/steps.ts';
import { advanceFlow, createFlow, FlowChanged } from '../store.ts';
import { channelOf, forgetMatch, otpActions, type OtpChannel, type OtpLoginData, type OtpLoginFlow, type OtpLoginState } from './machine.ts';

export type OtpLoginDeps = {
  db: Db; clock: Clock; profile: 'ir' | 'il'; timeZone: string;
  codeKey: Buffer; codePolicy: CodePolicy; flowMinutes: number;
  notifier: Notifier; sendGate: SendGate;
  /**
   * Requests for a code, counted on every request, match or not: per identifier from one
   * address (someone else's requests do not use up the owner's), per identifier from anywhere
   * (a ceiling that keeps the owner's phone quiet), per address. An identifier is its account
   * when it names one, and a device that signed in to that account before counts on its own
   * (counterKey).
   */
  limits: {
    perIdentifierAndAddress: WindowLimit; perIdentifier: WindowLimit; perAddress: WindowLimit;
    /** Wrong codes per place (counterKey) in a window, whatever the flow or the code: past it, no code is checked there. */
    wrongCodes: WindowLimit;
  };
  lifetimes: SessionLifetimes; deviceKey: Buffer;
  /** Counts each code checked (kelid_sign_ins_total{method="otp"}). */
  meter?: SignInMeter | undefined;
};

type Outcome = StepOutcome<OtpLoginFlow>;

export async function startOtpLogin(deps: OtpLoginDeps, request: FlowRequest, options: { returnTo?: string | undefined; staff?: boolean }): Promise<OtpLoginFlow> {
  const data: OtpLoginData = { locale: request.locale, identifier: '', ...(options.returnTo ? { returnTo: options.returnTo } : {}), ...(options.staff ? { staff: true } : {}) };
  return createFlow<OtpLoginFlow>(deps.db, {
    kind: 'otp-login', state: 'identify', data, binding: request.binding,
    expiresAt: new Date(deps.clock.now().getTime() + deps.flowMinutes * 60_000),
  });
}

const move = (deps: OtpLoginDeps, db: Executor, flow: OtpLoginFlow, state: OtpLoginState, data: OtpLoginData) =>
  advanceFlow(db, flow, { state, data }, deps.clock.now());

export async function stepOtpLogin(deps: OtpLoginDeps, flow: OtpLoginFlow, input: Record<string, string>, request: FlowRequest): Promise<Outcome> {
  const action = input.action ?? (flow.state === 'identify' ? 'send_sms' : 'verify');
  if (!otpActions[flow.state].includes(action)) return { flow, errors: [{ code: 'flow.action_not_allowed' }] };
  try {
    if (action === 'edit') return { flow: await move(deps, deps.db, flow, 'identify', forgetMatch(flow.data)), errors: [] };
    if (action === 'verify') return await verify(deps, flow, input.code ?? '', request);
    if (flow.state === 'identify') return await identify(deps, flow, input.identifier ?? '', channelOf(action), request);
    return await resend(deps, flow, channelOf(action), request);
  } catch (error) {
    if (error instanceof FlowChanged) return { flow, errors: [{ code: 'flow.changed' }] };
    throw error;
  }
}

async function identify(deps: OtpLoginDeps, flow: OtpLoginFlow, typed: string, channel: OtpChannel, request: FlowRequest): Promise<Outcome> {
  // Back from verify to type another identifier: the flow's last code still counts for the cooldown, whatever was typed.
  const waiting = cooldown(deps, flow, 'identifier');
  if (waiting) return { flow, errors: [waiting] };
  const kept: OtpLoginData = { ...flow.data, identifier: clip(typed, 64) };
  const identifier = parseIdentifier(typed, deps.profile);
  if ('error' in identifier) return { flow: await move(deps, deps.db, flow, 'identify', kept), errors: [{ code: identifier.error, field: 'identifier' }] };
  const recipient = await codeRecipient(deps.db, identifier);
  const key = counterKey(deps, `${identifier.kind}:${identifier.value}`, recipient?.accountId, request);
  const limited = await overLimit(deps, key, request.ip);
  if (limited) return { flow: await move(deps, deps.db, flow, 'identify', kept), errors: [{ ...limited, field: 'identifier' }] };
  const data: OtpLoginData = { ...kept, ...(recipient ? { accountId: recipient.accountId, mobile: recipient.mobile } : {}) };
  return { flow: await send(deps, flow, data, channel, key, request), errors: [] };
}

/**
 * What an identifier's requests count under: the account (its national ID and its user code
 * are one person, one budget), in two pools: the devices that signed in to it before (their
 * device tokens, identity/devices.ts) share one, every other place the other. Strangers asking
 * codes for someone from elsewhere use up the second, never the owner's own phone's (OWASP,
 * as the password lockout does); and however many device tokens one collects, the phone
 * hears at most the two ceilings an hour. An identifier that names no one counts as typed.
 */
function counterKey(deps: OtpLoginDeps, typed: string, accountId: string | undefined, request: FlowRequest): string {
  if (accountId === undefined) return typed;
  return holdsDeviceOf(deps.deviceKey, request.deviceTokens, accountId) ? `known:${accountId}` : `account:${accountId}`;
}

/** The place a flow's requests and wrong codes count under (counterKey), from what the flow holds. */
function flowKey(deps: OtpLoginDeps, data: OtpLoginData, request: FlowRequest): string {
  const identifier = parseIdentifier(data.identifier, deps.profile);
  const typed = 'error' in identifier ? data.identifier : `${identifier.kind}:${identifier.value}`;
  return counterKey(deps, typed, data.accountId, request);
}

/** The refusal, beside `field`, of a new code asked for before the flow's last one's cooldown has passed. */
function cooldown(deps: OtpLoginDeps, flow: OtpLoginFlow, field: 'identifier' | 'code'): FieldErrors[number] | undefined {
  const wait = secondsUntil(flow.data.codeSentAt, deps.codePolicy.cooldownSeconds, deps.clock.now());
  return wait > 0 ? { code: 'code.cooldown', field, params: { seconds: wait } } : undefined;
}

async function resend(deps: OtpLoginDeps, flow: OtpLoginFlow, channel: OtpChannel, request: FlowRequest): Promise<Outcome> {
  const waiting = cooldown(deps, flow, 'code');
  if (waiting) return { flow, errors: [waiting] };
  const identifier = parseIdentifier(flow.data.identifier, deps.profile);
  if ('error' in identifier) return { flow, errors: [{ code: 'flow.action_not_allowed' }] };
  const key = counterKey(deps, `${identifier.kind}:${identifier.value}`, flow.data.accountId, request);
  const limited = await overLimit(deps, key, request.ip);
  if (limited) return { flow, errors: [{ ...limited, field: 'code' }] };
  return { flow: await send(deps, flow, flow.data, channel, key, request), errors: [] };
}

/** The request counters, counted alike for every identifier; the refusal, if one is over its limit. */
async function overLimit(deps: OtpLoginDeps, key: string, ip: string | null): Promise<FieldErrors[number] | undefined> {
  const now = deps.clock.now();
  const { perIdentifierAndAddress, perIdentifier, perAddress } = deps.limits;
  const address = ip === null ? null : addressKey(ip); // an IPv6 client by its /64
  const over = await firstOver(deps.db, [
    { bucket: 'otp.identifier_address', key: `${key}|${address ?? ''}`, window: perIdentifierAndAddress },
    { bucket: 'otp.identifier', key, window: perIdentifier },
    { bucket: 'otp.address', key: address, window: perAddress },
  ], now);
  return over ? { code: 'otp.too_many', params: { minutes: over.windowMinutes } } : undefined;
}

/**
 * A new code for the flow, moved to verify. The send gate is asked for every request (for no
 * account, about a stand-in for the identifier), and its refusal is not shown: it would tell
 * that a message was due. Only a match with the gate's leave sends the message; otherwise it
 * is written withheld (notify/outbox.ts), so every answer costs the same.
 */
async function send(deps: OtpLoginDeps, flow: OtpLoginFlow, data: OtpLoginData, channel: OtpChannel, key: string, request: FlowRequest): Promise<OtpLoginFlow> {
  const now = deps.clock.now();
  // Only a message that will leave spends the SMS budget (the stand-in does the same work, counting nothing).
  const allowed = await deps.sendGate({
    channel: channel === 'call' ? 'voice' : 'sms', to: data.mobile ?? `unknown:${key}`, ip: request.ip, sending: data.mobile !== undefined,
    ownDeviceOf: key.startsWith('known:') ? data.accountId : undefined,
  }, now);
  return deps.db.transaction().execute(async (trx) => {
    const moved = await move(deps, trx, flow, 'verify', { ...data, channel, codeSentAt: now.toISOString() });
    // Written either way, kept back when there is no account or the gate said no: the same work.
    const withheld = data.mobile === undefined ? 'no_account' : allowed.ok ? undefined : allowed.code;
    // A code held back is bound to no number: typed in (guessed), it proves nothing.
    const code = await issueCode(trx, deps.codeKey, { flowId: flow.id, purpose: 'sign_in', target: withheld === undefined ? data.mobile! : '' }, deps.codePolicy, now);
    await trx.insertInto('audit_events').values(auditRow({
      type: 'sign_in.code_requested', subjectAccountId: data.accountId ?? null, ip: request.ip, userAgent: request.userAgent,
      data: { channel, matched: data.accountId !== undefined, sent: data.accountId !== undefined && allowed.ok },
    })).execute();
    await deps.notifier.enqueue(trx, {
      channel: channel === 'call' ? 'voice' : 'sms', to: data.mobile ?? '', template: channel === 'call' ? 'sign_in.code.voice' : 'sign_in.code.sms',
      locale: data.locale, params: { code },
    }, withheld === undefined ? undefined : { withheld });
    return moved;
  });
}

async function verify(deps: OtpLoginDeps, flow: OtpLoginFlow, typed: string, request: FlowRequest): Promise<Outcome> {
  const { accountId, mobile, channel } = flow.data;
  const now = deps.clock.now();
  // One of the place's wrong tries is taken before the code is checked: past its share, no code is checked there.
  const tries = wrongTries(deps.db, 'otp.wrong_code', flowKey(deps, flow.data, request), deps.limits.wrongCodes, now);
  if (!(await tries.admit())) {
    deps.meter?.('otp', 'locked');
    return { flow, errors: [{ code: 'otp.too_many_wrong', field: 'code' }] };
  }
  const checked = await checkCode(deps.db, deps.codeKey, { flowId: flow.id, purpose: 'sign_in', target: mobile ?? '' }, typed, deps.codePolicy, now);
  // Spent a moment ago by a racing request (a double click) that moved the flow on: as for any flow moved on, not a wrong code.
  if (checked === 'code.spent') {
    await tries.giveBack();
    throw new FlowChanged();
  }
  // With no match the code went nowhere: even a lucky guess of it proves nothing.
  if (checked !== 'ok' || accountId === undefined || channel === undefined) {
    const code = checked === 'ok' || checked === 'code.not_sent' ? 'code.invalid' : checked;
    deps.meter?.('otp', code === 'code.too_many_tries' ? 'locked' : 'failure');
    if (code !== 'code.invalid') await tries.giveBack();
    if (code === 'code.invalid' || code === 'code.too_many_tries') {
      await deps.db.insertInto('audit_events').values(auditRow({
        type: 'sign_in.failed', subjectAccountId: accountId ?? null, ip: request.ip, userAgent: request.userAgent, data: { method: 'otp', reason: code },
      })).execute();
    }
    return { flow, errors: [{ code, field: 'code' }] };
  }
  await tries.giveBack();
  const kind = request.binding === null ? 'api' : 'browser';
  const opened = await deps.db.transaction().execute(async (trx) => {
    if (await spendCodes(trx, flow.id, now) < 1) throw new FlowChanged();
    const session = await openCodeSession(trx, deps.lifetimes, { accountId, channel, kind, ip: request.ip, userAgent: request.userAgent, now });
    if (!session) return undefined;
    const { accountId: _a, mobile: _m, ...rest } = flow.data;
    return { session, flow: await move(deps, trx, flow, 'done', { ...rest, sessionId: session.sessionId }) };
  });
  deps.meter?.('otp', opened ? 'success' : 'failure');
  if (!opened) return { flow, errors: [{ code: 'code.invalid', field: 'code' }] };
  const memberships = await activeMemberships(deps.db, accountId, isoDateIn(now, deps.timeZone));
  const device = rememberDevice(deps.deviceKey, request.deviceTokens, accountId);
  return {
    flow: opened.flow, errors: [],
    signedIn: {
      token: opened.session.token, deviceCookie: device.cookie, deviceToken: device.token, mustChangePassword: opened.session.mustChangePassword,
      memberships: memberships.length, returnTo: flow.data.returnTo, staff: flow.data.staff,
    },
  };
}
