/**
 * The sign-in page (F1) and the staff entry (F4), drawn over the login flow (flows/login/):
 * the same page is the OpenID provider's sign-in (the interaction sends people here with
 * `return_to=/interaction/{uid}`). After success it goes on to the forced password change, the
 * role choice (only staff roles from the staff entry), or `return_to`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { withErrors, type Message } from '../../flows/form.ts';
import type { FlowKind, SignedIn } from '../../flows/kinds.ts';
import { signInForm } from '../../flows/login/form.ts';
import type { LoginFlow } from '../../flows/login/machine.ts';
import { discardFlow, loadFlow } from '../../flows/store.ts';
import { statusOfRefusal } from '../../errors.ts';
import { appNameFor, endProviderSession, followSignIn } from '../../federation/interactions.ts';
import { asKelidSession } from '../../federation/policy.ts';
import { recordAudit } from '../../identity/audit.ts';
import { endSession, findSession, replaceSession } from '../../identity/sessions.ts';
import { HashQueueFull } from '../../identity/passwords.ts';
import { parseIdentifier, refuseSignInWhenBusy } from '../../identity/sign-in.ts';
import { publicAnnouncements } from '../../portal/announcements.ts';
import { signInPage } from '../../views/pages/sign-in.ts';
import type { RouteContext } from '../context.ts';
import { safeReturnTo } from '../types.ts';
import { withSecurityImage } from './captcha-image.ts';
import { flowBinding, flowRequestOf } from './flow-pages.ts';
import { formFields, frameFor, sendPage, withReturnTo } from './frame.ts';

/** After signing in: the forced change of a temporary password, then the role choice, then where it was going. */
export function nextAfterSignIn(signedIn: { mustChangePassword: boolean; memberships: number }, returnTo: string | undefined, staff: boolean): string {
  // Signing in for an app: its own role question comes in the interaction (among the roles it serves).
  if (returnTo?.startsWith('/interaction/')) return signedIn.mustChangePassword ? withReturnTo('/password', returnTo) : returnTo;
  const roleChoice = staff ? `/role?staff=1${returnTo ? `&return_to=${encodeURIComponent(returnTo)}` : ''}` : withReturnTo('/role', returnTo);
  if (signedIn.mustChangePassword) return withReturnTo('/password', staff ? roleChoice : returnTo);
  if (signedIn.memberships > 1 || staff) return roleChoice;
  return returnTo ?? '/';
}

/**
 * A new session for this browser (a password, a one-time code, a slip's QR code): its cookie
 * replaces any earlier session's (no fixation), the provider's session of the browser follows
 * the new sign-in (federation/logout.ts followSignIn: another person's ends, its apps told),
 * and the browser gets its device cookie (its own lockout counter from now on: identity/devices.ts).
 * `returnTo`: where the sign-in goes next; an app's sign-in that started under the provider
 * session this one replaces (`/interaction/{uid}`) carries on as the new person's.
 */
export async function startBrowserSession(ctx: RouteContext, request: FastifyRequest, reply: FastifyReply, token: string, deviceCookie: string, returnTo?: string): Promise<void> {
  const cookies = request.server.siteCookies;
  const newSignIn = async () => {
    const session = await findSession(ctx.db, token, ctx.clock.now(), ctx.config.session);
    return session && asKelidSession(session);
  };
  await followSignIn(ctx.federation, { req: request.raw, res: reply.raw }, newSignIn, (error) => request.log.warn({ err: error }, 'back-channel logout failed'), returnTo);
  if (request.auth) await replaceSession(ctx.db, request.auth.id);
  reply.setCookie(cookies.session, token, { ...cookies.attributes, maxAge: ctx.config.session.maxHours * 3600 });
  reply.setCookie(cookies.device, deviceCookie, { ...cookies.attributes, maxAge: 365 * 86_400 });
}

/** A flow signed someone in (a password, a one-time code): the browser's session, and where to go next. */
export async function enterSession(ctx: RouteContext, request: FastifyRequest, reply: FastifyReply, signedIn: SignedIn): Promise<string> {
  await startBrowserSession(ctx, request, reply, signedIn.token, signedIn.deviceCookie, signedIn.returnTo);
  return nextAfterSignIn(signedIn, signedIn.returnTo, signedIn.staff ?? false);
}

/** Signs this browser out of Kelid and of the apps it signed in to (back-channel logout), audited. */
export async function signOut(ctx: RouteContext, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.auth) {
    await endProviderSession(ctx.federation, { req: request.raw, res: reply.raw }, (error) => request.log.warn({ err: error }, 'back-channel logout failed'));
    await ctx.db.transaction().execute(async (trx) => {
      await endSession(trx, request.auth!.id);
      await recordAudit(trx, { type: 'sign_out', actorAccountId: request.auth!.accountId, subjectAccountId: request.auth!.accountId, ip: request.ip });
    });
  }
  // Only a cookie that was sent is cleared: a request that brought none (another site's form:
  // the cookie is SameSite=Lax) changes nothing in the browser.
  if (request.cookies[request.server.siteCookies.session] !== undefined) {
    reply.clearCookie(request.server.siteCookies.session, request.server.siteCookies.attributes);
  }
}

export async function signInPages(app: FastifyInstance, ctx: RouteContext) {
  const login = ctx.kinds.login as unknown as FlowKind<LoginFlow>;

  const show = async (request: FastifyRequest, reply: FastifyReply, options: { staff: boolean; flow?: LoginFlow; errors?: Parameters<typeof withErrors>[1]; status?: number; messages?: Message[] }) => {
    const returnTo = safeReturnTo((request.query as Record<string, unknown>).return_to);
    // The identifier an app hinted at (login_hint, passed on by the interaction page), when it is one: the first form's value, which the person may change.
    const hint = (request.query as Record<string, unknown>).login_hint;
    const hinted = typeof hint !== 'string' || options.errors !== undefined ? undefined : parseIdentifier(hint, ctx.config.profile);
    const base = options.flow ? login.form(options.flow, request.formatting, ctx.clock.now())
      : signInForm(hinted === undefined || 'error' in hinted ? {} : { identifier: hinted.value });
    const form = withSecurityImage(withErrors({ ...base, messages: options.messages ?? base.messages }, options.errors ?? []), ctx.captcha);
    const title = options.staff ? 'sign_in.staff_title' : 'sign_in.title';
    // The code sign-in, unless the app (or the console) asked for a password.
    const query = request.query as Record<string, unknown>;
    const passwordOnly = query.password === '1';
    const codeHref = passwordOnly ? null : `${withReturnTo('/sign-in/code', returnTo)}${options.staff ? `${returnTo ? '&' : '?'}staff=1` : ''}`;
    // Both entries keep where the person is going (an app's sign-in) and whether the app asked for a password.
    const entry = (path: string) => { const href = withReturnTo(path, returnTo); return passwordOnly ? `${href}${returnTo ? '&' : '?'}password=1` : href; };
    return sendPage(reply, signInPage(frameFor(request, reply, request.t(title)), form, {
      action: entry(options.staff ? '/sign-in/staff' : '/sign-in'), otherEntryHref: entry(options.staff ? '/sign-in' : '/sign-in/staff'),
      flowId: options.flow?.id ?? null, staff: options.staff, codeHref,
      recoverHref: withReturnTo('/recover', returnTo), registerHref: withReturnTo('/register', returnTo),
      appName: await appNameFor(ctx.federation, returnTo, request.locale),
      news: (await publicAnnouncements(ctx.db, ctx.today())).map((a) => ({ id: a.id, title: a.title, text: a.text, organization: a.organization.name, startsOn: a.startsOn })),
    }), options.status ?? 200);
  };

  for (const staff of [false, true]) {
    const path = staff ? '/sign-in/staff' : '/sign-in';

    app.get(path, async (request, reply) => {
      const query = request.query as Record<string, unknown>;
      const returnTo = safeReturnTo(query.return_to);
      // An app may ask for a fresh sign-in (prompt=login, max_age): the form, even when signed in.
      const again = query.again === '1';
      if (request.auth && !again) return reply.redirect(staff ? nextAfterSignIn({ mustChangePassword: false, memberships: 2 }, returnTo, true) : returnTo ?? '/');
      const messages: Message[] = 'signed_out' in query ? [{ kind: 'info', code: 'sign_in.signed_out' }] : again ? [{ kind: 'info', code: 'oidc.sign_in_again' }] : [];
      return show(request, reply, { staff, messages });
    });

    // Its fields are read by formFields, which refuses malformed text beside the field: the form is drawn again.
    app.post(path, { preValidation: app.csrfProtection, config: { ownTextCheck: true } }, async (request, reply) => {
      const returnTo = safeReturnTo((request.query as Record<string, unknown>).return_to);
      const fields = formFields(request.body, ['identifier', 'password', 'captcha', 'captchaId', 'flow'] as const);
      if ('invalid' in fields) return show(request, reply, { staff, errors: [{ code: fields.code, field: fields.invalid }], status: 400 });
      // Under load, refused (503) before the flow is even looked up: nothing is written. (Requests
      // racing past this check together are refused by the sign-in itself: their new flow goes.)
      refuseSignInWhenBusy(ctx.signIn, request.ip);
      const binding = flowBinding(request, reply);
      const flowRequest = flowRequestOf(request, binding);
      // The same flow through every try (its typed identifier, whether the captcha is due); a new one when there is none.
      const found = fields.flow === '' ? undefined : await loadFlow<LoginFlow>(ctx.db, fields.flow, { kind: 'login', binding, now: ctx.clock.now() });
      const made = !(typeof found === 'object' && found.state === 'identify');
      const flow = made ? await login.start(flowRequest, { returnTo, ...(staff ? { staff: '1' } : {}) }) : found;
      if (!flow) return show(request, reply, { staff, status: 400 });
      let outcome;
      try {
        outcome = await login.step(flow, fields, flowRequest);
      } catch (error) {
        if (made && error instanceof HashQueueFull) await discardFlow(ctx.db, flow.id);
        throw error;
      }
      if (!outcome.signedIn) {
        const refusal = outcome.errors[0];
        const seconds = refusal?.params?.seconds;
        if (seconds !== undefined) reply.header('retry-after', String(seconds));
        const status = refusal ? statusOfRefusal(refusal.code) : 400;
        return show(request, reply, { staff, flow: outcome.flow, errors: outcome.errors, status: status === 401 ? 400 : status });
      }
      return reply.redirect(await enterSession(ctx, request, reply, { ...outcome.signedIn, returnTo, staff }), 303);
    });
  }

  // A tab left open signs out whatever happened in another since (signed out there, or signed
  // in as someone else on a shared computer), rather than saying its form expired:
  // - no session cookie at all: the request can end and clear nothing (signOut);
  // - a button pressed on a page of this very origin, as the browser says (Sec-Fetch-Site
  //   same-origin and Sec-Fetch-User, which no page can set): no other site made the request,
  //   which is all the token proves here. Not a form a page submits by itself (an app's
  //   form_post answer is served from this origin too).
  // Anything else asks for the token drawn with the cookie, as every form does.
  const signedInCsrf = (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
    const pressedHere = request.headers['sec-fetch-site'] === 'same-origin' && request.headers['sec-fetch-user'] === '?1';
    if (request.cookies[request.server.siteCookies.session] === undefined || pressedHere) done();
    else app.csrfProtection(request, reply, done);
  };
  app.post('/sign-out', { preValidation: signedInCsrf }, async (request, reply) => {
    await signOut(ctx, request, reply);
    return reply.redirect('/sign-in?signed_out', 303);
  });
}
