import type { FormModel } from '../../flows/form.ts';
import { renderForm } from '../components/form.ts';
import { html } from '../html.ts';
import { layout, type PageFrame } from '../layout.ts';

export function profilePage(frame: PageFrame, content: FormModel | 'awaiting_approval') {
  const { t } = frame;
  return layout(frame, html`<section class="card narrow">
    <h1>${t('profile.title')}</h1>
    ${content === 'awaiting_approval'
      ? html`<p class="alert info" role="status">${t('profile.awaiting_approval')}</p>`
      : renderForm(content, t, { action: '/profile', csrfToken: frame.csrfToken })}
  </section>`);
}
