/** Draws a form model (flows/form.ts): errors at the top and beside each field, values kept. */
import type { FieldErrors, Flow } from '../../flows/flow.ts';
import { errorText, type Field, type FormModel } from '../../flows/form.ts';
import type { Translate } from '../../i18n/catalogs.ts';
import { assetUrl } from '../../http/asset-table.ts';
import { formatClock, type Formatting } from '../../i18n/format.ts';
import { html, type SafeHtml } from '../html.ts';
import { captchaField, captchaTarget } from './captcha.ts';
import { errorSummary, type Problem } from './error-summary.ts';

function errorId(field: Field) {
  return `${field.name}-error`;
}

/**
 * The id the error summary links a field's errors to: its input (a radio group's first
 * radio), the captcha's widget; none for a hidden field or the buttons (a step's own refusal,
 * such as a resend too early: the first button may be disabled, and focus cannot land there).
 */
function targetOf(field: Field): string | undefined {
  if (field.type === 'hidden' || field.type === 'submit') return undefined;
  if (field.type === 'captcha') return captchaTarget(field);
  return field.name;
}

/** What a flow's page draws: the step's form (errors beside their fields), where it posts, and how it tells times. */
export type FlowPageView<F extends Flow> = {
  flow: F; form: FormModel; errors: FieldErrors; action: string; clock: FormClock;
  /** Where the person was going when the flow started (an app's sign-in), and that app's name. */
  returnTo?: string | undefined; appName?: string | undefined;
};

/** How the page tells times: its language, the deployment's time zone, and the server's now (phones' clocks are often wrong). */
export type FormClock = { formatting: Formatting; timeZone: string; now: Date };

/**
 * The step's buttons (an `action` field): the first is the main one, so Enter presses it. A
 * button that must wait says for how long; it stays pressable without JavaScript (pressing
 * early answers how long is left, nothing typed is lost), and countdown.js disables it and
 * counts down. A button unavailable for another reason is disabled.
 */
function actionButtons(field: Field, t: Translate): SafeHtml {
  return html`<div class="actions">${(field.options ?? []).map((option, i) => {
    const wait = option.waitSeconds ?? 0;
    const id = `${field.name}-${option.value}-wait`;
    return html`<span class="action">
      <button type="submit" name="${field.name}" value="${option.value}" class="${i === 0 ? 'primary' : 'secondary'}"${option.available === false && wait === 0 ? html` disabled` : ''}${wait > 0 ? html` data-wait="${wait}" aria-describedby="${id}"` : ''}>${option.text ?? t(option.label)}</button>
      ${wait > 0 && html`<small class="wait" id="${id}" role="status" data-template="${t('flow.available_in', { seconds: '{seconds}' })}">${t('flow.available_in', { seconds: wait })}</small>`}
    </span>`;
  })}</div>`;
}

/** Under a code field: until when the code sent is good, as a clock time, and (with countdown.js) the time left. */
function expiry(field: Field, t: Translate, clock: FormClock | undefined): SafeHtml {
  if (field.expiresAt === undefined || clock === undefined) return html``;
  return html`<p class="hint" id="${field.name}-expiry">${t('code.valid_until', { time: formatClock(new Date(field.expiresAt), clock.formatting, clock.timeZone) })}
    <span class="countdown" data-left="${Math.max(0, Math.ceil((Date.parse(field.expiresAt) - clock.now.getTime()) / 1000))}" data-expired="${t(field.expiredText ?? 'code.expired')}"></span></p>`;
}

function input(field: Field, t: Translate, clock?: FormClock): SafeHtml {
  if (field.type === 'submit') return actionButtons(field, t);
  const invalid = field.errors.length > 0;
  const label = t(field.label, field.labelParams);
  // Only the model's value is checked, never a first option by default: a radio the person
  // did not choose (a role, say) must not be submitted by pressing the button.
  if (field.type === 'radio') {
    return html`<fieldset class="field${invalid ? ' invalid' : ''}">
      <legend>${label}</legend>
      ${(field.options ?? []).map((option, i) => html`<label class="option">
        <input${i === 0 ? html` id="${field.name}"` : ''} type="radio" name="${field.name}" value="${option.value}"${field.value === option.value ? html` checked` : ''}${field.required ? html` required` : ''}>
        <span><strong>${option.text ?? t(option.label)}</strong>${option.hint && html`<small>${option.hint}</small>`}</span>
      </label>`)}
      ${fieldErrors(field, t)}
    </fieldset>`;
  }
  if (field.type === 'hidden') return html`<input type="hidden" name="${field.name}" value="${field.value}">`;
  if (field.type === 'checkbox') {
    return html`<div class="field check${invalid ? ' invalid' : ''}">
      <label><input id="${field.name}" type="checkbox" name="${field.name}" value="${field.value}"${field.required ? html` required` : ''}${invalid ? html` aria-invalid="true" aria-describedby="${errorId(field)}"` : ''}> ${label}</label>
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
  const described = [invalid ? errorId(field) : '', field.expiresAt !== undefined && clock !== undefined ? `${field.name}-expiry` : ''].filter((id) => id !== '').join(' ');
  return html`<div class="field${invalid ? ' invalid' : ''}">
    <label for="${field.name}">${label}${field.required ? html` <span class="req" aria-hidden="true">*</span>` : ''}</label>
    <input id="${field.name}" name="${field.name}" type="${field.type}" value="${field.type === 'password' ? '' : field.value}"
      ${field.required ? html`required` : ''} ${field.autocomplete ? html`autocomplete="${field.autocomplete}"` : ''}
      ${field.inputMode ? html`inputmode="${field.inputMode}"` : ''} ${field.maxLength ? html`maxlength="${field.maxLength}"` : ''}
      dir="auto" ${invalid ? html`aria-invalid="true"` : ''} ${described !== '' ? html`aria-describedby="${described}"` : ''}>
    ${expiry(field, t, clock)}
    ${fieldErrors(field, t)}
  </div>`;
}

function fieldErrors(field: Field, t: Translate): SafeHtml {
  if (field.errors.length === 0) return html``;
  return html`<ul class="errors" id="${errorId(field)}">${field.errors.map((e) => html`<li>${t(errorText(e), e.params)}</li>`)}</ul>`;
}

/**
 * The form: errors first (the summary, each linked to its field, then beside their fields),
 * then the fields in order, the buttons among them (its `action` field). `clock` draws a code field's expiry time.
 */
export function renderForm(form: FormModel, t: Translate, options: { action: string; csrfToken: string; extra?: SafeHtml; clock?: FormClock }): SafeHtml {
  const problems: Problem[] = [
    ...form.messages.filter((m) => m.kind === 'error').map((m) => ({ text: t(m.code, m.params) })),
    ...form.fields.flatMap((f) => f.errors.map((e) => ({ text: t(errorText(e), e.params), target: targetOf(f) }))),
  ];
  return html`${errorSummary(t, problems)}
    ${form.messages.filter((m) => m.kind !== 'error').map((m) => html`<p class="alert ${m.kind}" role="status">${t(m.code, m.params)}</p>`)}
    <form method="post" action="${options.action}" novalidate>
      <input type="hidden" name="_csrf" value="${options.csrfToken}">
      ${options.extra}
      ${form.fields.map((f) => input(f, t, options.clock))}
    </form>
    ${counts(form) && html`<script src="${assetUrl('countdown.js')}" defer></script>`}`;
}

/** Whether the form has a time to count down (a code's expiry, a button's wait). */
const counts = (form: FormModel) => form.fields.some((f) => f.expiresAt !== undefined || (f.options ?? []).some((o) => (o.waitSeconds ?? 0) > 0));
