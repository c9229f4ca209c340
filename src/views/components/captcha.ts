/**
 * The captcha field of a form (F11): the ALTCHA widget, loaded from our origin by
 * /assets/captcha.js, which puts its answer in a hidden input named after the field.
 * `auto="onsubmit"`: if the person has not ticked the box, submitting runs the proof of work
 * and then submits, so a form re-shown with errors needs no extra click (a challenge is
 * fetched when the work starts, never stale from page load).
 *
 * Without JavaScript the widget cannot work, and the <noscript> part takes its place: its
 * elements are real form controls only when scripts are off. It shows the field's security
 * image (issued by the page, captcha/image-challenge.ts), an input for its digits with the
 * seed's label for it (`captcha.image_label`: the image is named only where one is shown;
 * the field's own label names the check, which is a checkbox with scripts on), and the sum to type instead for those who cannot see the image; the image's
 * id goes in `captchaId` (docs/decisions.md, Captcha). With scripts on it is inert text, and
 * its image is never fetched.
 */
import type { Field } from '../../flows/form.ts';
import { assetUrl } from '../../http/asset-table.ts';
import type { Translate } from '../../i18n/catalogs.ts';
import { html, type SafeHtml } from '../html.ts';

export const CAPTCHA_CHALLENGE_URL = '/api/v1/captcha';

/** The size the image is drawn at (captcha/image.ts), so the page does not jump when it loads. */
const IMAGE_SIZE = { width: 220, height: 80 };

/** Where the error summary leads for this field: the widget (with scripts off, the image's input is just below it). */
export const captchaTarget = (field: Pick<Field, 'name'>): string => `${field.name}-widget`;

export function captchaField(field: Pick<Field, 'name' | 'label' | 'required' | 'errors' | 'image'>, t: Translate): SafeHtml {
  const invalid = field.errors.length > 0;
  const errorId = `${field.name}-error`;
  return html`<div class="field captcha${invalid ? ' invalid' : ''}">
    <span class="label" id="${field.name}-label">${t(field.label)}${field.required ? html` <span class="req" aria-hidden="true">*</span>` : ''}</span>
    <link rel="stylesheet" href="${assetUrl('altcha/external/altcha.css')}">
    <altcha-widget challenge="${CAPTCHA_CHALLENGE_URL}" name="${field.name}" auto="onsubmit" id="${captchaTarget(field)}"
      aria-labelledby="${field.name}-label"${invalid ? html` aria-describedby="${errorId}"` : ''}></altcha-widget>
    <noscript>${field.image ? securityImage(field, field.image, t) : html`<p class="alert info">${t('captcha.noscript')}</p>`}</noscript>
    ${invalid && html`<ul class="errors" id="${errorId}">${field.errors.map((e) => html`<li>${t(e.code, e.params)}</li>`)}</ul>`}
    <script type="module" src="${assetUrl('captcha.js')}"></script>
  </div>`;
}

function securityImage(field: Pick<Field, 'name' | 'required' | 'errors'>, image: NonNullable<Field['image']>, t: Translate): SafeHtml {
  const described = [image.question ? `${field.name}-question` : '', field.errors.length > 0 ? `${field.name}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="security-image">
      <img src="${image.src}" width="${IMAGE_SIZE.width}" height="${IMAGE_SIZE.height}" alt="${t('captcha.image_alt')}">
      <input type="hidden" name="${field.name}Id" value="${image.id}">
      <label for="${field.name}">${t('captcha.image_label')}</label>
      <input id="${field.name}" name="${field.name}" type="text" inputmode="numeric" autocomplete="off" maxlength="20" dir="ltr"
       ${described ? html` aria-describedby="${described}"` : ''}${field.required ? html` required` : ''}${field.errors.length > 0 ? html` aria-invalid="true"` : ''}>
      ${image.question && html`<p class="hint" id="${field.name}-question">${t('captcha.question', { a: image.question.a, b: image.question.b })}</p>`}
    </div>`;
}
