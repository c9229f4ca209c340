/** Password recovery pages: the state's form, the resend button (or its countdown), the way back. */
import type { FormModel } from '../../flows/form.ts';
import type { RecoveryState } from '../../flows/recovery/machine.ts';
import { renderForm } from '../components/form.ts';
import { html } from '../html.ts';
import { layout, type PageFrame } from '../layout.ts';

export type RecoveryPage = { state: RecoveryState; form: FormModel; action: string; resendWait: number };

export function recoveryPage(frame: PageFrame, page: RecoveryPage) {
  const { t } = frame;
  const resend = page.resendWait > 0
    ? html`<p class="hint" role="status">${t('code.cooldown', { seconds: page.resendWait })}</p>`
    : html`<form method="post" action="${page.action}" class="inline">
      <input type="hidden" name="_csrf" value="${frame.csrfToken}"><input type="hidden" name="action" value="resend">
      <button type="submit" class="link">${t('recovery.resend')}</button></form>`;
  return layout(frame, html`<section class="card narrow">
    <h1>${t('recovery.title')}</h1>
    ${page.state === 'done'
      ? html`${page.form.messages.map((m) => html`<p class="alert ${m.kind}" role="status">${t(m.code, m.params)}</p>`)}<p><a class="button" href="/sign-in">${t('sign_in.title')}</a></p>`
      : renderForm(page.form, t, {
        action: page.action, csrfToken: frame.csrfToken,
        ...(page.state === 'verify' ? { extra: html`<input type="hidden" name="action" value="verify">` } : {}),
      })}
    ${page.state === 'verify' ? resend : ''}
    <p class="hint"><a href="/sign-in">${t('recovery.back_to_sign_in')}</a></p>
  </section>`);
}
