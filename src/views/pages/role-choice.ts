import type { FormModel } from '../../flows/form.ts';
import { renderForm } from '../components/form.ts';
import { html } from '../html.ts';
import { layout, type PageFrame } from '../layout.ts';
import { guideLink } from '../components/guide-link.ts';

export function roleChoicePage(frame: PageFrame, form: FormModel, action: string, staffOnly = false) {
  const { t } = frame;
  const none = form.fields[0]?.options?.length === 0;
  return layout(frame, html`<section class="card narrow">
    <h1>${t('role_choice.title')}</h1>${guideLink(t, 'role-choice')}
    ${none
      ? html`<p class="alert error" role="alert">${t(staffOnly ? 'role_choice.no_staff_role' : 'role_choice.none_active')}</p>`
      : renderForm(form, t, { action, csrfToken: frame.csrfToken })}
  </section>`);
}
