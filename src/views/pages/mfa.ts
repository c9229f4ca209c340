/** Second factor pages (B3): enrol an authenticator app (QR code), recovery codes shown once, and the check. */
import { renderSVG } from 'uqr';
import type { TextKey } from '../../i18n/catalogs.ts';
import { errorSummary } from '../components/error-summary.ts';
import { assetUrl } from '../../http/asset-table.ts';
import { html, raw, type SafeHtml } from '../html.ts';
import { layout, type PageFrame } from '../layout.ts';

const codeField = (frame: PageFrame, error: string | null, label: TextKey) => html`<div class="field${error ? ' invalid' : ''}">
    <label for="code">${frame.t(label)}</label>
    <input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="16" required dir="ltr"${error ? html` aria-invalid="true" aria-describedby="code-error"` : ''}>
    ${error ? html`<ul class="errors" id="code-error"><li>${error}</li></ul>` : ''}
  </div>`;

export type PasskeyButton = { mode: 'register' | 'authenticate'; options: string; verify: string; next: string };

/** A passkey button: hidden unless JavaScript and WebAuthn are there (assets/passkey.js shows it). */
function passkeyButton(frame: PageFrame, button: PasskeyButton): SafeHtml {
  const { t } = frame;
  return html`<div class="passkey">
    <button type="button" class="secondary" hidden data-passkey="${button.mode}" data-options="${button.options}" data-verify="${button.verify}"
      data-next="${button.next}" data-csrf="${frame.csrfToken}" data-status="passkey-status" data-failed="${t('mfa.passkey_failed')}">${t(button.mode === 'register' ? 'mfa.passkey_add' : 'mfa.passkey_use')}</button>
    <p id="passkey-status" class="hint" role="status"></p>
  </div>
  <script src="${assetUrl('webauthn/index.umd.min.js')}" defer></script><script src="${assetUrl('passkey.js')}" defer></script>`;
}

export function enrolPage(frame: PageFrame, view: { uri: string; secret: string; action: string; error: string | null; passkey: PasskeyButton }): SafeHtml {
  const { t } = frame;
  // The QR code is an SVG drawn on the server from the otpauth:// URI: no script, no third party.
  const qr = raw(renderSVG(view.uri, { border: 2 }));
  return layout(frame, html`<section class="card narrow">
    <h1>${t('mfa.enrol_title')}</h1>
    <p>${t('mfa.enrol_intro')}</p>
    <div class="qr" role="img" aria-label="${t('mfa.qr_label')}">${qr}</div>
    <p class="hint">${t('mfa.secret_hint')}</p>
    <p class="secret" dir="ltr" lang="en">${view.secret.replace(/(.{4})/g, '$1 ').trim()}</p>
    ${errorSummary(t, view.error ? [{ text: view.error, target: 'code' }] : [])}
    <form method="post" action="${view.action}">
      <input type="hidden" name="_csrf" value="${frame.csrfToken}">
      ${codeField(frame, view.error, 'mfa.code')}
      <button type="submit" class="primary">${t('common.confirm')}</button>
    </form>
    ${passkeyButton(frame, view.passkey)}
  </section>`);
}

export function recoveryCodesPage(frame: PageFrame, codes: string[], next: string): SafeHtml {
  const { t } = frame;
  return layout(frame, html`<section class="card narrow">
    <h1>${t('mfa.recovery_title')}</h1>
    <p class="alert info">${t('mfa.recovery_intro')}</p>
    <ol class="codes" dir="ltr" lang="en">${codes.map((code) => html`<li><code>${code}</code></li>`)}</ol>
    <p><a class="button" href="${next}">${t('mfa.continue')}</a></p>
  </section>`);
}

export function verifyPage(frame: PageFrame, view: { action: string; error: string | null; totp: boolean; passkey: PasskeyButton | null; enrolledMeanwhile?: boolean }): SafeHtml {
  const { t } = frame;
  return layout(frame, html`<section class="card narrow">
    <h1>${t('mfa.verify_title')}</h1>
    ${view.enrolledMeanwhile ? html`<p class="alert info" role="status">${t('mfa.enrolled_meanwhile')}</p>` : html`<p>${t('mfa.verify_intro')}</p>`}
    ${view.passkey ? passkeyButton(frame, view.passkey) : ''}
    ${errorSummary(t, view.error ? [{ text: view.error, target: 'code' }] : [])}
    <form method="post" action="${view.action}">
      <input type="hidden" name="_csrf" value="${frame.csrfToken}">
      ${codeField(frame, view.error, view.totp ? 'mfa.code_or_recovery' : 'mfa.recovery_only')}
      <button type="submit" class="primary">${t('common.confirm')}</button>
    </form>
  </section>`);
}
