import type { FormModel } from '../../flows/form.ts';
import { renderForm } from '../components/form.ts';
import { html } from '../html.ts';
import { layout, type PageFrame } from '../layout.ts';

export function changePasswordPage(frame: PageFrame, form: FormModel, minLength: number) {
  const { t } = frame;
  return layout(frame, html`<section class="card narrow">
    <h1>${t('change_password.title')}</h1>
    <p class="hint">${t('password.policy', { min: minLength })}</p>
    ${renderForm(form, t, { action: '/password', csrfToken: frame.csrfToken })}
  </section>`);
}

export function passwordChangedPage(frame: PageFrame, endedSessions: number) {
  const { t } = frame;
  return layout(frame, html`<section class="card narrow">
    <h1>${t('change_password.title')}</h1>
    <p class="alert success" role="status">${t('change_password.success')}</p>
    ${endedSessions > 0 && html`<p>${t('change_password.other_sessions_ended')}</p>`}
    <p><a class="button" href="/">${t('common.home')}</a></p>
  </section>`);
}
