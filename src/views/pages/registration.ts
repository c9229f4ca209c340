/** Registration pages: the steps bar (F16), then the state's form, drawn from its form model. */
import type { FormModel } from '../../flows/form.ts';
import type { RegistrationState } from '../../flows/registration/machine.ts';
import type { TextKey } from '../../i18n/catalogs.ts';
import { renderForm } from '../components/form.ts';
import { html, type SafeHtml } from '../html.ts';
import { layout, type PageFrame } from '../layout.ts';

const steps: { key: TextKey; states: RegistrationState[] }[] = [
  { key: 'registration.step_identification', states: ['rules', 'details'] },
  { key: 'registration.step_verification', states: ['verify'] },
  { key: 'registration.step_finish', states: ['done'] },
];

export type RegistrationPage = {
  state: RegistrationState;
  form: FormModel;
  action: string;
  /** Seconds until another mobile code may be sent (0: now), drawn without JavaScript. */
  mobileCooldown: number;
  /** Offer the English page for non-citizens (citizens' details step only). */
  offerInternational: boolean;
  /** The national ID is already registered: where to recover its password (F12). */
  recoveryHref: string | null;
};

function verifyActions(frame: PageFrame, page: RegistrationPage): SafeHtml {
  const { t } = frame;
  if (page.mobileCooldown > 0) {
    return html`<p class="hint" role="status">${t('code.cooldown', { seconds: page.mobileCooldown })}</p>`;
  }
  return html`<div class="actions">
    ${(['sms', 'call'] as const).map((method) => html`<form method="post" action="${page.action}" class="inline">
      <input type="hidden" name="_csrf" value="${frame.csrfToken}">
      <input type="hidden" name="action" value="send_mobile_code">
      <input type="hidden" name="method" value="${method}">
      <button type="submit" class="secondary">${t(method === 'sms' ? 'registration.send_sms' : 'registration.send_call')}</button>
    </form>`)}
    <form method="post" action="${page.action}" class="inline">
      <input type="hidden" name="_csrf" value="${frame.csrfToken}">
      <input type="hidden" name="action" value="send_email_code">
      <button type="submit" class="link">${t('registration.resend_email')}</button>
    </form>
  </div>`;
}

export function registrationPage(frame: PageFrame, page: RegistrationPage) {
  const { t } = frame;
  const current = steps.findIndex((s) => s.states.includes(page.state));
  return layout(frame, html`<section class="card narrow">
    <h1>${t('registration.title')}</h1>
    <ol class="steps">${steps.map((s, i) => html`<li${i === current ? html` aria-current="step"` : ''}${i < current ? html` class="done"` : ''}>${t(s.key)}</li>`)}</ol>
    ${page.recoveryHref ? html`<p class="alert info"><a href="${page.recoveryHref}">${t('registration.already_registered_link')}</a></p>` : ''}
    ${page.offerInternational ? html`<p class="hint"><a href="/register/international" hreflang="en">${t('registration.international_link')}</a></p>` : ''}
    ${page.state === 'verify' ? verifyActions(frame, page) : ''}
    ${page.state === 'done'
      ? html`${page.form.messages.map((m) => html`<p class="alert ${m.kind}" role="status">${t(m.code, m.params)}</p>`)}<p><a class="button" href="/sign-in">${t('sign_in.title')}</a></p>`
      : renderForm(page.form, t, {
        action: page.action, csrfToken: frame.csrfToken,
        ...(page.state === 'verify' ? { extra: html`<input type="hidden" name="action" value="verify">` } : {}),
      })}
    ${page.state === 'verify' ? html`<form method="post" action="${page.action}" class="inline">
      <input type="hidden" name="_csrf" value="${frame.csrfToken}"><input type="hidden" name="action" value="edit">
      <button type="submit" class="link">${t('registration.edit')}</button></form>` : ''}
  </section>`);
}
