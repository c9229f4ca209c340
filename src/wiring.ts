/**
 * The narrow dependencies of every part, built once from the app's (buildApp calls this): the
 * route context, the table of flow kinds, and the OpenID provider. Only wiring: no behaviour.
 */
import { formattingFor } from './i18n/format.ts';
import type { FastifyBaseLogger } from 'fastify';
import { createBatchRunner, type BatchRunner } from './admin/batch-runner.ts';
import { createCaptcha, type CaptchaAnswer } from './captcha/captcha.ts';
import type { Config } from './config.ts';
import type { Db, Listen } from './db/database.ts';
import { createFederation, type Federation } from './federation/provider.ts';
import { asKelidSession, type KelidSession } from './federation/policy.ts';
import { flowKinds } from './flows/all-kinds.ts';
import type { FlowKinds } from './flows/kinds.ts';
import type { RecoveryDeps } from './flows/recovery/steps.ts';
import type { OtpLoginDeps } from './flows/otp-login/steps.ts';
import type { RegistrationDeps } from './flows/registration/steps.ts';
import type { SetPasswordDeps } from './flows/set-password/steps.ts';
import type { RouteContext } from './http/context.ts';
import { siteCookies } from './http/cookies.ts';
import type { Metrics } from './http/metrics.ts';
import { providerViews } from './http/oidc.ts';
import { recordAudit } from './identity/audit.ts';
import type { Clock } from './identity/clock.ts';
import { isoDateIn, profileTimeZone } from './identity/clock.ts';
import type { InvitationSender } from './identity/invitations.ts';
import type { Notifier } from './identity/notifier.ts';
import type { PasswordHasher } from './identity/passwords.ts';
import { endSession, findSession } from './identity/sessions.ts';
import { outboxNotifier } from './notify/outbox.ts';
import { checkSendAllowed } from './notify/send-limits.ts';
import type { Keys } from './secrets.ts';

export type WiringDeps = {
  config: Config; db: Db; listen?: Listen | undefined; clock: Clock; hasher: PasswordHasher; keys: Keys;
  notifier?: Notifier | undefined; batches?: BatchRunner | undefined; log: FastifyBaseLogger;
  /** What the identity and federation layers count (http/metrics.ts). */
  metrics?: Pick<Metrics, 'signIns' | 'granted'> | undefined;
};

export type Wired = { ctx: RouteContext; kinds: FlowKinds; federation: Federation; registration: RegistrationDeps; recovery: RecoveryDeps };

/** How set-password links are made and sent (F19): the bulk runner, the console and the wizard's "new link" alike. */
export const invitationSender = (config: Config, notifier: Notifier): InvitationSender =>
  ({ notifier, publicUrl: config.publicUrl, hours: config.invitations.hours, defaultLocale: config.defaultLocale });

export async function wire(deps: WiringDeps): Promise<Wired> {
  const { config } = deps;
  const cookies = siteCookies(config.publicUrl);
  const timeZone = profileTimeZone[config.profile];
  const today = () => isoDateIn(deps.clock.now(), timeZone);
  const captcha = createCaptcha({ db: deps.db, clock: deps.clock, key: deps.keys.captcha, settings: config.captcha });
  const captchaCheck = { verify: (answer: CaptchaAnswer, now: Date) => captcha.check(answer, now) };
  const signIn = {
    db: deps.db, clock: deps.clock, hasher: deps.hasher, profile: config.profile, timeZone, lockout: config.lockout,
    addressLimit: { limit: config.addressLimit.failures, windowMinutes: config.addressLimit.windowMinutes },
    lifetimes: config.session, deviceKey: deps.keys.device, captcha: captchaCheck, policy: config.passwordPolicy,
    meter: deps.metrics?.signIns,
  };
  // Messages go to the outbox in the caller's transaction (main.ts's notifier also wakes the dispatcher).
  const outbox = deps.notifier ?? outboxNotifier({ profile: config.profile });
  const registration: RegistrationDeps = {
    db: deps.db, clock: deps.clock, hasher: deps.hasher, profile: config.profile, policy: config.passwordPolicy,
    codeKey: deps.keys.codes, codePolicy: config.codes, flowMinutes: config.registration.flowMinutes,
    signInUrl: `${config.publicUrl}/sign-in`, unknownPeople: config.registration.unknownPeople,
    notifier: outbox, captcha: captchaCheck,
    sendGate: (request, now) => checkSendAllowed(deps.db, request, config.sendLimits, now),
    lookups: {
      perPerson: { limit: config.registration.lookupsPerPersonPerHour, windowMinutes: 60 },
      perPersonAnywhere: { limit: config.registration.lookupsPerPersonAnywherePerHour, windowMinutes: 60 },
      perPersonDaily: { limit: config.registration.lookupsPerPersonPerDay, windowMinutes: 24 * 60 },
      perAddress: { limit: config.registration.lookupsPerAddressPerHour, windowMinutes: 60 },
    },
  };
  const recovery: RecoveryDeps = {
    db: deps.db, clock: deps.clock, hasher: deps.hasher, profile: config.profile, policy: config.passwordPolicy,
    codeKey: deps.keys.codes, codePolicy: config.codes, flowMinutes: 60, personalDataKey: deps.keys.personalData, publicUrl: config.publicUrl, deviceKey: deps.keys.device,
    notifier: outbox, captcha: captchaCheck, sendGate: registration.sendGate,
    limits: {
      perNationalId: { limit: config.recovery.perNationalIdPerHour, windowMinutes: 60 },
      perNationalIdAnywhere: { limit: config.recovery.perNationalIdAnywherePerHour, windowMinutes: 60 },
      wrongCodes: { limit: config.recovery.wrongCodesPerDay, windowMinutes: 24 * 60 },
      perAddress: { limit: config.recovery.perAddressPerHour, windowMinutes: 60 },
    },
  };
  const hour = (limit: number) => ({ limit, windowMinutes: 60 });
  const otpLogin: OtpLoginDeps = {
    db: deps.db, clock: deps.clock, profile: config.profile, timeZone, codeKey: deps.keys.codes, codePolicy: config.codes, flowMinutes: 30,
    notifier: outbox, sendGate: registration.sendGate,
    limits: {
      perIdentifierAndAddress: hour(config.codeSignIn.perIdentifierAndAddressPerHour),
      perIdentifier: hour(config.codeSignIn.perIdentifierPerHour),
      perAddress: hour(config.codeSignIn.perAddressPerHour),
      wrongCodes: { limit: config.codeSignIn.wrongCodesPerDay, windowMinutes: 24 * 60 },
    },
    lifetimes: config.session, deviceKey: deps.keys.device, meter: deps.metrics?.signIns,
  };
  const invitations = invitationSender(config, outbox);
  const setPassword: SetPasswordDeps = {
    db: deps.db, clock: deps.clock, hasher: deps.hasher, profile: config.profile, policy: config.passwordPolicy,
    codeKey: deps.keys.codes, codePolicy: config.codes, flowMinutes: 60, notifier: outbox, sendGate: registration.sendGate,
    invitations, newLinks: { limit: config.invitations.newLinksPerHour, windowMinutes: 60 },
    signInUrl: `${config.publicUrl}/sign-in`, policyUrl: `${config.publicUrl}/password-policy`,
  };
  const kinds = flowKinds({
    registration, recovery, otpLogin, setPassword,
    changePassword: { db: deps.db, clock: deps.clock, hasher: deps.hasher, policy: config.passwordPolicy, lockout: config.lockout },
    login: { db: deps.db, clock: deps.clock, signIn, flowMinutes: 30 },
  });

  // The Kelid session of the browser behind a provider request (its cookie), once per request.
  const seen = new WeakMap<object, Promise<KelidSession | undefined>>();
  const sessionOf = (request: { req: object; cookies: { get(name: string): string | undefined } }) => {
    let found = seen.get(request.req);
    if (!found) {
      const token = request.cookies.get(cookies.session);
      found = (token ? findSession(deps.db, token, deps.clock.now(), config.session) : Promise.resolve(undefined)).then((session) => session && asKelidSession(session));
      seen.set(request.req, found);
    }
    return found;
  };
  const federation = await createFederation({
    db: deps.db, listen: deps.listen, issuer: `${config.publicUrl}/oidc`, publicUrl: config.publicUrl, key: deps.keys.federation, secretBox: deps.keys.secretBox,
    sessionCookie: cookies.providerSession, secureCookies: cookies.attributes.secure, defaultLocale: config.defaultLocale, today, sessionSeconds: config.session.maxHours * 3600,
    sessionOf, views: providerViews(formattingFor(config.defaultLocale, config.profile)), secondFactorRequired: config.adminMfa === 'required',
    // An app's sign-out (RP-initiated logout, confirmed) ends the Kelid session of the browser too.
    onLogout: async (ctx) => {
      const session = await sessionOf(ctx);
      if (session) {
        await deps.db.transaction().execute(async (trx) => {
          await endSession(trx, session.id);
          await recordAudit(trx, { type: 'sign_out', actorAccountId: session.accountId, subjectAccountId: session.accountId, ip: ctx.ip, data: { via: 'app' } });
        });
      }
      ctx.cookies.set(cookies.session, null, cookies.attributes);
    },
    onError: (error) => deps.log.error({ err: error }, 'OpenID provider error'),
    onUnopenedKeys: (kids) => deps.log.error({ kids }, 'signing keys that KELID_SECRET cannot open: this process signs with the retired keys until they go; ' +
      'run keys rotate --new-secret with the KELID_SECRET the servers have (docs/operations.md, "Secrets")'),
    onGrant: deps.metrics?.granted,
  }, () => deps.clock.now());

  const ctx: RouteContext = {
    config, db: deps.db, clock: deps.clock, hasher: deps.hasher, policy: config.passwordPolicy, timeZone, today,
    keys: { secretBox: deps.keys.secretBox, codes: deps.keys.codes, federation: deps.keys.federation },
    batches: deps.batches ?? createBatchRunner(
      // Batches wait their turn at the hash queue: no one waits on them at the door (issue 12).
      { db: deps.db, hasher: deps.hasher.background, clock: deps.clock, secretBox: deps.keys.secretBox, qrDays: 30, concurrency: config.hashConcurrency, invitations },
      (error, batchId) => deps.log.error({ err: error, batchId }, 'password batch stopped'),
    ),
    captcha, signIn, kinds, federation, invitations, notifier: outbox,
  };
  return { ctx, kinds, federation, registration, recovery };
}
