/**
 * One's own sessions (B7): each live session with its device, address, way of sign-in, start
 * and last use, "this session" marked; a form per session to end it and one to end all the
 * others (plain POST forms with the CSRF token: no JavaScript needed). A list of cards, not a
 * table: on a 360 px phone each session reads top to bottom, its end button in view, with no
 * sideways scrolling (a six-column table was 800 px wide there).
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
  const { t, locale, formatting } = frame;
  const when = (at: Date) => formatDateTime(at, formatting, view.timeZone);
  const others = view.rows.filter((row) => !row.current).length;
  return layout(frame, html`<section class="card wide">
    <h1>${t('sessions.title')}</h1>
    <p class="hint">${t('sessions.hint')}</p>
    ${view.notice && html`<p class="alert success" role="status">${view.notice}</p>`}
    <ul class="sessions" aria-label="${t('sessions.table')}">${view.rows.map((row) => html`<li class="session"${row.current ? html` aria-current="true"` : ''}>
      <h2>${deviceText(t, row.device)}${row.current ? html` <strong class="tag">(${t('sessions.this_session')})</strong>` : ''}</h2>
      <dl class="facts">
        <div><dt>${t('sessions.address')}</dt><dd dir="ltr" class="address">${row.ip ?? ''}</dd></div>
        <div><dt>${t('sessions.method')}</dt><dd>${methodText(frame, row.amr, row.kind)}</dd></div>
        <div><dt>${t('sessions.started')}</dt><dd>${when(row.createdAt)}</dd></div>
        <div><dt>${t('sessions.last_seen')}</dt><dd>${when(row.lastSeenAt)}</dd></div>
      </dl>
      <form method="post" action="/account/sessions/${row.id}/end">
        <input type="hidden" name="_csrf" value="${frame.csrfToken}"><button type="submit" class="secondary">${t('sessions.end')}</button></form>
    </li>`)}</ul>
    ${others > 0
      ? html`<form method="post" action="/account/sessions/end-others" class="actions">
        <input type="hidden" name="_csrf" value="${frame.csrfToken}"><button type="submit" class="primary">${t('sessions.end_others')}</button></form>`
      : html`<p class="hint">${t('sessions.no_others')}</p>`}
  </section>`);
}
