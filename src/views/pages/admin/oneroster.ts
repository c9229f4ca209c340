/** The OneRoster import page (issue 13 §5): the zip upload form, the counts by file and the row errors. */
import { rowMessage, type CreatedAppointment, type EndedAppointment, type OneRosterReport, type PersonOf, type UpdatedAppointment } from '../../../admin/oneroster/report.ts';
import { formatDate, localizeDigits } from '../../../i18n/format.ts';
import { html, type SafeHtml } from '../../html.ts';
import { layout, type PageFrame } from '../../layout.ts';
import { roleText } from './import.ts';
import { adminNav } from './users.ts';
import { guideLink } from '../../components/guide-link.ts';
import { errorSummary } from '../../components/error-summary.ts';
import { scrollable } from '../../components/scrollable.ts';

/** The most rows a table of the report shows (the API's report holds them all). */
const SHOWN_ROWS = 2000;

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
    ${report && reportSection(frame, report)}
  </section>`);
}

/** The report: the totals, what each file's rows did, the school year rows without dates took, whose appointments moved or ended, the rows in error. */
function reportSection(frame: PageFrame, report: OneRosterReport): SafeHtml {
  const { t, formatting } = frame;
  const n = (value: number) => localizeDigits(String(value), formatting);
  const counts = (c: { created: number; updated: number; unchanged: number }) => html`<td>${n(c.created)}</td><td>${n(c.updated)}</td><td>${n(c.unchanged)}</td>`;
  const span = (dates: { start: string; end: string | null }) => `${formatDate(dates.start, formatting)} – ${dates.end === null ? '' : formatDate(dates.end, formatting)}`;
  return html`<h2>${t('oneroster.report')}</h2>
    <p role="status" class="alert ${report.errors.length > 0 || report.notices.length > 0 ? 'info' : 'success'}">${t('oneroster.counts', { created: report.created, updated: report.updated, ended: report.ended, unchanged: report.unchanged, errors: report.errors.length })}</p>
    <div class="table-wrap" ${scrollable(t('oneroster.report'))}><table>
      <thead><tr><th scope="col">${t('oneroster.col_file')}</th><th scope="col">${t('oneroster.col_rows')}</th><th scope="col">${t('oneroster.col_created')}</th>
        <th scope="col">${t('oneroster.col_updated')}</th><th scope="col">${t('oneroster.col_unchanged')}</th><th scope="col">${t('oneroster.col_errors')}</th></tr></thead>
      <tbody>${Object.entries(report.files).filter(([, c]) => c.rows > 0).map(([file, c]) => html`<tr><td dir="ltr">${file}</td><td>${n(c.rows)}</td>${counts(c)}<td>${n(c.errors)}</td></tr>`)}
        <tr><th scope="row">${t('oneroster.appointments_row')}</th><td></td>${counts(report.appointments)}<td></td></tr></tbody>
    </table></div>
    <p class="hint">${t('oneroster.counts_hint')}</p>
    <p class="hint">${schoolYearHint(report.schoolYear, t, (date) => formatDate(date, formatting))}</p>
    ${people(frame, t('oneroster.created_title'), report.createdAppointments, [t('admin.col_start'), t('admin.col_end')],
      (c: CreatedAppointment) => [formatDate(c.start, formatting), c.end === null ? '' : formatDate(c.end, formatting)], report.appointments.created)}
    ${linkedTable(frame, report.linkedChildren, report.linked)}
    ${people(frame, t('oneroster.updated_title'), report.updatedAppointments, [t('oneroster.col_before'), t('oneroster.col_after')],
      (u: UpdatedAppointment) => [span(u.before), span(u.after)])}
    ${people(frame, t('oneroster.ended_title'), report.endedAppointments, [t('oneroster.col_last_day')], (e: EndedAppointment) => [formatDate(e.endsOn, formatting)])}
    ${rowTable(frame, t('oneroster.errors_title'), report.errors)}
    ${rowTable(frame, t('oneroster.notices_title'), report.notices)}`;
}

/** A titled table of rows (errors, or notices of rows applied): file, line, column, the cell's value, whose row, what is wrong; nothing when there are none. */
function rowTable(frame: PageFrame, title: string, rows: OneRosterReport['errors']): SafeHtml | '' {
  const { t, formatting } = frame;
  if (rows.length === 0) return '';
  return html`<h2>${title}</h2><div class="table-wrap" ${scrollable(title)}><table>
      <thead><tr><th scope="col">${t('oneroster.col_file')}</th><th scope="col">${t('oneroster.col_line')}</th><th scope="col">${t('oneroster.col_field')}</th><th scope="col">${t('oneroster.col_value')}</th><th scope="col">${t('admin.col_national_id')}</th><th scope="col">${t('oneroster.col_problem')}</th></tr></thead>
      <tbody>${rows.slice(0, SHOWN_ROWS).map((e) => html`<tr><td dir="ltr">${e.file}</td><td>${localizeDigits(String(e.line), formatting)}</td><td dir="ltr">${e.field}</td><td><bdi dir="auto">${e.value ?? ''}</bdi></td><td dir="ltr">${e.nationalId === undefined ? '' : localizeDigits(e.nationalId, formatting)}</td><td>${e.message ?? rowMessage(t, e)}</td></tr>`)}</tbody>
    </table></div>
    ${rows.length > SHOWN_ROWS ? html`<p class="hint">${t('oneroster.more_errors', { shown: SHOWN_ROWS, count: rows.length })}</p>` : ''}`;
}

/** Which dates rows without any took, and from where: the file's school year, or the current one because the file gave none or only ended ones. */
function schoolYearHint(year: OneRosterReport['schoolYear'], t: PageFrame['t'], date: (iso: string) => string): string {
  const dates = { start: date(year.start), end: date(year.end) };
  if (year.from === 'academicSessions.csv') return t('oneroster.school_year_file', dates);
  if (year.ended) return t('oneroster.school_year_ended', { ...dates, endedStart: date(year.ended.start), endedEnd: date(year.ended.end) });
  return t('oneroster.school_year_profile', dates);
}

/** Under a table that shows the first SHOWN_ROWS of a list of `listed`, itself the first of `total`: how many are shown of how many; nothing when all are. */
function moreRows(frame: PageFrame, listed: number, total: number): SafeHtml | '' {
  const shown = Math.min(listed, SHOWN_ROWS);
  return total > shown ? html`<p class="hint">${frame.t('oneroster.more_rows', { shown, count: total })}</p>` : '';
}

/** The parents and children this import linked, a pair a row; nothing when it linked none. */
function linkedTable(frame: PageFrame, links: OneRosterReport['linkedChildren'], total: number): SafeHtml | '' {
  if (links.length === 0) return '';
  const { t, formatting } = frame;
  const title = t('oneroster.linked_title');
  const person = (p: PersonOf) => html`<td>${p.lastName} ${p.firstName}</td><td dir="ltr">${p.nationalId === null ? '' : localizeDigits(p.nationalId, formatting)}</td>`;
  return html`<h2>${title}</h2>
    <div class="table-wrap" ${scrollable(title)}><table>
      <thead><tr><th scope="col">${t('oneroster.col_parent')}</th><th scope="col">${t('admin.col_national_id')}</th><th scope="col">${t('oneroster.col_child')}</th><th scope="col">${t('admin.col_national_id')}</th></tr></thead>
      <tbody>${links.slice(0, SHOWN_ROWS).map((l) => html`<tr>${person(l.parent)}${person(l.child)}</tr>`)}</tbody>
    </table></div>
    ${moreRows(frame, links.length, total)}`;
}

/**
 * A titled table of appointments, one person a row (name, national ID, role, organization), then `more` columns; nothing when the
 * list is empty. `total`: how many there are when the list holds only the first of them.
 */
function people<T extends CreatedAppointment | EndedAppointment | UpdatedAppointment>(frame: PageFrame, title: string, list: readonly T[], more: readonly string[], cells: (item: T) => string[], total = list.length): SafeHtml | '' {
  if (list.length === 0) return '';
  const { t, formatting } = frame;
  return html`<h2>${title}</h2>
    <div class="table-wrap" ${scrollable(title)}><table>
      <thead><tr><th scope="col">${t('admin.col_last_name')}</th><th scope="col">${t('admin.col_first_name')}</th><th scope="col">${t('admin.col_national_id')}</th>
        <th scope="col">${t('admin.col_role')}</th><th scope="col">${t('admin.col_organization')}</th>${more.map((m) => html`<th scope="col">${m}</th>`)}</tr></thead>
      <tbody>${list.slice(0, SHOWN_ROWS).map((a) => html`<tr><td>${a.lastName}</td><td>${a.firstName}</td>
        <td dir="ltr">${a.nationalId === null ? '' : localizeDigits(a.nationalId, formatting)}</td><td>${roleText(frame, a.role)}</td><td>${a.organization}</td>${cells(a).map((c) => html`<td>${c}</td>`)}</tr>`)}</tbody>
    </table></div>
    ${moreRows(frame, list.length, total)}`;
}

