/**
 * Set password (F19, seed 3): the wizard's step bar («פרטי זיהוי · אימות · בחירת סיסמה ·
 * סיום»), then the state's form drawn from its model; the choose step links the password
 * policy; a dead link says why and offers a new one; the finish shows the user code.
 */
import type { SetPasswordFlow, SetPasswordState } from '../../flows/set-password/machine.ts';
import type { PasswordPolicy } from '../../domain/password-policy.ts';
import type { TextKey } from '../../i18n/catalogs.ts';
import { renderForm, type FlowPageView } from '../components/form.ts';
import { html, type SafeHtml } from '../html.ts';
import { layout, type PageFrame } from '../layout.ts';
import { guideLink } from '../components/guide-link.ts';

const steps: { key: TextKey; states: SetPasswordState[] }[] = [
  { key: 'set_password.step_identification', states: ['token', 'link_unusable'] },
  { key: 'set_password.step_verification', states: ['identify'] },
  { key: 'set_password.step_choose', states: ['choose', 'verify_email'] },
  { key: 'set_password.step_finish', states: ['done'] },
];

export function setPasswordPage(frame: PageFrame, page: FlowPageView<SetPasswordFlow>): SafeHtml {
  const { t } = frame;
  const state = page.flow.state;
  const current = steps.findIndex((s) => s.states.includes(state));
  // The policy's link is drawn as a link (seed 3: «למדיניות הסיסמה לחצו על»); the JSON API gives its address as text.
  const policy = page.form.messages.find((m) => m.code === 'set_password.policy');
  const form = { ...page.form, messages: page.form.messages.filter((m) => m !== policy) };
  const alerts = (messages = form.messages) => messages.map((m) => html`<p class="alert ${m.kind}" role="${m.kind === 'error' ? 'alert' : 'status'}">${t(m.code, m.params)}</p>`);
  let body: SafeHtml;
  if (state === 'done') body = html`${alerts()}<p><a class="button" href="/sign-in">${t('set_password.close')}</a></p>`;
  // A dead link: why, and the one button (a new link by email); not a form to correct.
  else if (state === 'link_unusable') body = html`${alerts()}${renderForm({ ...form, messages: [] }, t, { action: page.action, csrfToken: frame.csrfToken, clock: page.clock })}`;
  else body = renderForm(form, t, { action: page.action, csrfToken: frame.csrfToken, clock: page.clock });
  return layout(frame, html`<section class="card narrow">
    <h1>${t('set_password.title')}</h1>${guideLink(t, 'set-password')}
    <ol class="steps">${steps.map((s, i) => html`<li${i === current ? html` aria-current="step"` : ''}${i < current ? html` class="done"` : ''}>${t(s.key)}</li>`)}</ol>
    ${body}
    ${policy && html`<p class="hint"><a href="/password-policy" target="_blank" rel="noopener">${t('set_password.policy_link')}</a></p>`}
  </section>`);
}

/** The password policy in words, from the policy this deployment enforces (domain/password-policy.ts). */
export function passwordPolicyPage(frame: PageFrame, policy: PasswordPolicy): SafeHtml {
  const { t } = frame;
  const rules: SafeHtml[] = [
    html`<li>${t('policy.min_length', { min: policy.minLength })}</li>`,
    html`<li>${t('policy.max_length', { max: policy.maxLength })}</li>`,
    ...(policy.requireUpper ? [html`<li>${t('policy.upper')}</li>`] : []),
    ...(policy.requireLower ? [html`<li>${t('policy.lower')}</li>`] : []),
    ...(policy.requireDigit ? [html`<li>${t('policy.digit')}</li>`] : []),
    ...(policy.requireSymbol ? [html`<li>${t('policy.symbol')}</li>`] : []),
    html`<li>${t('policy.not_common')}</li>`,
    html`<li>${t('policy.no_identity')}</li>`,
  ];
  return layout(frame, html`<section class="card narrow">
    <h1>${t('policy.title')}</h1>
    <p>${t('policy.intro')}</p>
    <ul class="policy">${rules}</ul>
    <p class="hint">${t('policy.keyboards')}</p>
  </section>`);
}
