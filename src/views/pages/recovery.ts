/** Password recovery pages: the step's form (its buttons among its fields), the way back. */
import type { RecoveryFlow } from '../../flows/recovery/machine.ts';
import { renderForm, type FlowPageView } from '../components/form.ts';
import { html } from '../html.ts';
import { layout, type PageFrame } from '../layout.ts';

export function recoveryPage(frame: PageFrame, page: FlowPageView<RecoveryFlow>) {
  const { t } = frame;
  return layout(frame, html`<section class="card narrow">
    <h1>${t('recovery.title')}</h1>
    ${page.flow.state === 'done'
      ? html`${page.form.messages.map((m) => html`<p class="alert ${m.kind}" role="status">${t(m.code, m.params)}</p>`)}<p><a class="button" href="/sign-in">${t('sign_in.title')}</a></p>`
      : renderForm(page.form, t, { action: page.action, csrfToken: frame.csrfToken, clock: page.clock })}
    <p class="hint"><a href="/sign-in">${t('recovery.back_to_sign_in')}</a></p>
  </section>`);
}
