/** The OpenID provider's interaction pages that are not Kelid's own forms: consent, refusal, the role for an app, a request that ran out. */
import type { FormModel } from '../../flows/form.ts';
import type { TextKey } from '../../i18n/catalogs.ts';
import { renderForm } from '../components/form.ts';
import { html } from '../html.ts';
import { layout, type PageFrame } from '../layout.ts';

// What each scope lets an app know, in words (issue 10: the consent page lists the claims).
const scopeTexts: Partial<Record<string, TextKey>> = {
  profile: 'oidc.scope_profile',
  national_id: 'oidc.scope_national_id',
  phone: 'oidc.scope_phone',
  email: 'oidc.scope_email',
  roles: 'oidc.scope_roles',
  children: 'oidc.scope_children',
  offline_access: 'oidc.scope_offline_access',
};

export function consentPage(frame: PageFrame, page: { app: string; scopes: string[]; action: string }) {
  const { t } = frame;
  const items = page.scopes.flatMap((scope) => (scopeTexts[scope] ? [scopeTexts[scope]] : []));
  return layout(frame, html`<section class="card narrow">
    <h1>${t('oidc.consent_title')}</h1>
    <p>${t('oidc.consent_lead', { app: page.app })}</p>
    <ul class="claims">${items.map((key) => html`<li>${t(key)}</li>`)}</ul>
    <form method="post" action="${page.action}">
      <input type="hidden" name="_csrf" value="${frame.csrfToken}">
      <p class="actions">
        <button type="submit" class="primary" name="decision" value="allow">${t('oidc.consent_allow')}</button>
        <button type="submit" name="decision" value="deny">${t('oidc.consent_deny')}</button>
      </p>
    </form>
  </section>`);
}

/** The person may not use this app: why, in their language, and the way back to it (it hears access_denied). */
export function refusalPage(frame: PageFrame, page: { app: string; reason: 'no_role' | 'pending'; action: string; switchAction: string }) {
  const { t } = frame;
  return layout(frame, html`<section class="card narrow">
    <h1>${t('oidc.refused_title')}</h1>
    <p class="alert error" role="alert">${t(page.reason === 'pending' ? 'oidc.refused_pending' : 'oidc.refused_no_role', { app: page.app })}</p>
    <form method="post" action="${page.action}">
      <input type="hidden" name="_csrf" value="${frame.csrfToken}">
      <button type="submit" class="primary">${t('oidc.back_to_app', { app: page.app })}</button>
    </form>
    <form method="post" action="${page.switchAction}" class="inline">
      <input type="hidden" name="_csrf" value="${frame.csrfToken}">
      <button type="submit" class="link">${t('oidc.other_account')}</button>
    </form>
  </section>`);
}

export function appRolePage(frame: PageFrame, page: { app: string; form: FormModel; action: string }) {
  const { t } = frame;
  return layout(frame, html`<section class="card narrow">
    <h1>${t('role_choice.title')}</h1>
    <p>${t('oidc.role_for_app', { app: page.app })}</p>
    ${renderForm(page.form, t, { action: page.action, csrfToken: frame.csrfToken })}
  </section>`);
}

/**
 * A sign-in request that is gone: run out, or already done (the browser's Back after signing
 * in). To a person signed in to Kelid it is no fault: they are told they are in, and where
 * the apps are; to anyone else, to start again from the app.
 */
export function expiredPage(frame: PageFrame, page: { signedIn: boolean }) {
  const { t } = frame;
  return layout(frame, page.signedIn
    ? html`<section class="card narrow">
    <h1>${t('oidc.closed_title')}</h1>
    <p class="alert info" role="status">${t('oidc.closed_signed_in')}</p>
    <p><a class="button" href="/">${t('oidc.to_services')}</a></p>
  </section>`
    : html`<section class="card narrow">
    <h1>${t('oidc.expired_title')}</h1>
    <p class="alert error" role="alert">${t('oidc.expired')}</p>
    <p><a href="/">${t('error.back_home')}</a></p>
  </section>`);
}
