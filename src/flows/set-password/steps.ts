/**
 * Set password from an emailed link (F19), the part with I/O. The invitation is checked again
 * at every step (a newer link, the clock or another tab may have ended it) and spent only
 * when the password is saved, in that very transaction, with everything saving causes: the
 * password (must_change cleared), the identification answer, the address, the end of the
 * account's sessions and lockout, the audit event and the confirmation email.
 */
import type { Locale } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { PasswordPolicy } from '../../domain/password-policy.ts';
import { isIdentificationQuestion } from '../../domain/identification-answer.ts';
import type { Profile } from '../../domain/profile.ts';
import { clip } from '../../domain/text.ts';
import { formatUserCode, isCurrentPassword, setPassword, setProvenEmail } from '../../identity/accounts.ts';
import { auditRow, type Executor } from '../../identity/audit.ts';
import type { Clock } from '../../identity/clock.ts';
import { checkCode, issueCode, spendCodes, type CodePolicy } from '../../identity/codes.ts';
import { hashIdentificationAnswer, saveIdentificationAnswer } from '../../identity/identification-answers.ts';
import {
  countWrongId, findInvitation, invitationById, invitationTargets, invitedAccount, sendInvitation, spendInvitation,
  type InvitationLookup, type InvitationSender, type InvitedAccount,
} from '../../identity/invitations.ts';
import type { Notifier } from '../../identity/notifier.ts';
import { addressKeyOf } from '../../domain/client-address.ts';
import { withHashRoom, type PasswordHasher } from '../../identity/passwords.ts';
import { clearAccountFailures, hitCounter, type WindowLimit } from '../../identity/rate-limits.ts';
import { endOtherSessions } from '../../identity/sessions.ts';
import type { StepResult } from '../flow.ts';
import { secondsUntil } from '../form.ts';
import type { SendGate } from '../registration/steps.ts';
import { advanceFlow, createFlow, FlowChanged } from '../store.ts';
import { NEW_LINK_COOLDOWN_SECONDS } from './form.ts';
import {
  actions, tokenFrom, validateChoice, validateNationalId, type PendingChoice, type SetPasswordData, type SetPasswordFlow, type SetPasswordState,
} from './machine.ts';

export type SetPasswordDeps = {
  db: Db; clock: Clock; hasher: PasswordHasher; profile: Profile; policy: PasswordPolicy;
  codeKey: Buffer; codePolicy: CodePolicy; flowMinutes: number;
  notifier: Notifier; sendGate: SendGate;
  /** Sends a new link from a dead one (to the address on record, never one typed here). */
  invitations: InvitationSender;
  /** New links asked for from dead links, per account. */
  newLinks: WindowLimit;
  signInUrl: string;
  /** The password policy's page, linked from the choose step. */
  policyUrl: string;
};

type Result = StepResult<SetPasswordFlow>;

const defaultAction: Record<SetPasswordState, string> = {
  token: 'submit', identify: 'confirm', choose: 'save', verify_email: 'verify', link_unusable: 'new_link', done: '',
};

export async function startSetPassword(deps: SetPasswordDeps, locale: Locale, binding: string | null): Promise<SetPasswordFlow> {
  return createFlow<SetPasswordFlow>(deps.db, {
    kind: 'set-password', state: 'token', binding,
    data: { locale, values: { nationalId: '', question: '', email: '' } },
    expiresAt: new Date(deps.clock.now().getTime() + deps.flowMinutes * 60_000),
  });
}

const move = (deps: SetPasswordDeps, db: Executor, flow: SetPasswordFlow, state: SetPasswordState, data: SetPasswordData) =>
  advanceFlow(db, flow, { state, data }, deps.clock.now());

export async function stepSetPassword(deps: SetPasswordDeps, flow: SetPasswordFlow, input: Record<string, string>, ip: string | null): Promise<Result> {
  const action = input.action ?? defaultAction[flow.state];
  if (!actions[flow.state].includes(action)) return { flow, errors: [{ code: 'flow.action_not_allowed' }] };
  try {
    switch (action) {
      case 'submit': return await openLink(deps, flow, input);
      case 'confirm': return await identify(deps, flow, input, ip);
      // Three hashes (the current password, the new one, the answer): their place first (issue 12).
      case 'save': return await withHashRoom(deps, (reserved) => choose(reserved, flow, input, ip), addressKeyOf(ip));
      case 'verify': return await verifyEmail(deps, flow, input, ip);
      case 'resend': return await resendCode(deps, flow, ip);
      case 'edit': return { flow: await move(deps, deps.db, flow, 'choose', withoutPending(flow.data)), errors: [] };
      default: return await newLink(deps, flow, ip);
    }
  } catch (error) {
    if (error instanceof FlowChanged) return { flow, errors: [{ code: 'flow.changed' }] };
    throw error;
  }
}

const withoutPending = ({ pending, ...data }: SetPasswordData): SetPasswordData => ({ ...data, values: { ...data.values, email: pending?.email ?? data.values.email } });

/** The link is no longer usable: the flow says why, and offers a new one. */
const unusable = async (deps: SetPasswordDeps, flow: SetPasswordFlow, lookup: InvitationLookup): Promise<Result> => {
  const { pending: _p, linkEmail: _e, ...rest } = flow.data;
  return { flow: await move(deps, deps.db, flow, 'link_unusable', { ...rest, invitationId: lookup.invitation.id, problem: lookup.problem ?? 'expired' }), errors: [] };
};

/** The flow's invitation as it is now, with its account; a disabled account's link is no link. */
async function current(deps: SetPasswordDeps, flow: SetPasswordFlow): Promise<{ lookup: InvitationLookup; account: InvitedAccount } | undefined> {
  const lookup = flow.data.invitationId === undefined ? undefined : await invitationById(deps.db, flow.data.invitationId, deps.clock.now());
  const account = lookup && await invitedAccount(deps.db, lookup.invitation.accountId);
  return lookup && account && !account.disabled ? { lookup, account } : undefined;
}

async function openLink(deps: SetPasswordDeps, flow: SetPasswordFlow, input: Record<string, string>): Promise<Result> {
  const token = tokenFrom(input.token ?? '');
  if (token === '') return { flow, errors: [{ code: 'set_password.token_required', field: 'token' }] };
  const lookup = await findInvitation(deps.db, token, deps.clock.now());
  const account = lookup && await invitedAccount(deps.db, lookup.invitation.accountId);
  if (!lookup || !account || account.disabled) return { flow, errors: [{ code: 'set_password.link_invalid', field: 'token' }] };
  if (lookup.problem) return unusable(deps, flow, lookup);
  return { flow: await move(deps, deps.db, flow, 'identify', { ...flow.data, invitationId: lookup.invitation.id }), errors: [] };
}

async function identify(deps: SetPasswordDeps, flow: SetPasswordFlow, input: Record<string, string>, ip: string | null): Promise<Result> {
  const data = { ...flow.data, values: { ...flow.data.values, nationalId: clip(input.nationalId ?? '', 20) } };
  // A malformed ID is a typo, told as such and not counted: it cannot be anyone's.
  const checked = validateNationalId(input.nationalId ?? '', deps.profile);
  if (!checked.ok) return { flow: await move(deps, deps.db, flow, 'identify', data), errors: checked.errors };
  const found = await current(deps, flow);
  if (!found) return { flow, errors: [{ code: 'set_password.link_invalid' }] };
  if (found.lookup.problem) return unusable(deps, flow, found.lookup);
  if (found.account.nationalId !== checked.nationalId) {
    const left = await countWrongId(deps.db, found.lookup.invitation.id, deps.clock.now());
    if (left === 0) {
      await deps.db.insertInto('audit_events').values(auditRow({ type: 'invitation.voided', subjectAccountId: found.account.id, ip, data: { reason: 'wrong_ids' } })).execute();
      return unusable(deps, flow, { ...found.lookup, problem: 'wrong_ids' });
    }
    return { flow: await move(deps, deps.db, flow, 'identify', data), errors: [{ code: 'set_password.id_mismatch', field: 'nationalId', params: { left } }] };
  }
  const email = found.lookup.invitation.email;
  return { flow: await move(deps, deps.db, flow, 'choose', { ...data, linkEmail: email, values: { ...data.values, email } }), errors: [] };
}

async function choose(deps: SetPasswordDeps, flow: SetPasswordFlow, input: Record<string, string>, ip: string | null): Promise<Result> {
  const found = await current(deps, flow);
  if (!found || flow.data.linkEmail === undefined) return { flow, errors: [{ code: 'set_password.link_invalid' }] };
  if (found.lookup.problem) return unusable(deps, flow, found.lookup);
  const question = input.question ?? '';
  const values = { ...flow.data.values, question: isIdentificationQuestion(question) ? question : '', email: clip(input.email ?? '', 254) };
  const checked = validateChoice(input, deps.policy, { ...(found.account.nationalId === null ? {} : { nationalId: found.account.nationalId }), userCode: found.account.userCode });
  if (!checked.ok) return { flow: await move(deps, deps.db, flow, 'choose', { ...flow.data, values }), errors: checked.errors };
  const { choice } = checked;
  // As change-password refuses it: a link to set a password does not set the same one again.
  if (await isCurrentPassword(deps.db, deps.hasher, found.account.id, choice.password)) {
    return { flow: await move(deps, deps.db, flow, 'choose', { ...flow.data, values }), errors: [{ code: 'password.same_as_current', field: 'password' }] };
  }
  // Hashing runs off the event loop, before any transaction.
  const [passwordHash, answerHash] = await Promise.all([deps.hasher.hash(choice.password), hashIdentificationAnswer(deps.hasher, choice.answer)]);
  const chosen = { passwordHash, question: choice.question, answerHash, email: choice.email };
  // The link proved the inbox it went to; another address is proven by a code sent to it.
  if (choice.email === flow.data.linkEmail.toLowerCase()) return save(deps, { ...flow, data: { ...flow.data, values } }, found, chosen, ip);
  const now = deps.clock.now();
  const allowed = await deps.sendGate({ channel: 'email', to: choice.email, ip }, now);
  if (!allowed.ok) return { flow: await move(deps, deps.db, flow, 'choose', { ...flow.data, values }), errors: [{ code: allowed.code, field: 'email', params: { seconds: allowed.retryAfterSeconds } }] };
  const next = await deps.db.transaction().execute(async (trx) => {
    const moved = await move(deps, trx, flow, 'verify_email', { ...flow.data, values, pending: { ...chosen, codeSentAt: now.toISOString() } });
    await sendEmailCode(deps, trx, moved);
    return moved;
  });
  return { flow: next, errors: [] };
}

async function sendEmailCode(deps: SetPasswordDeps, db: Executor, flow: SetPasswordFlow): Promise<void> {
  const email = flow.data.pending!.email;
  const code = await issueCode(db, deps.codeKey, { flowId: flow.id, purpose: 'email', target: email }, deps.codePolicy, deps.clock.now());
  await deps.notifier.enqueue(db, { channel: 'email', to: email, template: 'email_change.code', locale: flow.data.locale, params: { code } });
}

async function resendCode(deps: SetPasswordDeps, flow: SetPasswordFlow, ip: string | null): Promise<Result> {
  const pending = flow.data.pending;
  if (!pending) return { flow, errors: [{ code: 'flow.action_not_allowed' }] };
  const now = deps.clock.now();
  const wait = secondsUntil(pending.codeSentAt, deps.codePolicy.cooldownSeconds, now);
  if (wait > 0) return { flow, errors: [{ code: 'code.cooldown', field: 'code', params: { seconds: wait } }] };
  const allowed = await deps.sendGate({ channel: 'email', to: pending.email, ip }, now);
  if (!allowed.ok) return { flow, errors: [{ code: allowed.code, field: 'code', params: { seconds: allowed.retryAfterSeconds } }] };
  const next = await deps.db.transaction().execute(async (trx) => {
    const moved = await move(deps, trx, flow, 'verify_email', { ...flow.data, pending: { ...pending, codeSentAt: now.toISOString() } });
    await sendEmailCode(deps, trx, moved);
    return moved;
  });
  return { flow: next, errors: [] };
}

async function verifyEmail(deps: SetPasswordDeps, flow: SetPasswordFlow, input: Record<string, string>, ip: string | null): Promise<Result> {
  const pending = flow.data.pending;
  if (!pending) return { flow, errors: [{ code: 'flow.action_not_allowed' }] };
  const checked = await checkCode(deps.db, deps.codeKey, { flowId: flow.id, purpose: 'email', target: pending.email }, input.code ?? '', deps.codePolicy, deps.clock.now());
  // Spent a moment ago by a racing request (a double click) that moved the flow on: as for any flow moved on, not a wrong code.
  if (checked === 'code.spent') throw new FlowChanged();
  if (checked !== 'ok') return { flow, errors: [{ code: checked, field: 'code' }] };
  const found = await current(deps, flow);
  if (!found) return { flow, errors: [{ code: 'set_password.link_invalid' }] };
  if (found.lookup.problem) return unusable(deps, flow, found.lookup);
  return save(deps, flow, found, pending, ip);
}

/** Saves everything the wizard chose, spending the link; a link spent meanwhile saves nothing. */
async function save(
  deps: SetPasswordDeps, flow: SetPasswordFlow, found: { lookup: InvitationLookup; account: InvitedAccount },
  chosen: Omit<PendingChoice, 'codeSentAt'>, ip: string | null,
): Promise<Result> {
  const now = deps.clock.now();
  const { account } = found;
  const invitationId = found.lookup.invitation.id;
  const done = await deps.db.transaction().execute(async (trx) => {
    if (!await spendInvitation(trx, invitationId, now)) return undefined;
    // A code that proved a new address is spent with it.
    if (flow.data.pending) await spendCodes(trx, flow.id, now);
    await setPassword(trx, account.id, chosen.passwordHash, false, now);
    await saveIdentificationAnswer(trx, account.id, chosen.question, chosen.answerHash, now);
    await setProvenEmail(trx, account.id, chosen.email, now);
    // Whoever held a session or a lock under the old password (or none) is out.
    const ended = await endOtherSessions(trx, account.id, null);
    const unlocked = await clearAccountFailures(trx, [account.id], now);
    await trx.insertInto('audit_events').values([
      auditRow({ type: 'password.set_by_link', actorAccountId: account.id, subjectAccountId: account.id, ip, data: { endedSessions: ended, emailChanged: chosen.email !== flow.data.linkEmail?.toLowerCase() } }),
      ...unlocked.map(({ place }) => auditRow({ type: 'sign_in.unlocked', actorAccountId: account.id, subjectAccountId: account.id, ip, data: { by: 'set_password', place } })),
    ]).execute();
    const userCode = formatUserCode(account.userCode);
    await deps.notifier.enqueue(trx, {
      channel: 'email', to: chosen.email, template: 'set_password.done.email', locale: flow.data.locale, params: { name: account.name, userCode, url: deps.signInUrl },
    });
    const { pending: _p, linkEmail: _l, ...rest } = flow.data;
    return move(deps, trx, flow, 'done', { ...rest, values: { nationalId: '', question: '', email: '' }, userCode });
  });
  if (done) return { flow: done, errors: [] };
  const lookup = await invitationById(deps.db, invitationId, now);
  return lookup ? unusable(deps, flow, lookup) : { flow, errors: [{ code: 'set_password.link_invalid' }] };
}

/**
 * A new link for a dead one, to the address on record of the link's account (never to an
 * address typed here). The answer is the same whether it went or not: the per-account limit,
 * the send limits and an account with no address all look alike.
 */
async function newLink(deps: SetPasswordDeps, flow: SetPasswordFlow, ip: string | null): Promise<Result> {
  const now = deps.clock.now();
  const wait = secondsUntil(flow.data.newLinkAt, NEW_LINK_COOLDOWN_SECONDS, now);
  if (wait > 0) return { flow, errors: [{ code: 'set_password.new_link_wait', params: { seconds: wait } }] };
  const lookup = flow.data.invitationId === undefined ? undefined : await invitationById(deps.db, flow.data.invitationId, now);
  const [target] = lookup ? await invitationTargets(deps.db, [lookup.invitation.accountId]) : [];
  let allowed = false;
  if (target && target.email !== null && target.status !== 'disabled' && target.hasNationalId) {
    const hits = await hitCounter(deps.db, 'invitation.new_link', target.accountId, deps.newLinks, now);
    allowed = hits <= deps.newLinks.limit && (await deps.sendGate({ channel: 'email', to: target.email, ip }, now)).ok;
  }
  const next = await deps.db.transaction().execute(async (trx) => {
    if (allowed && target && target.email !== null) {
      await sendInvitation(trx, deps.invitations, { ...target, email: target.email }, { actorAccountId: null, actingMembershipId: null, ip, via: 'new_link' }, now);
    }
    return move(deps, trx, flow, 'link_unusable', { ...flow.data, newLinkAt: now.toISOString() });
  });
  return { flow: next, errors: [] };
}
