/**
 * Registration, the part with I/O: captcha, registry, duplicate check, codes, messages and
 * the account. Everything a step changes, and the messages it causes, commit together.
 */
import type { Locale } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { clip } from '../../domain/text.ts';
import type { PasswordPolicy } from '../../domain/password-policy.ts';
import type { Profile } from '../../domain/profile.ts';
import { formatUserCode, withFreshCode } from '../../identity/accounts.ts';
import { auditRow, type Executor } from '../../identity/audit.ts';
import type { Clock } from '../../identity/clock.ts';
import { checkCode, cooldownLeft, issueCode, spendCodes, type CodePolicy } from '../../identity/codes.ts';
import type { Notifier } from '../../identity/notifier.ts';
import { addressKeyOf } from '../../domain/client-address.ts';
import { withHashRoom, type PasswordHasher } from '../../identity/passwords.ts';
import { firstOver, type WindowLimit } from '../../identity/rate-limits.ts';
import type { SendDecision, SendRequest } from '../../notify/send-limits.ts';
import type { FieldErrors, StepResult } from '../flow.ts';
import { advanceFlow, createFlow, FlowChanged } from '../store.ts';
import { actions, emptyValues, sameName, validateDetails, type Details, type DetailValues, type RegistrationData, type RegistrationFlow, type RegistrationState } from './machine.ts';

/** Whether one more message may go to this recipient from this address (src/notify/send-limits.ts). */
export type SendGate = (request: SendRequest, now: Date) => Promise<SendDecision>;

/**
 * How a captcha is checked (src/captcha/ implements it): the form's `captcha`, `captchaId` when
 * it answers a security image, and the client address (the image's sum counts per address).
 */
export type CaptchaCheck = { verify(answer: { captcha?: string | undefined; captchaId?: string | undefined; ip: string | null }, now: Date): Promise<boolean> };

export type RegistrationDeps = {
  db: Db; clock: Clock; hasher: PasswordHasher; profile: Profile; policy: PasswordPolicy;
  codeKey: Buffer; codePolicy: CodePolicy; flowMinutes: number;
  /** Where the sign-in page is, for the messages that confirm the account. */
  signInUrl: string;
  /** Whether a person the registry does not hold may register (for review) or is refused. */
  unknownPeople: 'refuse' | 'review';
  notifier: Notifier; captcha: CaptchaCheck;
  /** Sends per number, per address and the SMS budget (SMS pumping), checked before a code is made. */
  sendGate: SendGate;
  /**
   * Details looked up in the registry (lookups), counted whatever they find: per person (a
   * national ID or a passport) from one client address (an IPv6 client by its /64), per person
   * from everywhere in an hour and in a day, and per client address.
   */
  lookups: { perPerson: WindowLimit; perPersonAnywhere: WindowLimit; perPersonDaily: WindowLimit; perAddress: WindowLimit };
};

export type Input = Record<string, string>;
type Result = StepResult<RegistrationFlow>;

export async function startRegistration(deps: RegistrationDeps, locale: Locale, binding: string | null, international = false, returnTo?: string): Promise<RegistrationFlow> {
  const now = deps.clock.now();
  // Non-citizens register on the English page (seed 2, rule 1): their flow is English throughout.
  const data: RegistrationData = {
    ...(international ? { locale: 'en', international: true, values: { ...emptyValues, nationality: 'foreign' } } : { locale, values: emptyValues }),
    ...(returnTo ? { returnTo } : {}),
  };
  return createFlow<RegistrationFlow>(deps.db, {
    kind: 'registration', state: 'rules', data, binding,
    expiresAt: new Date(now.getTime() + deps.flowMinutes * 60_000),
  });
}

const refuse = (flow: RegistrationFlow, errors: FieldErrors): Result => ({ flow, errors });

const move = (deps: RegistrationDeps, db: Executor, flow: RegistrationFlow, state: RegistrationState, data: RegistrationData) =>
  advanceFlow(db, flow, { state, data }, deps.clock.now());

export async function stepRegistration(deps: RegistrationDeps, flow: RegistrationFlow, input: Input, ip: string | null): Promise<Result> {
  const action = input.action ?? (flow.state === 'rules' ? 'accept' : flow.state === 'details' ? 'submit' : 'verify');
  if (!actions[flow.state].includes(action)) return refuse(flow, [{ code: 'flow.action_not_allowed' }]);
  try {
    if (action === 'accept') return await acceptRules(deps, flow, input);
    // The details are hashed (the password) after the captcha is spent: the hash's place comes first (issue 12).
    if (action === 'submit') return await withHashRoom(deps, (reserved) => submitDetails(reserved, flow, input, ip), addressKeyOf(ip));
    if (action === 'edit') return { flow: await move(deps, deps.db, flow, 'details', withoutProof(flow.data)), errors: [] };
    if (action === 'send_sms' || action === 'send_call') return await sendMobileCode(deps, flow, action === 'send_call' ? 'call' : 'sms', ip);
    if (action === 'send_mobile_code') return await sendMobileCode(deps, flow, input.method === 'call' ? 'call' : 'sms', ip);
    if (action === 'send_email_code') return await sendEmailCode(deps, flow, ip);
    return await verifyAndCreate(deps, flow, input, ip);
  } catch (error) {
    if (error instanceof FlowChanged) return refuse(flow, [{ code: 'flow.changed' }]);
    throw error;
  }
}

const withoutProof = ({ details: _d, passwordHash: _p, selfDeclared: _s, mobileMethod: _m, mobileSentAt: _ms, emailSentAt: _es, ...rest }: RegistrationData): RegistrationData => rest;

async function acceptRules(deps: RegistrationDeps, flow: RegistrationFlow, input: Input): Promise<Result> {
  if (input.accept !== 'yes') return refuse(flow, [{ code: 'rules.must_accept', field: 'accept' }]);
  return { flow: await move(deps, deps.db, flow, 'details', flow.data), errors: [] };
}

async function submitDetails(deps: RegistrationDeps, flow: RegistrationFlow, input: Input, ip: string | null): Promise<Result> {
  const values: DetailValues = { ...emptyValues };
  for (const key of Object.keys(emptyValues) as (keyof DetailValues)[]) values[key] = clip(input[key] ?? '', 256);
  const kept = { ...flow, data: { ...flow.data, values } };
  const checked = validateDetails({ ...values, password: input.password ?? '', repeat: input.repeat ?? '' }, { profile: deps.profile, locale: flow.data.locale, policy: deps.policy, international: flow.data.international ?? false });
  const errors: FieldErrors = checked.ok ? [] : [...checked.errors];
  // The captcha comes last on the form and is checked only when the rest is valid: a solved
  // challenge is spent once, and a typo elsewhere must not cost the person a new one.
  if (errors.length === 0 && !(await deps.captcha.verify({ captcha: input.captcha, captchaId: input.captchaId, ip }, deps.clock.now()))) errors.push({ code: 'captcha.invalid', field: 'captcha' });
  if (!checked.ok || errors.length > 0) return refuse(await move(deps, deps.db, flow, 'details', kept.data), errors);

  const { details } = checked;
  const limited = await overLookupLimits(deps, details, ip);
  if (limited) return refuse(await move(deps, deps.db, flow, 'details', kept.data), [limited]);
  const person = await findPerson(deps.db, details);
  if (person?.account_id) {
    return refuse(await move(deps, deps.db, flow, 'details', kept.data), [{ code: details.passport ? 'passport.already_registered' : 'national_id.already_registered' }]);
  }
  if (person && !(sameName(person.first_name, details.firstName) && sameName(person.last_name, details.lastName) && person.birth_date === details.birthDate)) {
    // A passport's person is one who registered before (the registry holds citizens only).
    return refuse(await move(deps, deps.db, flow, 'details', kept.data), [{ code: details.passport ? 'passport.mismatch' : 'registry.mismatch' }]);
  }
  // The civil registry holds citizens only: a passport is always a self-declared identity.
  if (!person && !details.passport && deps.unknownPeople === 'refuse') return refuse(await move(deps, deps.db, flow, 'details', kept.data), [{ code: 'registry.not_found', field: 'nationalId' }]);

  const allowed = await deps.sendGate({ channel: 'email', to: details.email, ip }, deps.clock.now());
  if (!allowed.ok) return refuse(await move(deps, deps.db, flow, 'details', kept.data), [{ code: allowed.code, field: 'email', params: { seconds: allowed.retryAfterSeconds } }]);
  const passwordHash = await deps.hasher.hash(input.password ?? '');
  const data: RegistrationData = { ...kept.data, details, passwordHash, selfDeclared: !person };
  const moved = await deps.db.transaction().execute((trx) => sendEmailCodeIn(deps, trx, flow, data));
  return { flow: moved, errors: [] };
}

/**
 * The lookups' limits (RegistrationDeps.lookups), each lookup counted whether or not it finds
 * anyone. The answers after a lookup tell what F12 requires them to (an account already there)
 * and whether the name and birth date are the registry's: without a ceiling per person, a
 * captcha a try was all that stood between anyone and someone's birth date (an attacker
 * review). The refusal, when one is over its limit.
 */
async function overLookupLimits(deps: RegistrationDeps, details: Details, ip: string | null): Promise<FieldErrors[number] | undefined> {
  const now = deps.clock.now();
  const person = details.passport ? `passport:${details.passport.country}:${details.passport.number}` : `national_id:${details.nationalId}`;
  const address = addressKeyOf(ip);
  const { perPerson, perPersonAnywhere, perPersonDaily, perAddress } = deps.lookups;
  // The day's ceiling first: past it, the refusal says to come back tomorrow, whatever else is over.
  const over = await firstOver(deps.db, [
    { bucket: 'registration_person_day', key: person, window: perPersonDaily },
    { bucket: 'registration_person', key: `${person}@${address}`, window: perPerson },
    { bucket: 'registration_person_all', key: person, window: perPersonAnywhere },
    { bucket: 'registration_ip', key: ip === null ? null : address, window: perAddress },
  ], now);
  if (!over) return undefined;
  return over === perPersonDaily ? { code: 'registration.too_many_today' } : { code: 'registration.too_many', params: { minutes: perPerson.windowMinutes } };
}

/** Moves the flow to verify with `data`, noting when, and sends the email code with it (one transaction). */
async function sendEmailCodeIn(deps: RegistrationDeps, db: Executor, flow: RegistrationFlow, data: RegistrationData): Promise<RegistrationFlow> {
  const now = deps.clock.now();
  const details = data.details!;
  const moved = await move(deps, db, flow, 'verify', { ...data, emailSentAt: now.toISOString() });
  const code = await issueCode(db, deps.codeKey, { flowId: flow.id, purpose: 'email', target: details.email }, deps.codePolicy, now);
  await deps.notifier.enqueue(db, { channel: 'email', to: details.email, template: 'verification.email', locale: flow.data.locale, params: { code } });
  return moved;
}

async function sendEmailCode(deps: RegistrationDeps, flow: RegistrationFlow, ip: string | null): Promise<Result> {
  const wait = await cooldownLeft(deps.db, { flowId: flow.id, purpose: 'email' }, deps.codePolicy, deps.clock.now());
  if (wait > 0) return refuse(flow, [{ code: 'code.cooldown', field: 'emailCode', params: { seconds: wait } }]);
  const allowed = await deps.sendGate({ channel: 'email', to: flow.data.details!.email, ip }, deps.clock.now());
  if (!allowed.ok) return refuse(flow, [{ code: allowed.code, field: 'emailCode', params: { seconds: allowed.retryAfterSeconds } }]);
  return { flow: await deps.db.transaction().execute((trx) => sendEmailCodeIn(deps, trx, flow, flow.data)), errors: [] };
}

async function sendMobileCode(deps: RegistrationDeps, flow: RegistrationFlow, method: 'sms' | 'call', ip: string | null): Promise<Result> {
  const now = deps.clock.now();
  const wait = await cooldownLeft(deps.db, { flowId: flow.id, purpose: 'mobile' }, deps.codePolicy, now);
  if (wait > 0) return refuse(flow, [{ code: 'code.cooldown', field: 'mobileCode', params: { seconds: wait } }]);
  const details = flow.data.details!;
  // Counted outside the code's transaction, so a refusal (and its audit event) stands.
  const allowed = await deps.sendGate({ channel: method === 'call' ? 'voice' : 'sms', to: details.mobile, ip }, now);
  if (!allowed.ok) return refuse(flow, [{ code: allowed.code, field: 'mobileCode', params: { seconds: allowed.retryAfterSeconds } }]);
  const next = await deps.db.transaction().execute(async (trx) => {
    const moved = await move(deps, trx, flow, 'verify', { ...flow.data, mobileMethod: method, mobileSentAt: now.toISOString() });
    const code = await issueCode(trx, deps.codeKey, { flowId: flow.id, purpose: 'mobile', target: details.mobile }, deps.codePolicy, now);
    await deps.notifier.enqueue(trx, {
      channel: method === 'call' ? 'voice' : 'sms', to: details.mobile, template: method === 'call' ? 'verification.voice' : 'verification.sms',
      locale: flow.data.locale, params: { code },
    });
    return moved;
  });
  return { flow: next, errors: [] };
}

async function verifyAndCreate(deps: RegistrationDeps, flow: RegistrationFlow, input: Input, ip: string | null): Promise<Result> {
  const details = flow.data.details!;
  const now = deps.clock.now();
  const mobile = await checkCode(deps.db, deps.codeKey, { flowId: flow.id, purpose: 'mobile', target: details.mobile }, input.mobileCode ?? '', deps.codePolicy, now);
  const email = await checkCode(deps.db, deps.codeKey, { flowId: flow.id, purpose: 'email', target: details.email }, input.emailCode ?? '', deps.codePolicy, now);
  // Spent a moment ago by a racing request (a double click) that moved the flow on: as for any flow moved on, not a wrong code.
  if (mobile === 'code.spent' || email === 'code.spent') throw new FlowChanged();
  const errors: FieldErrors = [];
  // The seed's words for registration's codes: "activation codes" (001:137, 205).
  // The stable codes (code.expired, code.invalid), in the seed's words for an activation code.
  if (mobile !== 'ok') errors.push({ code: mobile === 'code.invalid' ? 'code.sms_invalid' : mobile, ...(mobile === 'code.expired' ? { text: 'code.activation_expired' as const } : {}), field: 'mobileCode' });
  if (email !== 'ok') errors.push({ code: email, ...(email === 'code.invalid' ? { text: 'code.activation_invalid' as const } : email === 'code.expired' ? { text: 'code.activation_expired' as const } : {}), field: 'emailCode' });
  if (errors.length > 0) return refuse(flow, errors);
  return createAccount(deps, flow, ip);
}

async function createAccount(deps: RegistrationDeps, flow: RegistrationFlow, ip: string | null): Promise<Result> {
  const { details, passwordHash, locale } = flow.data;
  if (!details || !passwordHash) return refuse(flow, [{ code: 'flow.action_not_allowed' }]);
  try {
    const done = await deps.db.transaction().execute(async (trx) => {
      // Both codes are spent together with the account; a parallel request that spent them first wins.
      if (await spendCodes(trx, flow.id, deps.clock.now()) < 2) throw new FlowChanged();
      // The unique keys on people.national_id and accounts.person_id make a second account
      // impossible however many submissions race: the losers fail here and roll back whole.
      const existing = await findPerson(trx, details);
      const personId = existing?.id ?? (await trx.insertInto('people').values({
        national_id: details.nationalId, passport_number: details.passport?.number ?? null, passport_country: details.passport?.country ?? null,
        first_name: details.firstName, last_name: details.lastName, birth_date: details.birthDate, registry_status: 'self_declared',
      }).returning('id').executeTakeFirstOrThrow()).id;
      // A user code that is taken is drawn again; a second account for the person is still an error (the race above).
      const { account, userCode } = await withFreshCode(async (code) => {
        const row = await trx.insertInto('accounts').values({
          person_id: personId, user_code: code, status: 'pending', mobile: details.mobile, email: details.email, locale, created_at: deps.clock.now(), email_verified_at: deps.clock.now(),
        }).onConflict((oc) => oc.column('user_code').doNothing()).returning('id').executeTakeFirst();
        return row && { account: row, userCode: code };
      });
      // Citizens sign in with their national ID; non-citizens with the user code (F15).
      const username = details.nationalId ?? formatUserCode(userCode);
      await trx.insertInto('credentials').values({ account_id: account.id, password_hash: passwordHash }).execute();
      await trx.insertInto('audit_events').values(auditRow({
        type: 'registration.completed', actorAccountId: account.id, subjectAccountId: account.id, ip, data: { selfDeclared: flow.data.selfDeclared ?? false },
      })).execute();
      const params = { username, name: `${details.firstName} ${details.lastName}`, url: deps.signInUrl };
      await deps.notifier.enqueue(trx, { channel: 'sms', to: details.mobile, template: 'registration.done.sms', locale, params });
      await deps.notifier.enqueue(trx, { channel: 'email', to: details.email, template: 'registration.done.email', locale, params });
      const { passwordHash: _spent, ...rest } = flow.data;
      return move(deps, trx, flow, 'done', { ...rest, username });
    });
    return { flow: done, errors: [] };
  } catch (error) {
    if (isUniqueViolation(error)) return refuse(flow, [{ code: details.passport ? 'passport.already_registered' : 'national_id.already_registered' }]);
    throw error;
  }
}

/** The person behind the details, by national ID or by passport, with their account if any. */
async function findPerson(db: Executor, details: Details) {
  let query = db.selectFrom('people as p').leftJoin('accounts as a', 'a.person_id', 'p.id')
    .select(['p.id', 'p.first_name', 'p.last_name', 'p.birth_date', 'a.id as account_id']);
  query = details.passport
    ? query.where('p.passport_country', '=', details.passport.country).where('p.passport_number', '=', details.passport.number)
    : query.where('p.national_id', '=', details.nationalId);
  return query.executeTakeFirst();
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === '23505';
}
