/** Registration pages: the steps bar (F16), then the state's form, drawn from its form model (its buttons among its fields). */
import type { RegistrationFlow, RegistrationState } from '../../flows/registration/machine.ts';
import type { TextKey } from '../../i18n/catalogs.ts';
import { renderForm, type FlowPageView } from '../components/form.ts';
import { html } from '../html.ts';
import { layout, type PageFrame } from '../layout.ts';
import { guideLink } from '../components/guide-link.ts';

const steps: { key: TextKey; states: RegistrationState[] }[] = [
  { key: 'registration.step_identification', states: ['rules', 'details'] },
  { key: 'registration.step_verification', states: ['verify'] },
  { key: 'registration.step_finish', states: ['done'] },
];

export type RegistrationPage = FlowPageView<RegistrationFlow> & {
  /** Offer the English page for non-citizens (citizens' details step only). */
  offerInternational: boolean;
  /** The national ID is already registered: where to recover its password (F12). */
  recoveryHref: string | null;
  /** Sign-in once registered: on to the app the person came from, if any. */
  signInHref: string;
};

export function registrationPage(frame: PageFrame, page: RegistrationPage) {
  const { t } = frame;
  const state = page.flow.state;
  const current = steps.findIndex((s) => s.states.includes(state));
  return layout(frame, html`<section class="card narrow">
    <h1>${t('registration.title')}</h1>${guideLink(t, 'registration')}
    <ol class="steps">${steps.map((s, i) => html`<li${i === current ? html` aria-current="step"` : ''}${i < current ? html` class="done"` : ''}>${t(s.key)}</li>`)}</ol>
    ${page.recoveryHref ? html`<p class="alert info"><a href="${page.recoveryHref}">${t('registration.already_registered_link')}</a></p>` : ''}
    ${page.offerInternational ? html`<p class="hint"><a href="/register/international" hreflang="en">${t('registration.international_link')}</a></p>` : ''}
    ${state === 'done'
      ? html`${page.form.messages.map((m) => html`<p class="alert ${m.kind}" role="status">${t(m.code, m.params)}</p>`)}<p><a class="button" href="${page.signInHref}">${page.appName !== undefined ? t('sign_in.continue_to_app', { app: page.appName }) : t('sign_in.title')}</a></p>`
      : renderForm(page.form, t, { action: page.action, csrfToken: frame.csrfToken, clock: page.clock })}
  </section>`);
}
