/** Draws a form model (flows/form.ts): errors at the top and beside each field, values kept. */
import type { Field, FormModel } from '../../flows/form.ts';
import type { Translate } from '../../i18n/catalogs.ts';
import { html, type SafeHtml } from '../html.ts';
import { captchaField } from './captcha.ts';

function errorId(field: Field) {
  return `${field.name}-error`;
}

function input(field: Field, t: Translate): SafeHtml {
  const invalid = field.errors.length > 0;
  const label = t(field.label, field.labelParams);
  // Only the model's value is checked, never a first option by default: a radio the person
  // did not choose (a role, say) must not be submitted by pressing the button.
  if (field.type === 'radio') {
    return html`<fieldset class="field${invalid ? ' invalid' : ''}">
      <legend>${label}</legend>
      ${(field.options ?? []).map((option) => html`<label class="option">
        <input type="radio" name="${field.name}" value="${option.value}"${field.value === option.value ? html` checked` : ''}${field.required ? html` required` : ''}>
        <span><strong>${option.text ?? t(option.label)}</strong>${option.hint && html`<small>${option.hint}</small>`}</span>
      </label>`)}
      ${fieldErrors(field, t)}
    </fieldset>`;
  }
  if (field.type === 'hidden') return html`<input type="hidden" name="${field.name}" value="${field.value}">`;
  if (field.type === 'checkbox') {
    return html`<div class="field check${invalid ? ' invalid' : ''}">
      <label><input type="checkbox" name="${field.name}" value="${field.value}"${field.required ? html` required` : ''}> ${label}</label>
      ${fieldErrors(field, t)}
    </div>`;
  }
  if (field.type === 'select') {
    return html`<div class="field${invalid ? ' invalid' : ''}">
      <label for="${field.name}">${label}${field.required ? html` <span class="req" aria-hidden="true">*</span>` : ''}</label>
      <select id="${field.name}" name="${field.name}">${(field.options ?? []).map((o) => html`<option value="${o.value}"${o.value === field.value ? html` selected` : ''}>${o.text ?? t(o.label)}</option>`)}</select>
      ${fieldErrors(field, t)}
    </div>`;
  }
  if (field.type === 'captcha') return captchaField(field, t);
  return html`<div class="field${invalid ? ' invalid' : ''}">
    <label for="${field.name}">${label}${field.required ? html` <span class="req" aria-hidden="true">*</span>` : ''}</label>
    <input id="${field.name}" name="${field.name}" type="${field.type}" value="${field.type === 'password' ? '' : field.value}"
      ${field.required ? html`required` : ''} ${field.autocomplete ? html`autocomplete="${field.autocomplete}"` : ''}
      ${field.inputMode ? html`inputmode="${field.inputMode}"` : ''} ${field.maxLength ? html`maxlength="${field.maxLength}"` : ''}
      dir="auto" ${invalid ? html`aria-invalid="true" aria-describedby="${errorId(field)}"` : ''}>
    ${fieldErrors(field, t)}
  </div>`;
}

function fieldErrors(field: Field, t: Translate): SafeHtml {
  if (field.errors.length === 0) return html``;
  return html`<ul class="errors" id="${errorId(field)}">${field.errors.map((e) => html`<li>${t(e.code, e.params)}</li>`)}</ul>`;
}

export function renderForm(form: FormModel, t: Translate, options: { action: string; csrfToken: string; extra?: SafeHtml }): SafeHtml {
  const problems = [
    ...form.messages.filter((m) => m.kind === 'error').map((m) => t(m.code, m.params)),
    ...form.fields.flatMap((f) => f.errors.map((e) => t(e.code, e.params))),
  ];
  return html`${problems.length > 0 && html`<div class="alert error" role="alert">
      <p>${t('common.errors_above')}</p>
      <ul>${problems.map((text) => html`<li>${text}</li>`)}</ul>
    </div>`}
    ${form.messages.filter((m) => m.kind !== 'error').map((m) => html`<p class="alert ${m.kind}" role="status">${t(m.code, m.params)}</p>`)}
    <form method="post" action="${options.action}" novalidate>
      <input type="hidden" name="_csrf" value="${options.csrfToken}">
      ${form.fields.map((f) => input(f, t))}
      ${options.extra}
      <button type="submit" class="primary">${t(form.submit)}</button>
    </form>`;
}
