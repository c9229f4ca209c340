/** The OneRoster import page (issue 13 §5): the zip upload form, the counts by file and the row errors. */
import { rowMessage, type OneRosterReport } from '../../../admin/oneroster/report.ts';
import { formatDate, localizeDigits } from '../../../i18n/format.ts';
import { html, type SafeHtml } from '../../html.ts';
import { layout, type PageFrame } from '../../layout.ts';
import { roleText } from './import.ts';
import { adminNav } from './users.ts';
import { guideLink } from '../../components/guide-link.ts';
import { errorSummary } from '../../components/error-summary.ts';
import { scrollable } from '../../components/scrollable.ts';

const SHOWN_ERRORS = 2000;

/** The importer's own organization, as a file names it: its Kelid id (a sourcedId) or its code (an identifier). */
export type HomeOrganization = { id: string; name: string; code: string | null };
export type OneRosterView = { error: string | null; report: OneRosterReport | null; home: HomeOrganization };

/** Where a file's orgs.csv names the importer's organization, the id and code drawn left to right in any language. */
function homeHint(frame: PageFrame, home: HomeOrganization): SafeHtml {
  const sentence = frame.t(home.code === null ? 'oneroster.home_hint_no_code' : 'oneroster.home_hint', { name: home.name, id: '\u0001', code: '\u0002' });
  return html`${sentence.split(/([\u0001\u0002])/).map((part) =>
    part === '\u0001' ? html`<code dir="ltr">${home.id}</code>` : part === '\u0002' ? html`<code dir="ltr">${home.code ?? ''}</code>` : html`${part}`)}`;
}

export function oneRosterPage(frame: PageFrame, view: OneRosterView): SafeHtml {
  const { t, locale, formatting } = frame;
  const report = view.report;
  const n = (value: number) => localizeDigits(String(value), formatting);
  return layout(frame, html`<section class="card wide">
    <h1>${t('oneroster.title')}</h1>${guideLink(t, 'admin-oneroster')}
    ${adminNav(frame, '/admin/import')}
    <p>${t('oneroster.intro')}</p>
    <p class="hint">${homeHint(frame, view.home)}</p>
    ${errorSummary(t, view.error ? [{ text: view.error, target: 'file' }] : [])}
    <form method="post" action="/admin/import" enctype="multipart/form-data">
      <input type="hidden" name="_csrf" value="${frame.csrfToken}">
      <input type="hidden" name="form" value="oneroster">
      <div class="field"><label for="file">${t('oneroster.file')}</label><input type="file" id="file" name="file" accept=".zip,application/zip" required></div>
      <button type="submit" class="primary">${t('oneroster.submit')}</button>
    </form>
    ${report && html`<h2>${t('oneroster.report')}</h2>
      <p role="status" class="alert ${report.errors.length > 0 ? 'info' : 'success'}">${t('oneroster.counts', { created: report.created, updated: report.updated, ended: report.ended, unchanged: report.unchanged, errors: report.errors.length })}</p>
      <div class="table-wrap" ${scrollable(t('oneroster.report'))}><table>
        <thead><tr><th scope="col">${t('oneroster.col_file')}</th><th scope="col">${t('oneroster.col_rows')}</th><th scope="col">${t('oneroster.col_created')}</th>
          <th scope="col">${t('oneroster.col_updated')}</th><th scope="col">${t('oneroster.col_unchanged')}</th><th scope="col">${t('oneroster.col_errors')}</th></tr></thead>
        <tbody>${Object.entries(report.files).map(([file, c]) => html`<tr><td dir="ltr">${file}</td><td>${n(c.rows)}</td><td>${n(c.created)}</td><td>${n(c.updated)}</td><td>${n(c.unchanged)}</td><td>${n(c.errors)}</td></tr>`)}</tbody>
      </table></div>
      <p>${t('oneroster.appointments', report.appointments)}</p>
      <p class="hint">${t(report.schoolYear.from === 'profile' ? 'oneroster.school_year_profile' : 'oneroster.school_year_file',
        { start: formatDate(report.schoolYear.start, formatting), end: formatDate(report.schoolYear.end, formatting) })}</p>
      ${report.endedAppointments.length > 0 ? html`<h2>${t('oneroster.ended_title')}</h2>
      <div class="table-wrap" ${scrollable(t('oneroster.ended_title'))}><table>
        <thead><tr><th scope="col">${t('admin.col_last_name')}</th><th scope="col">${t('admin.col_first_name')}</th><th scope="col">${t('admin.col_national_id')}</th>
          <th scope="col">${t('admin.col_role')}</th><th scope="col">${t('admin.col_organization')}</th></tr></thead>
        <tbody>${report.endedAppointments.slice(0, SHOWN_ERRORS).map((e) => html`<tr><td>${e.lastName}</td><td>${e.firstName}</td>
          <td dir="ltr">${e.nationalId === null ? '' : localizeDigits(e.nationalId, formatting)}</td><td>${roleText(frame, e.role)}</td><td>${e.organization}</td></tr>`)}</tbody>
      </table></div>` : ''}
      ${report.errors.length > 0 ? html`<div class="table-wrap" ${scrollable(t('oneroster.report'))}><table>
        <thead><tr><th scope="col">${t('oneroster.col_file')}</th><th scope="col">${t('oneroster.col_line')}</th><th scope="col">${t('oneroster.col_field')}</th><th scope="col">${t('oneroster.col_problem')}</th></tr></thead>
        <tbody>${report.errors.slice(0, SHOWN_ERRORS).map((e) => html`<tr><td dir="ltr">${e.file}</td><td>${n(e.line)}</td><td dir="ltr">${e.field}</td><td>${e.message ?? rowMessage(t, e)}</td></tr>`)}</tbody>
      </table></div>` : ''}
      ${report.errors.length > SHOWN_ERRORS ? html`<p class="hint">${t('oneroster.more_errors', { shown: SHOWN_ERRORS, count: report.errors.length })}</p>` : ''}`}
  </section>`);
}
