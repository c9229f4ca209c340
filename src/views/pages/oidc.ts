/** Pages the OpenID provider shows through Kelid's views: the sign-out question from an app, and the signed-out page. */
import { html, raw } from '../html.ts';
import { assetUrl } from '../../http/asset-table.ts';
import { layout, type PageFrame } from '../layout.ts';

/**
 * "Sign out of Kelid and every app?" `form` is the provider's own (`id="op.logoutForm"`, its
 * one-time xsrf value inside): markup from oidc-provider, not from any user, so it goes in raw;
 * or its action and xsrf, when Kelid asks in upstream's stead (provider.ts), drawn the same way.
 */
export function logoutConfirmPage(frame: PageFrame, form: string | { action: string; xsrf: string }) {
  const { t } = frame;
  const drawn = typeof form === 'string'
    ? raw(form)
    : html`<form id="op.logoutForm" method="post" action="${form.action}"><input type="hidden" name="xsrf" value="${form.xsrf}"></form>`;
  return layout(frame, html`<section class="card narrow">
    <h1>${t('oidc.logout_title')}</h1>
    <p>${t('oidc.logout_question')}</p>
    ${drawn}
    <p class="actions">
      <button type="submit" class="primary" form="op.logoutForm" name="logout" value="yes">${t('oidc.logout_yes')}</button>
      <button type="submit" class="secondary" form="op.logoutForm">${t('oidc.logout_no')}</button>
    </p>
  </section>`);
}

/**
 * An app's sign-out reached Kelid with no one signed in to the provider here (signed out
 * already, in another tab or app): nothing to ask, the browser goes on to the app's
 * post-logout address through the provider's confirmation. auto-submit.js presses the button;
 * without JavaScript the person does. `action` and `xsrf` are the provider's own (end_session_confirm).
 */
export function signedOutContinuePage(frame: PageFrame, form: { action: string; xsrf: string }) {
  const { t } = frame;
  return layout(frame, html`<section class="card narrow">
    <h1>${t('oidc.logout_title')}</h1>
    <p>${t('oidc.already_signed_out')}</p>
    ${autoSubmitForm(frame, form.action, [['xsrf', form.xsrf], ['logout', 'yes']])}
  </section>`);
}

/** A form that goes on by itself: `fields` posted to `action`, its button pressed by auto-submit.js, or by the person without JavaScript. */
function autoSubmitForm({ t }: PageFrame, action: string, fields: readonly (readonly [name: string, value: string])[]) {
  return html`<form method="post" action="${action}" data-auto-submit>
      ${fields.map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
      <p class="actions"><button type="submit" class="primary">${t('oidc.continue')}</button></p>
    </form>
    <script src="${assetUrl('auto-submit.js')}" defer></script>`;
}

/**
 * The sign-in's answer going back to the app by a form (`response_mode=form_post`): the fields
 * upstream made (a code, a state, an error), posted to the app's registered redirect URI.
 */
export function formPostPage(frame: PageFrame, form: { action: string; fields: [name: string, value: string][] }) {
  return layout(frame, html`<section class="card narrow">
    <h1>${frame.t('oidc.back_to_app_title')}</h1>
    ${autoSubmitForm(frame, form.action, form.fields)}
  </section>`);
}

/**
 * After an app's sign-out: out of Kelid and its apps, or (the person answered "only this
 * service", `stillSignedIn`) out of the app alone, told so, with the way to Kelid's own sign-out.
 */
export function loggedOutPage(frame: PageFrame, page: { stillSignedIn: boolean }) {
  const { t } = frame;
  return layout(frame, html`<section class="card narrow">
    <h1>${t('oidc.logged_out_title')}</h1>
    ${page.stillSignedIn
      ? html`<p class="alert info" role="status">${t('oidc.left_app')}</p>
    <p><a class="button" href="/">${t('oidc.to_home')}</a></p>`
      : html`<p class="alert success" role="status">${t('oidc.logged_out')}</p>
    <p><a class="button" href="/sign-in">${t('sign_in.title')}</a></p>`}
  </section>`);
}
