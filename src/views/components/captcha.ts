/**
 * The captcha field of a form (F11): the ALTCHA widget, loaded from our origin by
 * /assets/captcha.js, which puts its answer in a hidden input named after the field.
 * `auto="onsubmit"`: if the person has not ticked the box, submitting runs the proof of work
 * and then submits, so a form re-shown with errors needs no extra click (a challenge is
 * fetched when the work starts, never stale from page load). Without JavaScript the widget
 * cannot work: the <noscript> text says so, and the server refuses the empty answer with
 * `captcha.invalid` like any wrong one (docs/decisions.md, Captcha).
 */
import type { Field } from '../../flows/form.ts';
import type { Translate } from '../../i18n/catalogs.ts';
import { html, type SafeHtml } from '../html.ts';

export const CAPTCHA_CHALLENGE_URL = '/api/v1/captcha';

export function captchaField(field: Pick<Field, 'name' | 'label' | 'required' | 'errors'>, t: Translate): SafeHtml {
  const invalid = field.errors.length > 0;
  return html`<div class="field captcha${invalid ? ' invalid' : ''}">
    <span class="label" id="${field.name}-label">${t(field.label)}${field.required ? html` <span class="req" aria-hidden="true">*</span>` : ''}</span>
    <link rel="stylesheet" href="/assets/altcha/external/altcha.css">
    <altcha-widget challenge="${CAPTCHA_CHALLENGE_URL}" name="${field.name}" auto="onsubmit"
      aria-labelledby="${field.name}-label"${invalid ? html` aria-describedby="${field.name}-error"` : ''}></altcha-widget>
    <noscript><p class="alert info">${t('captcha.noscript')}</p></noscript>
    ${invalid && html`<ul class="errors" id="${field.name}-error">${field.errors.map((e) => html`<li>${t(e.code, e.params)}</li>`)}</ul>`}
    <script type="module" src="/assets/captcha.js"></script>
  </div>`;
}
