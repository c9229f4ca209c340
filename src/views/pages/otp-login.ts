/** One-time-code sign-in (F3): the step's form (its buttons among its fields), and the way back to the password. */
import type { OtpLoginFlow } from '../../flows/otp-login/machine.ts';
import { renderForm, type FlowPageView } from '../components/form.ts';
import { html } from '../html.ts';
import { layout, type PageFrame } from '../layout.ts';
import { guideLink } from '../components/guide-link.ts';

export function otpLoginPage(frame: PageFrame, page: FlowPageView<OtpLoginFlow> & { passwordHref: string; recoverHref: string }) {
  const { t } = frame;
  return layout(frame, html`<section class="card narrow">
    <h1>${t('otp.title')}</h1>${guideLink(t, 'otp-login')}
    ${page.appName !== undefined ? html`<p class="lead app">${t('sign_in.for_app', { app: page.appName })}</p>` : ''}
    ${renderForm(page.form, t, { action: page.action, csrfToken: frame.csrfToken, clock: page.clock })}
    <p class="links"><a href="${page.passwordHref}">${t('sign_in.with_password')}</a> · <a href="${page.recoverHref}">${t('sign_in.forgot')}</a></p>
  </section>`);
}
