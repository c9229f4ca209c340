/**
 * System support (F29, GLOSSARY.md §22 «پشتیبانی سامانه» / «מוקד תמיכה»): the form (signed in,
 * or signed out with a contact and the captcha), the reference a signed-out person keeps, and
 * one's own requests with their state and answers. People's text is shown as typed, escaped,
 * line by line, in its own direction (`dir="auto"`).
 */
import { supportCategories, SUPPORT_LIMITS, type SupportCategory } from '../../domain/support-request.ts';
import type { TextKey } from '../../i18n/catalogs.ts';
import { formatDateTime } from '../../i18n/format.ts';
import type { SupportRequestView } from '../../support/store.ts';
import { captchaField, captchaTarget } from '../components/captcha.ts';
import { errorSummary, problemsOf } from '../components/error-summary.ts';
import { guideLink } from '../components/guide-link.ts';
import { isolated } from '../components/isolated.ts';
import { html, type SafeHtml } from '../html.ts';
import { layout, type PageFrame } from '../layout.ts';
import { scrollable } from '../components/scrollable.ts';

export type SupportFieldName = 'category' | 'subject' | 'text' | 'from' | 'screenshot' | 'contact' | 'captcha';
export type SupportFormView = {
  signedIn: boolean;
  /** Signed in: the organization the request reaches first (support/file-request.ts), named in the introduction; `top`: the root, with no level above. */
  destination: { name: string; top: boolean } | null;
  values: { category: string; subject: string; text: string; contact: string };
  /** The page the person came from (already checked: a path of this site), or null. */
  from: string | null;
  errors: { field: SupportFieldName; code: TextKey }[];
  /** Signed out: the security image for browsers without JavaScript. */
  image: { id: string; src: string; question: { a: number; b: number } | null } | null;
};

/** Text as typed: escaped, one line break per newline, in its own direction. */
export const userText = (text: string): SafeHtml =>
  html`<div class="user-text" dir="auto">${text.split('\n').map((line, i) => html`${i > 0 ? html`<br>` : ''}${line}`)}</div>`;

const stateKey = (state: SupportRequestView['state']): TextKey => `support.state_${state}`;
const categoryKey = (category: SupportCategory): TextKey => `support.category_${category}`;

function fieldErrors(view: SupportFormView, field: SupportFieldName, t: PageFrame['t']): SafeHtml | '' {
  const errors = view.errors.filter((e) => e.field === field);
  return errors.length === 0 ? '' : html`<ul class="errors" id="${field}-error">${errors.map((e) => html`<li>${t(e.code)}</li>`)}</ul>`;
}

/** Where the summary leads for a field: its input; the captcha's widget; nothing for the hidden `from`, or what a signed-in person is not asked. */
function supportTarget(view: SupportFormView, field: string): string | undefined {
  if (field === 'from') return undefined;
  if (field === 'contact' || field === 'captcha') return view.signedIn ? undefined : field === 'captcha' ? captchaTarget({ name: field }) : field;
  return field;
}

export function supportFormPage(frame: PageFrame, view: SupportFormView): SafeHtml {
  const { t } = frame;
  const invalid = (field: SupportFieldName) => view.errors.some((e) => e.field === field);
  const described = (field: SupportFieldName) => (invalid(field) ? html` aria-invalid="true" aria-describedby="${field}-error"` : '');
  const cls = (field: SupportFieldName) => `field${invalid(field) ? ' invalid' : ''}`;
  return layout(frame, html`<section class="card narrow">
    <h1>${t('support.title')}</h1>${guideLink(t, 'support')}
    ${view.signedIn ? html`<p class="hint"><a href="/support/requests">${t('support.my_requests')}</a></p>` : ''}
    <p>${view.destination !== null ? isolated(t, view.destination.top ? 'support.intro_top' : 'support.intro', { organization: view.destination.name }) : t('support.intro_signed_out')}</p>
    ${errorSummary(t, problemsOf(t, view.errors, (field) => supportTarget(view, field)))}
    <form method="post" action="/support" enctype="multipart/form-data" novalidate>
      <input type="hidden" name="_csrf" value="${frame.csrfToken}">
      ${view.from !== null ? html`<input type="hidden" name="from" value="${view.from}">` : ''}
      <div class="${cls('category')}"><label for="category">${t('support.category')}</label>
        <select id="category" name="category"${described('category')}>${supportCategories.map((c) => html`<option value="${c}"${c === view.values.category ? html` selected` : ''}>${t(categoryKey(c))}</option>`)}</select>
        ${fieldErrors(view, 'category', t)}</div>
      <div class="${cls('subject')}"><label for="subject">${t('support.subject')}</label>
        <input type="text" id="subject" name="subject" value="${view.values.subject}" maxlength="${SUPPORT_LIMITS.subject}" required dir="auto"${described('subject')}>
        ${fieldErrors(view, 'subject', t)}</div>
      <div class="${cls('text')}"><label for="text">${t('support.text')}</label>
        <textarea id="text" name="text" rows="8" maxlength="${SUPPORT_LIMITS.text}" required dir="auto"${described('text')}>${view.values.text}</textarea>
        <p class="hint">${t('support.text_hint', { max: SUPPORT_LIMITS.text })}</p>
        ${fieldErrors(view, 'text', t)}</div>
      <div class="${cls('screenshot')}"><label for="screenshot">${t('support.screenshot')}</label>
        <input type="file" id="screenshot" name="screenshot" accept="image/png,image/jpeg"${described('screenshot')}>
        <p class="hint">${t('support.screenshot_hint')}</p>
        ${fieldErrors(view, 'screenshot', t)}</div>
      ${view.from !== null ? html`<p class="hint">${t('support.from')}: <span dir="ltr">${view.from}</span></p>` : ''}
      ${fieldErrors(view, 'from', t)}
      ${!view.signedIn && html`<div class="${cls('contact')}"><label for="contact">${t('support.contact')}</label>
        <input type="text" id="contact" name="contact" value="${view.values.contact}" maxlength="254" required dir="ltr" autocomplete="email"${described('contact')}>
        <p class="hint">${t('support.contact_hint')}</p>
        ${fieldErrors(view, 'contact', t)}</div>
      ${captchaField({ name: 'captcha', label: 'registration.captcha', required: true, errors: view.errors.filter((e) => e.field === 'captcha').map((e) => ({ code: e.code })), ...(view.image ? { image: view.image } : {}) }, t)}`}
      <button type="submit" class="primary">${t('support.submit')}</button>
    </form>
  </section>`);
}

/** A sentence naming the reference, the reference kept on one line in its own direction (a hyphen would break it in two in a right-to-left line). */
const withReference = (sentence: string, reference: string): SafeHtml => {
  const at = sentence.indexOf(reference);
  return at < 0 ? html`${sentence}` : html`${sentence.slice(0, at)}<bdi class="reference" dir="ltr">${reference}</bdi>${sentence.slice(at + reference.length)}`;
};

/** Signed out: the reference to keep; the answer comes to the contact given. */
export function supportSentPage(frame: PageFrame, reference: string): SafeHtml {
  const { t } = frame;
  return layout(frame, html`<section class="card narrow">
    <h1>${t('support.title')}</h1>${guideLink(t, 'support')}
    <p class="alert success" role="status">${withReference(t('support.sent', { reference }), reference)}</p>
    <p>${t('support.sent_hint')}</p>
    <p><a href="/sign-in">${t('sign_in.title')}</a></p>
  </section>`);
}

export function myRequestsPage(frame: PageFrame, requests: SupportRequestView[], timeZone: string): SafeHtml {
  const { t, locale, formatting } = frame;
  return layout(frame, html`<section class="card wide">
    <h1>${t('support.my_requests')}</h1>${guideLink(t, 'support-requests')}
    <p><a class="button" href="/support">${t('support.new_request')}</a></p>
    ${requests.length === 0 ? html`<p class="alert info">${t('support.none')}</p>` : html`<div class="table-wrap" ${scrollable(t('support.my_requests'))}><table>
      <thead><tr><th scope="col">${t('support.reference')}</th><th scope="col">${t('support.subject')}</th><th scope="col">${t('support.state')}</th><th scope="col">${t('support.created_at')}</th></tr></thead>
      <tbody>${requests.map((r) => html`<tr><td dir="ltr"><a href="/support/requests/${r.id}">${r.reference}</a></td><td dir="auto">${r.subject}</td>
        <td>${t(stateKey(r.state))}</td><td>${formatDateTime(r.createdAt, formatting, timeZone)}</td></tr>`)}</tbody>
    </table></div>`}
  </section>`);
}

/**
 * One request and its answers; the console's detail (admin/support.ts) draws it too, with facts
 * of its own first and the screenshot itself (`picture`) right under the request's text.
 */
export function requestBody(frame: PageFrame, r: SupportRequestView, timeZone: string, screenshotHref: string | null, facts: SafeHtml | '' = '', picture: SafeHtml | '' = ''): SafeHtml {
  const { t, locale, formatting } = frame;
  return html`<dl class="facts">
      ${facts}
      <div><dt>${t('support.reference')}</dt><dd dir="ltr">${r.reference}</dd></div>
      <div><dt>${t('support.state')}</dt><dd>${t(stateKey(r.state))}</dd></div>
      <div><dt>${t('support.category')}</dt><dd>${t(categoryKey(r.category))}</dd></div>
      <div><dt>${t('support.created_at')}</dt><dd>${formatDateTime(r.createdAt, formatting, timeZone)}</dd></div>
      <div><dt>${t('support.handled_by')}</dt><dd>${r.organization}</dd></div>
      ${r.from !== null ? html`<div><dt>${t('support.from_page')}</dt><dd dir="ltr">${r.from}</dd></div>` : ''}
    </dl>
    <h2 dir="auto">${r.subject}</h2>
    ${userText(r.text)}
    ${r.hasScreenshot && screenshotHref ? html`<p><a href="${screenshotHref}">${t('support.screenshot_link')}</a></p>` : ''}
    ${picture}
    <h2>${t('support.replies')}</h2>
    ${r.replies.length === 0 ? html`<p class="hint">${t('support.no_replies')}</p>` : r.replies.map((p) => html`<article class="reply">
      <p class="hint">${isolated(t, 'support.reply_from', { organization: p.organization, date: formatDateTime(p.createdAt, formatting, timeZone) })}</p>
      ${userText(p.text)}
    </article>`)}`;
}

export function myRequestPage(frame: PageFrame, r: SupportRequestView, timeZone: string, notice: string | null): SafeHtml {
  const { t } = frame;
  return layout(frame, html`<section class="card">
    <h1>${t('support.title')} <bdi class="reference" dir="ltr">${r.reference}</bdi></h1>${guideLink(t, 'support-request')}
    <p class="hint"><a href="/support/requests">${t('support.my_requests')}</a></p>
    ${notice && html`<p class="alert success" role="status">${withReference(notice, r.reference)}</p>`}
    ${requestBody(frame, r, timeZone, `/support/requests/${r.id}/screenshot`)}
  </section>`);
}
