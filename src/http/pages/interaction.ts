/**
 * The OpenID provider's interactions are Kelid's own pages (issue 10 §2). The provider sends
 * the browser to /interaction/{uid} when it needs a person (federation/policy.ts says why):
 *
 *   login       signed in to Kelid already (and recently enough, and with the factor asked)?
 *               then straight through; else Kelid's sign-in page, the forced password change,
 *               the second factor, each coming back here
 *   consent     a third-party app: what it asks to know, in the person's language
 *   kelid_role  the role to act as in this app: among the roles it serves; none → refused
 *               (the app gets access_denied); one → taken; several → the person chooses
 *
 * Any way of signing in that makes a Kelid session (a password today, a code tomorrow) plugs
 * in here: this page only asks whether the browser has a live Kelid session.
 *
 * A silent request (`prompt=none`, federation/silent.ts) is shown no page: where one would be,
 * the app hears `login_required` (a sign-in, a password or a second factor to give),
 * `interaction_required` (a role to choose, a temporary password to change), `consent_required`
 * (a third-party app's consent) or `access_denied` (no role the app serves).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isAdminRole } from '../../admin/permissions.ts';
import { decideRole } from '../../federation/acting.ts';
import type { SilentError } from '../../federation/silent.ts';
import { asKelidSession } from '../../federation/policy.ts';
import { secondFactorPassed, finish, grantConsent, hintedPerson, interactionOf, loginResult, recordActing, servingMemberships, type InteractionView } from '../../federation/interactions.ts';
import { withErrors } from '../../flows/form.ts';
import { signedInFor } from '../../flows/store.ts';
import { roleChoiceForm } from '../../flows/role-choice/form.ts';
import { firstLocaleOf } from '../plugins/i18n.ts';
import { auditRow } from '../../identity/audit.ts';
import { hasConfirmedTotp } from '../../identity/mfa.ts';
import { hasPasskey } from '../../identity/passkeys.ts';
import type { CurrentSession } from '../../identity/sessions.ts';
import { consentPage, expiredPage, refusalPage, appRolePage } from '../../views/pages/interaction.ts';
import { clip } from '../../domain/text.ts';
import type { RouteContext } from '../context.ts';
import { formFields, frameFor, noStore, PERSON_HINTS, sendPage, withReturnTo } from './frame.ts';
import { signOut } from './sign-in.ts';

type Params = { Params: { uid: string } };

/** Second factors a client asked for, or an admin role needs, can only be given by who has one. */
async function hasSecondFactor(ctx: RouteContext, accountId: string) {
  const [totp, passkey] = await Promise.all([hasConfirmedTotp(ctx.db, accountId), hasPasskey(ctx.db, accountId)]);
  return totp || passkey;
}

export async function interactionPages(app: FastifyInstance, ctx: RouteContext) {
  const here = (uid: string) => `/interaction/${uid}`;
  const raw = (request: FastifyRequest, reply: FastifyReply) => ({ req: request.raw, res: reply.raw });
  const load = async (request: FastifyRequest<Params>, reply: FastifyReply) => {
    const view = await interactionOf(ctx.federation, raw(request, reply), request.params.uid, request.locale);
    const signedIn = Boolean(request.auth);
    if (!view) sendPage(noStore(reply), expiredPage(frameFor(request, reply, request.t(signedIn ? 'oidc.closed_title' : 'oidc.expired_title')), { signedIn }), 410);
    return view;
  };
  const go = async (request: FastifyRequest, reply: FastifyReply, result: Parameters<typeof finish>[2]) =>
    reply.redirect(await finish(ctx.federation, raw(request, reply), result), 303);
  const refuse = async (request: FastifyRequest, reply: FastifyReply, view: InteractionView, reason: string) => {
    await ctx.db.insertInto('audit_events').values(auditRow({
      type: 'oidc.access_denied', actorAccountId: request.auth?.accountId ?? null, subjectAccountId: request.auth?.accountId ?? null, ip: request.ip,
      data: { clientId: view.app.clientId, reason },
    })).execute();
    return go(request, reply, { error: 'access_denied', error_description: reason });
  };

  /** A page for the person, or for a silent request the error that says one was needed (OIDC Core 3.1.2.6). */
  const page = (request: FastifyRequest, reply: FastifyReply, view: InteractionView, needed: SilentError, show: () => FastifyReply | Promise<FastifyReply>) =>
    view.silent ? go(request, reply, { error: needed, error_description: `${needed.replace('_required', '')} is needed and the app asked for no page (prompt=none)` }) : show();

  /**
   * The Kelid session may stand for this sign-in: live, and made for this very request when the
   * app asked for a fresh one (prompt=login, max_age=0), or no older than its max_age. (Upstream
   * gives the max_age reason whenever it has no session of its own yet, however fresh Kelid's.)
   */
  const usable = async (session: CurrentSession | null, view: InteractionView) => {
    if (!session) return false;
    // In whole seconds, as the ID token's auth_time and the app's own check of it count (strictly within, at its edge).
    const age = Math.floor(ctx.clock.now().getTime() / 1000) - Math.floor(session.createdAt.getTime() / 1000);
    const recentEnough = view.maxAge !== undefined && view.maxAge > 0 && age < view.maxAge;
    const fresh = view.prompt.reasons.includes('login_prompt') || (view.prompt.reasons.includes('max_age') && !recentEnough);
    return !fresh || signedInFor(ctx.db, here(view.uid), session.id);
  };

  // The password sign-in (no code offered) for a session made by a code, then back.
  const passwordSignIn = (request: FastifyRequest, reply: FastifyReply, view: InteractionView) =>
    page(request, reply, view, 'login_required', () => reply.redirect(`${withReturnTo('/sign-in', here(view.uid))}&again=1&password=1`, 303));
  // The second factor comes after a password: a session signed in by a code signs in with the password first, then /mfa.
  const secondFactorFirst = (request: FastifyRequest, reply: FastifyReply, view: InteractionView, session: NonNullable<FastifyRequest['auth']>) => session.amr.includes('pwd')
    ? page(request, reply, view, 'login_required', () => reply.redirect(withReturnTo('/mfa', here(view.uid)), 303))
    : passwordSignIn(request, reply, view);
  // The app's login_hint goes along in the address (the browser holds it already, in the app's request): the sign-in page fills it in.
  const signInPage = (request: FastifyRequest, reply: FastifyReply, view: InteractionView, query = '') =>
    page(request, reply, view, 'login_required', () => reply.redirect(
      `${withReturnTo('/sign-in', here(view.uid))}${query}${view.loginHint === undefined ? '' : `&login_hint=${encodeURIComponent(clip(view.loginHint, 64))}`}`, 303));

  const login = async (request: FastifyRequest<Params>, reply: FastifyReply, view: InteractionView) => {
    const session = request.auth;
    const back = here(view.uid);
    if (!(await usable(session, view))) return signInPage(request, reply, view, `${session ? '&again=1' : ''}${view.passwordAsked ? '&password=1' : ''}`);
    // The app expects someone else (id_token_hint): that person signs in here. Signed in for this
    // very request and still someone else, the app hears login_required (OIDC Core 3.1.2.1).
    if (!(await hintedPerson(ctx.federation, view, session!.accountId))) {
      if (await signedInFor(ctx.db, back, session!.id)) return go(request, reply, { error: 'login_required', error_description: 'the person signed in is not the one id_token_hint names' });
      return signInPage(request, reply, view, `&again=1${view.passwordAsked ? '&password=1' : ''}`);
    }
    // The app asked for a password, and this sign-in was made by a code: the password sign-in (no code offered).
    if (view.passwordAsked && !session!.amr.includes('pwd')) return passwordSignIn(request, reply, view);
    if (session!.mustChangePassword) return page(request, reply, view, 'interaction_required', () => reply.redirect(withReturnTo('/password', back), 303));
    if (view.mfaAsked && !secondFactorPassed(session!) && await hasSecondFactor(ctx, session!.accountId)) return secondFactorFirst(request, reply, view, session!);
    return go(request, reply, loginResult(asKelidSession(session!)));
  };

  const role = async (request: FastifyRequest<Params>, reply: FastifyReply, view: InteractionView, errors: Parameters<typeof withErrors>[1] = []): Promise<FastifyReply> => {
    const session = request.auth;
    if (!session) return signInPage(request, reply, view);
    const serving = await servingMemberships(ctx.db, session.accountId, ctx.today(), view.app);
    const decision = decideRole(serving, {
      // A pre-registration (F14) uses no service until its profile is complete.
      pending: session.accountStatus === 'pending', asksRoles: view.scopes.includes('roles'), servesRoles: view.app.roles,
      secondFactorPassed: secondFactorPassed(session), secondFactorRequired: ctx.config.adminMfa === 'required',
    });
    if (decision.kind === 'refuse') {
      // No page to offer another account on: the app hears access_denied at once.
      if (view.silent) return refuse(request, reply, view, decision.reason === 'pending' ? 'pending_registration' : 'no_role_for_app');
      return sendPage(noStore(reply), refusalPage(frameFor(request, reply, request.t('oidc.refused_title')), { app: view.app.name, reason: decision.reason, action: `${here(view.uid)}/deny`, switchAction: `${here(view.uid)}/switch` }), 403);
    }
    // One role, or an app that does not hear of roles (no `roles` scope): nothing to ask.
    if (decision.kind !== 'ask' && errors.length === 0) return choose(request, reply, view, decision.kind === 'take' ? decision.membershipId : serving[0]?.id ?? null);
    const form = withErrors(roleChoiceForm(serving, null), errors);
    return page(request, reply, view, 'interaction_required', () =>
      sendPage(noStore(reply), appRolePage(frameFor(request, reply, request.t('role_choice.title')), { app: view.app.name, form, action: `${here(view.uid)}/role` }), errors.length > 0 ? 400 : 200));
  };

  const choose = async (request: FastifyRequest<Params>, reply: FastifyReply, view: InteractionView, membershipId: string | null): Promise<FastifyReply> => {
    const session = request.auth!;
    const serving = await servingMemberships(ctx.db, session.accountId, ctx.today(), view.app);
    const chosen = serving.find((m) => m.id === membershipId);
    if (membershipId !== null && !chosen) return role(request, reply, view, [{ code: 'role_choice.invalid', field: 'membershipId' }]);
    // Acting as an administrator in an app needs the second factor, as at the console's door.
    if (chosen && isAdminRole(chosen.role) && ctx.config.adminMfa === 'required' && !secondFactorPassed(session)) return secondFactorFirst(request, reply, view, session);
    if (!view.grantId) return reply.redirect(here(view.uid), 303);
    await recordActing(ctx.db, view.grantId, session.accountId, chosen?.id ?? null, session.id);
    await ctx.db.insertInto('audit_events').values(auditRow({
      type: 'oidc.signed_in', actorAccountId: session.accountId, actingMembershipId: chosen?.id ?? null, subjectAccountId: session.accountId, ip: request.ip,
      data: { clientId: view.app.clientId, role: chosen?.role ?? null },
    })).execute();
    return go(request, reply, { kelid_role: {} } as Parameters<typeof finish>[2]);
  };

  app.get<Params>('/interaction/:uid', async (request, reply) => {
    const view = await load(request, reply);
    if (!view) return reply;
    // The app may say the person's language (ui_locales) when the person has not chosen one here.
    const asked = firstLocaleOf(view.uiLocales.join(' '));
    if (asked && asked !== request.locale && request.cookies[request.server.siteCookies.lang] === undefined) return reply.redirect(`${here(view.uid)}?lang=${asked}`, 303);
    noStore(reply);
    if (view.prompt.name === 'login') return login(request, reply, view);
    if (view.prompt.name === 'kelid_role') return role(request, reply, view);
    if (view.prompt.name === 'consent') {
      if (!request.auth) return signInPage(request, reply, view);
      // The ministry's own apps are granted what they may ask without a page (even when they say prompt=consent).
      if (view.app.firstParty) return go(request, reply, { consent: { grantId: await grantConsent(ctx.federation, view, request.auth.accountId) } });
      return page(request, reply, view, 'consent_required', () => sendPage(reply, consentPage(frameFor(request, reply, request.t('oidc.consent_title')), { app: view.app.name, scopes: view.scopes, action: `${here(view.uid)}/consent` })));
    }
    return sendPage(reply, expiredPage(frameFor(request, reply, request.t('oidc.expired_title')), { signedIn: false }), 400);
  });

  app.post<Params>('/interaction/:uid/role', { preValidation: app.csrfProtection }, async (request, reply) => {
    const view = await load(request, reply);
    if (!view) return reply;
    if (view.prompt.name !== 'kelid_role' || !request.auth) return reply.redirect(here(view.uid), 303);
    const fields = formFields(request.body, ['membershipId'] as const);
    if ('invalid' in fields || fields.membershipId === '') return role(request, reply, view, [{ code: 'role_choice.required', field: 'membershipId' }]);
    return choose(request, reply, view, fields.membershipId);
  });

  app.post<Params>('/interaction/:uid/consent', { preValidation: app.csrfProtection }, async (request, reply) => {
    const view = await load(request, reply);
    if (!view) return reply;
    if (view.prompt.name !== 'consent' || !request.auth) return reply.redirect(here(view.uid), 303);
    const fields = formFields(request.body, ['decision'] as const);
    if ('invalid' in fields || fields.decision !== 'allow') return refuse(request, reply, view, 'consent_refused');
    const grantId = await grantConsent(ctx.federation, view, request.auth.accountId);
    return go(request, reply, { consent: { grantId } });
  });

  // "Sign in with another account": out of Kelid (and its apps), then the app's very request again,
  // its state, nonce and PKCE challenge as they were, so the other account's sign-in ends at the app.
  app.post<Params>('/interaction/:uid/switch', { preValidation: app.csrfProtection }, async (request, reply) => {
    const view = await load(request, reply);
    if (!view) return reply;
    await signOut(ctx, request, reply);
    // Without the app's hints: they name the person signed out, not the other account.
    const again = new URLSearchParams(view.authorization);
    for (const name of PERSON_HINTS) again.delete(name);
    return reply.redirect(`/oidc/auth?${again.toString()}`, 303);
  });

  // "Back to the app": the app hears access_denied (a person with none of its roles, or who said no).
  app.post<Params>('/interaction/:uid/deny', { preValidation: app.csrfProtection }, async (request, reply) => {
    const view = await load(request, reply);
    if (!view) return reply;
    return refuse(request, reply, view, request.auth?.accountStatus === 'pending' ? 'pending_registration' : 'no_role_for_app');
  });
}
