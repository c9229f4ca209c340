import type { FormModel } from '../../flows/form.ts';
import { renderForm } from '../components/form.ts';
import { html } from '../html.ts';
import { layout, type PageFrame } from '../layout.ts';

export function signInPage(frame: PageFrame, form: FormModel, action: string) {
  const { t } = frame;
  return layout(frame, html`<section class="card narrow">
    <h1>${t('sign_in.title')}</h1>
    <p class="lead">${t('app.tagline')}</p>
    ${renderForm(form, t, { action, csrfToken: frame.csrfToken })}
    <p class="links"><a href="/recover">${t('sign_in.forgot')}</a> · <a href="/register">${t('sign_in.register')}</a></p>
  </section>`);
}
