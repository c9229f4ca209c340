import type { FormModel } from '../../flows/form.ts';
import { renderForm } from '../components/form.ts';
import { newsBox, type NewsItem } from '../components/news.ts';
import { html } from '../html.ts';
import { layout, type PageFrame } from '../layout.ts';
import { guideLink } from '../components/guide-link.ts';

/**
 * The sign-in page, and the staff entry (F4: seed 2's "sign-in for university users"). The
 * login flow's id rides in a hidden field, so every try is the same flow.
 */
export function signInPage(frame: PageFrame, form: FormModel, page: {
  action: string; flowId: string | null; staff: boolean; codeHref: string | null;
  /** The other entry (staff ↔ everyone), keeping where the person is going. */
  otherEntryHref: string;
  /** Recovery and registration, keeping where the person is going (an app's sign-in). */
  recoverHref: string; registerHref: string;
  /** The app being signed in to, named at the top. */
  appName: string | undefined;
  /** The public announcements (F30): seed 2's news box, for everyone. */
  news: NewsItem[];
}) {
  const { t } = frame;
  return layout(frame, html`<section class="card narrow">
    <h1>${t(page.staff ? 'sign_in.staff_title' : 'sign_in.title')}</h1>${guideLink(t, 'login')}
    ${page.appName !== undefined ? html`<p class="lead app">${t('sign_in.for_app', { app: page.appName })}</p>` : ''}
    <p class="lead">${t(page.staff ? 'sign_in.staff_lead' : 'app.tagline')}</p>
    ${renderForm(form, t, { action: page.action, csrfToken: frame.csrfToken, ...(page.flowId ? { extra: html`<input type="hidden" name="flow" value="${page.flowId}">` } : {}) })}
    ${page.codeHref && html`<p class="links"><a href="${page.codeHref}">${t('sign_in.with_code')}</a></p>`}
    <p class="links"><a href="${page.recoverHref}">${t('sign_in.forgot')}</a> · <a href="${page.registerHref}">${t('sign_in.register')}</a> · <a href="/support?from=%2Fsign-in">${t('support.ask_signed_out')}</a></p>
    <p class="links"><a href="${page.otherEntryHref}">${t(page.staff ? 'sign_in.everyone_link' : 'sign_in.staff_link')}</a></p>
  </section>
  ${newsBox(t, frame.formatting, page.news)}`);
}
