/** Password recovery pages: the step's form (its buttons among its fields), the way back. */
import type { RecoveryFlow } from '../../flows/recovery/machine.ts';
import type { FormModel } from '../../flows/form.ts';
import { renderForm, type FlowPageView } from '../components/form.ts';
import { html } from '../html.ts';
import { layout, type PageFrame } from '../layout.ts';
import { guideLink } from '../components/guide-link.ts';

/** The emailed link's landing page: one button, so that a mail scanner's visit spends nothing. */
export function recoveryLinkPage(frame: PageFrame, page: { token: string }) {
  const { t } = frame;
  return layout(frame, html`<section class="card narrow">
    <h1>${t('recovery.link_title')}</h1>${guideLink(t, 'recovery')}
    <form method="post" action="/recover/link">
      <input type="hidden" name="_csrf" value="${frame.csrfToken}">
      <input type="hidden" name="token" value="${page.token}">
      <button type="submit" class="primary">${t('recovery.link_continue')}</button>
    </form>
  </section>`);
}

/**
 * Waiting for the emailed link, a browser has nothing to type: the link opens the next step
 * itself (the token field and its button are for apps driving the flow through the API).
 */
function forBrowsers(page: FlowPageView<RecoveryFlow>): FormModel {
  if (page.flow.state !== 'link_sent') return page.form;
  return {
    ...page.form,
    fields: page.form.fields.filter((f) => f.name !== 'token').map((f) => (f.name === 'action' ? { ...f, options: (f.options ?? []).filter((o) => o.value !== 'open') } : f)),
  };
}

/** `signInHref`: the sign-in, on to the app the person came from, if any. */
export function recoveryPage(frame: PageFrame, page: FlowPageView<RecoveryFlow> & { signInHref: string }) {
  const { t } = frame;
  return layout(frame, html`<section class="card narrow">
    <h1>${t('recovery.title')}</h1>${guideLink(t, 'recovery')}
    ${page.flow.state === 'done'
      ? html`${page.form.messages.map((m) => html`<p class="alert ${m.kind}" role="status">${t(m.code, m.params)}</p>`)}<p><a class="button" href="${page.signInHref}">${page.appName !== undefined ? t('sign_in.continue_to_app', { app: page.appName }) : t('sign_in.title')}</a></p>`
      : renderForm(forBrowsers(page), t, { action: page.action, csrfToken: frame.csrfToken, clock: page.clock })}
    <p class="hint"><a href="${page.signInHref}">${t('recovery.back_to_sign_in')}</a></p>
  </section>`);
}
