/** Import (issue 5 §7): the upload form, and the row-by-row report. */
import type { ImportReport } from '../../../admin/import-report.ts';
import { localizeDigits } from '../../../i18n/format.ts';
import { html, type SafeHtml } from '../../html.ts';
import { layout, type PageFrame } from '../../layout.ts';
import { adminNav } from './users.ts';

const SHOWN_ROWS = 2000;

export function importPage(frame: PageFrame, view: { organizations: { id: string; name: string }[]; error: string | null; report: ImportReport | null; canInvite: boolean }): SafeHtml {
  const { t, locale } = frame;
  const report = view.report;
  return layout(frame, html`<section class="card wide">
    <h1>${t('admin.import')}</h1>
    ${adminNav(frame, '/admin/import')}
    <p>${t('imports.intro')}</p>
    <pre class="sample" dir="ltr">national_id,role,start,end,child_national_id,email
0067891233,teacher,1404/07/01,1405/06/31,,
0056789122,father,,,0045678911,father@example.org</pre>
    ${view.error && html`<p class="alert error" role="alert">${view.error}</p>`}
    <form method="post" action="/admin/import" enctype="multipart/form-data">
      <input type="hidden" name="_csrf" value="${frame.csrfToken}">
      ${view.organizations.length > 1 ? html`<div class="field"><label for="organizationId">${t('admin.col_organization')}</label>
        <select id="organizationId" name="organizationId">${view.organizations.map((o) => html`<option value="${o.id}">${o.name}</option>`)}</select></div>` : ''}
      <div class="field"><label for="file">${t('imports.file')}</label><input type="file" id="file" name="file" accept=".csv,text/csv,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required></div>
      ${view.canInvite ? html`<div class="field check"><label><input type="checkbox" name="sendInvitations" value="yes"> ${t('import.send_invitations')}</label></div>` : ''}
      <button type="submit" class="primary">${t('import.submit')}</button>
    </form>
    ${report && html`<h2>${t('import.report')}</h2>
      <p role="status" class="alert ${report.rejected > 0 ? 'info' : 'success'}">${t('import.counts', { created: report.created, existing: report.existing, rejected: report.rejected })}</p>
      ${report.notices.map((n) => html`<p class="alert info">${t(n.code, n.params)}</p>`)}
      ${report.invitations && ('batchId' in report.invitations
        ? html`<p class="alert info" role="status">${t('import.invitations_started')} <a href="/admin/invitation-batches/${report.invitations.batchId}">${t('import.invitations_progress')}</a></p>`
        : html`<p class="alert error" role="alert">${t(report.invitations.refused)}</p>`)}
      <div class="table-wrap"><table>
        <thead><tr><th scope="col">${t('import.line')}</th><th scope="col">${t('admin.col_national_id')}</th><th scope="col">${t('admin.col_role')}</th><th scope="col">${t('import.outcome')}</th><th scope="col">${t('import.reasons')}</th></tr></thead>
        <tbody>${report.rows.slice(0, SHOWN_ROWS).map((r) => html`<tr><td>${localizeDigits(String(r.line), locale)}</td><td dir="ltr">${r.nationalId}</td><td>${r.role}</td>
          <td>${t(`import.${r.outcome}`)}</td><td>${r.reasons.map((code) => t(code)).join('؛ ')}</td></tr>`)}</tbody>
      </table></div>
      ${report.rows.length > SHOWN_ROWS ? html`<p class="hint">${t('import.more_rows', { shown: SHOWN_ROWS, count: report.rows.length })}</p>` : ''}`}
  </section>`);
}
