/**
 * One user (detail, end an appointment, their sessions and lock), the reset confirmation (seed 1
 * §7) and the password shown once; the confirmations of ending a user's sessions and of unlocking.
 */
import type { AccessState } from '../../../admin/user-access.ts';
import type { UserDetail } from '../../../admin/user-detail.ts';
import { formatDate, formatDateTime, localizeDigits } from '../../../i18n/format.ts';
import { html, type SafeHtml } from '../../html.ts';
import { layout, type PageFrame } from '../../layout.ts';
import { refusalAlert, type Refusal } from './passwords.ts';
import { adminNav } from './users.ts';
import { guideLink } from '../../components/guide-link.ts';
import { scrollable } from '../../components/scrollable.ts';

export type UserPageOptions = {
  canEnd: boolean; canEdit: boolean; canReset: boolean; canEndSessions: boolean; canUnlock: boolean; canInvite?: boolean;
  /** The actor's role may reset, invite, end sessions or unlock, but not this person (not wholly theirs): the page says why. */
  notActedOn: boolean;
  access: AccessState; today: string; timeZone: string; notice: string | null;
};

export function userPage(frame: PageFrame, user: UserDetail, options: UserPageOptions): SafeHtml {
  const { t, locale, formatting } = frame;
  const { access } = options;
  return layout(frame, html`<section class="card wide">
    <h1>${user.firstName} ${user.lastName}</h1>${guideLink(t, 'admin-user')}
    ${adminNav(frame, '')}
    ${options.notice && html`<p class="alert success" role="status">${options.notice}</p>`}
    <dl class="facts">
      <div><dt>${t('admin.col_national_id')}</dt><dd dir="ltr">${user.nationalId === null ? '' : localizeDigits(user.nationalId, formatting)}</dd></div>
      <div><dt>${t('home.user_code')}</dt><dd dir="ltr">${user.userCode.slice(0, 4)}-${user.userCode.slice(4)}</dd></div>
      <div><dt>${t('invitation.email_on_record')}</dt><dd dir="ltr">${user.email ?? '—'}${user.email !== null && !user.emailVerified ? html` <span dir="auto">${t('invitation.email_unverified')}</span>` : ''}</dd></div>
      <div><dt>${t('admin.status')}</dt><dd>${t(`admin.status_${user.status}`)}${user.mustChangePassword ? html` · ${t('admin.must_change')}` : ''}${user.mustChangePassword === null ? html` · ${t('admin.no_password')}` : ''}</dd></div>
      <div><dt>${t('sessions.admin_active')}</dt><dd>${localizeDigits(String(access.activeSessions), formatting)}</dd></div>
      <div><dt>${t('sessions.admin_sign_in')}</dt><dd>${access.lockedUntil === null ? t('sessions.admin_not_locked')
        : t('sessions.admin_locked_until', { time: formatDateTime(access.lockedUntil, formatting, options.timeZone) })}</dd></div>
    </dl>
    ${options.notActedOn ? html`<p class="hint">${t('admin.not_acted_on')}</p>` : ''}
    <p class="actions">
      ${options.canReset ? html`<a class="button" href="/admin/users/${user.accountId}/reset">⇄ ${t('admin.reset')}</a>` : ''}
      ${options.canEndSessions && access.activeSessions > 0 ? html`<a class="button" href="/admin/users/${user.accountId}/end-sessions">${t('sessions.admin_end')}</a>` : ''}
      ${options.canUnlock && access.lockedUntil !== null ? html`<a class="button" href="/admin/users/${user.accountId}/unlock">${t('sessions.admin_unlock')}</a>` : ''}
      ${options.canInvite ? html`<a class="button secondary" href="/admin/users/${user.accountId}/invite">✉ ${t('invitation.send')}</a>` : ''}
    </p>
    <h2>${t('admin.appointments')}</h2>
    <div class="table-wrap" ${scrollable(t('admin.appointments'))}><table>
      <thead><tr><th scope="col">${t('admin.col_role')}</th><th scope="col">${t('admin.col_organization')}</th><th scope="col">${t('admin.col_start')}</th><th scope="col">${t('admin.col_end')}</th><th scope="col"><span class="visually-hidden">${t('flow.actions')}</span></th></tr></thead>
      <tbody>${user.memberships.map((m) => {
        const active = m.startsOn <= options.today && (m.endsOn === null || m.endsOn >= options.today);
        return html`<tr><td>${t(`role.${m.role}`)}</td><td>${m.organization}</td><td>${formatDate(m.startsOn, formatting)}</td><td>${m.endsOn === null ? '' : formatDate(m.endsOn, formatting)}</td>
        <td>${options.canEnd && active ? html`<form method="post" action="/admin/memberships/${m.id}/end" class="inline">
          <input type="hidden" name="_csrf" value="${frame.csrfToken}"><button type="submit" class="secondary">${t('admin.end_appointment')}</button></form>` : active ? t('admin.active') : t('admin.inactive')}
          ${options.canEdit ? html` <a href="/admin/memberships/${m.id}/edit">${t('admin.edit')}</a>` : ''}</td></tr>`;
      })}</tbody>
    </table></div>
    ${user.children.length > 0 && html`<h2>${t('admin.children')}</h2><ul>${user.children.map((c) => html`<li>${c.firstName} ${c.lastName} (<span dir="ltr">${c.nationalId === null ? '' : localizeDigits(c.nationalId, formatting)}</span>) · ${t(`role.${c.relation}`)}</li>`)}</ul>`}
  </section>`);
}

/**
 * `version`: the password's as the page is drawn (admin/password-reset.ts passwordVersion),
 * posted back with the confirmation; `recentReset`: the time of an administrator's reset of it
 * a few minutes ago, or null: confirming again voids the password given then, and it says so.
 */
export function resetConfirmPage(frame: PageFrame, user: { accountId: string; name: string; version: string; recentReset: string | null }, refusal: Refusal | null = null): SafeHtml {
  const { t } = frame;
  return layout(frame, html`<section class="card narrow">
    <h1>${t('admin.reset')}</h1>${guideLink(t, 'admin-reset')}
    <p>${user.name}</p>
    ${refusal && (refusal.code === 'admin.reset_changed_since'
      // Nothing to correct: what happened, and the choice, said as news rather than as an error.
      ? html`<p class="alert info" role="status">${t(refusal.code)}</p>`
      : refusalAlert(frame, refusal))}
    ${user.recentReset !== null && refusal === null ? html`<p class="alert info" role="status">${t('admin.reset_recent', { time: user.recentReset })}</p>` : ''}
    <p class="alert info" role="alertdialog" aria-label="${t('admin.reset')}">${t('admin.reset_confirm')}</p>
    <form method="post" action="/admin/users/${user.accountId}/reset">
      <input type="hidden" name="_csrf" value="${frame.csrfToken}"><input type="hidden" name="version" value="${user.version}">
      <button type="submit" class="primary">${t('common.confirm')}</button>
      <a href="/admin/users">${t('admin.cancel')}</a>
    </form>
  </section>`);
}

export function temporaryPasswordPage(frame: PageFrame, user: { name: string; nationalId: string | null }, password: string): SafeHtml {
  const { t, locale, formatting } = frame;
  return layout(frame, html`<section class="card narrow">
    <h1>${t('admin.reset_done')}</h1>
    <p>${user.name}${user.nationalId === null ? '' : html` (<span dir="ltr">${localizeDigits(user.nationalId, formatting)}</span>)`}</p>
    <p class="secret" dir="ltr" lang="en">${password}</p>
    <p class="alert info">${t('admin.reset_hand_over')}</p>
    <p class="hint">${t('admin.shown_once')}</p>
    <p><a href="/admin/users">${t('admin.users_title')}</a></p>
  </section>`);
}

/** "End all sessions" and "unlock", each asked once more before it is done (as the reset is). */
export function accessConfirmPage(frame: PageFrame, user: { accountId: string; name: string }, what: 'end-sessions' | 'unlock'): SafeHtml {
  const { t } = frame;
  const title = t(what === 'unlock' ? 'sessions.admin_unlock' : 'sessions.admin_end');
  return layout(frame, html`<section class="card narrow">
    <h1>${title}</h1>
    <p>${user.name}</p>
    <p class="alert info" role="alertdialog" aria-label="${title}">${t(what === 'unlock' ? 'sessions.admin_unlock_confirm' : 'sessions.admin_end_confirm')}</p>
    <form method="post" action="/admin/users/${user.accountId}/${what}">
      <input type="hidden" name="_csrf" value="${frame.csrfToken}">
      <button type="submit" class="primary">${t('common.confirm')}</button>
      <a href="/admin/users/${user.accountId}">${t('admin.cancel')}</a>
    </form>
  </section>`);
}
