import type { FormModel } from '../../flows/form.ts';
import type { TextKey } from '../../i18n/catalogs.ts';
import { renderForm } from '../components/form.ts';
import { html } from '../html.ts';
import { layout, type PageFrame } from '../layout.ts';
import { guideLink } from '../components/guide-link.ts';

export function changePasswordPage(frame: PageFrame, form: FormModel, minLength: number, action = '/password') {
  const { t } = frame;
  return layout(frame, html`<section class="card narrow">
    <h1>${t('change_password.title')}</h1>${guideLink(t, 'change-password')}
    <p class="hint">${t('password.policy', { min: minLength })}</p>
    ${renderForm(form, t, { action, csrfToken: frame.csrfToken })}
  </section>`);
}

/** `next`: where the person goes on to; after a forced change, where the sign-in was heading. */
export function passwordChangedPage(frame: PageFrame, endedSessions: number, next: { href: string; label: TextKey } = { href: '/', label: 'common.home' }) {
  const { t } = frame;
  return layout(frame, html`<section class="card narrow">
    <h1>${t('change_password.title')}</h1>
    <p class="alert success" role="status">${t('change_password.success')}</p>
    ${endedSessions > 0 && html`<p>${t('change_password.other_sessions_ended')}</p>`}
    <p><a class="button" href="${next.href}">${t(next.label)}</a></p>
  </section>`);
}
