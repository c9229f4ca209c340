/**
 * One's own sessions (B7): each live session with its device, address, way of sign-in, start
 * and last use, "this session" marked; a form per row to end it and one to end all the others
 * (plain POST forms with the CSRF token: no JavaScript needed). The table scrolls sideways
 * inside a focusable region, so a keyboard can scroll it on a 360 px phone.
 */
import type { Device } from '../../domain/device.ts';
import type { TextKey, Translate } from '../../i18n/catalogs.ts';
import { formatDateTime, formatList } from '../../i18n/format.ts';
import { html, type SafeHtml } from '../html.ts';
import { layout, type PageFrame } from '../layout.ts';

export type SessionRow = {
  id: string; current: boolean; kind: 'browser' | 'api'; device: Device; ip: string | null; amr: string[]; createdAt: Date; lastSeenAt: Date;
};

/** "Chrome on Android"; the browser, the system or the product alone when that is all there is. */
export function deviceText(t: Translate, device: Device): string {
  if (device.browser !== null && device.os !== null) return t('sessions.device_on', { browser: device.browser, os: device.os });
  return device.browser ?? device.os ?? device.product ?? t('sessions.device_unknown');
}

/**
 * The ways a session proved who it is, in words, the first factor first, from its RFC 8176
 * `amr`: `pwd` a password; `otp` with `sms` or `tel` a code sent by SMS or by a call (a code
 * sign-in), `otp` alone a code from an authenticator app or a recovery code; `hwk` a passkey.
 * `mfa` says only that there were two, which the words already show.
 */
export function signInMethods(amr: readonly string[]): TextKey[] {
  const keys: TextKey[] = [];
  if (amr.includes('pwd')) keys.push('sessions.method_pwd');
  if (amr.includes('sms')) keys.push('sessions.method_sms');
  else if (amr.includes('tel')) keys.push('sessions.method_tel');
  else if (amr.includes('otp')) keys.push('sessions.method_otp');
  if (amr.includes('hwk')) keys.push('sessions.method_hwk');
  return keys;
}

/** "Password, Passkey · browser": how the session signed in, and whether a browser or an app holds it. */
export function methodText(frame: PageFrame, amr: readonly string[], kind: SessionRow['kind']): string {
  const words = signInMethods(amr).map((key) => frame.t(key));
  return `${formatList(words, frame.locale)} · ${frame.t(kind === 'api' ? 'sessions.kind_api' : 'sessions.kind_browser')}`;
}

export function sessionsPage(frame: PageFrame, view: { rows: SessionRow[]; notice: string | null; timeZone: string }): SafeHtml {
  const { t, locale } = frame;
  const when = (at: Date) => formatDateTime(at, locale, view.timeZone);
  const others = view.rows.filter((row) => !row.current).length;
  return layout(frame, html`<section class="card wide">
    <h1>${t('sessions.title')}</h1>
    <p class="hint">${t('sessions.hint')}</p>
    ${view.notice && html`<p class="alert success" role="status">${view.notice}</p>`}
    <div class="table-wrap" role="region" tabindex="0" aria-label="${t('sessions.table')}"><table class="sessions">
      <thead><tr><th scope="col">${t('sessions.device')}</th><th scope="col">${t('sessions.address')}</th><th scope="col">${t('sessions.method')}</th>
        <th scope="col">${t('sessions.started')}</th><th scope="col">${t('sessions.last_seen')}</th><th scope="col">${t('sessions.actions')}</th></tr></thead>
      <tbody>${view.rows.map((row) => html`<tr${row.current ? html` aria-current="true"` : ''}>
        <th scope="row">${deviceText(t, row.device)}${row.current ? html` <strong class="tag">(${t('sessions.this_session')})</strong>` : ''}</th>
        <td dir="ltr">${row.ip ?? ''}</td>
        <td>${methodText(frame, row.amr, row.kind)}</td>
        <td>${when(row.createdAt)}</td>
        <td>${when(row.lastSeenAt)}</td>
        <td><form method="post" action="/account/sessions/${row.id}/end" class="inline">
          <input type="hidden" name="_csrf" value="${frame.csrfToken}"><button type="submit" class="secondary">${t('sessions.end')}</button></form></td>
      </tr>`)}</tbody>
    </table></div>
    ${others > 0
      ? html`<form method="post" action="/account/sessions/end-others" class="actions">
        <input type="hidden" name="_csrf" value="${frame.csrfToken}"><button type="submit" class="primary">${t('sessions.end_others')}</button></form>`
      : html`<p class="hint">${t('sessions.no_others')}</p>`}
  </section>`);
}
