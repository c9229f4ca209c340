/** Import (issue 5 §7, issue 13 §4): the upload form, the row-by-row report, a background import's progress. */
import type { ImportReport } from '../../../admin/import-report.ts';
import type { ImportJobStatus } from '../../../admin/imports/jobs.ts';
import { isMessageKey } from '../../../i18n/catalogs.ts';
import type { Profile } from '../../../domain/profile.ts';
import { localizeDigits } from '../../../i18n/format.ts';
import { html, type SafeHtml } from '../../html.ts';
import { layout, type PageFrame } from '../../layout.ts';
import { adminNav } from './users.ts';
import { guideLink } from '../../components/guide-link.ts';
import { errorSummary } from '../../components/error-summary.ts';
import { scrollable } from '../../components/scrollable.ts';

const SHOWN_ROWS = 2000;

/** A file to copy, in the deployment's IDs and calendar (the Israeli profile's dates are Gregorian, year first). */
const SAMPLES: Record<Profile, string> = {
  ir: `national_id,role,start,end,child_national_id,email
0067891233,teacher,1404/07/01,1405/06/31,,
0056789122,father,,,0045678911,father@example.org`,
  il: `national_id,role,start,end,child_national_id,email
067891234,teacher,2025-09-01,2026-06-30,,
056789126,father,,,045678919,father@example.org`,
};

export function importPage(frame: PageFrame, view: { organizations: { id: string; name: string }[]; error: string | null; report: ImportReport | null; canInvite: boolean; profile: Profile }): SafeHtml {
  const { t } = frame;
  const report = view.report;
  return layout(frame, html`<section class="card wide">
    <h1>${t('admin.import')}</h1>${guideLink(t, 'admin-import')}
    ${adminNav(frame, '/admin/import')}
    <p>${t('imports.intro')}</p>
    <p><a href="/admin/import/oneroster">${t('oneroster.title')}</a></p>
    <pre class="sample" dir="ltr" ${scrollable(t('admin.import'))}>${SAMPLES[view.profile]}</pre>
    ${errorSummary(t, view.error ? [{ text: view.error, target: 'file' }] : [])}
    <form method="post" action="/admin/import" enctype="multipart/form-data">
      <input type="hidden" name="_csrf" value="${frame.csrfToken}">
      ${view.organizations.length > 1 ? html`<div class="field"><label for="organizationId">${t('admin.col_organization')}</label>
        <select id="organizationId" name="organizationId">${view.organizations.map((o) => html`<option value="${o.id}">${o.name}</option>`)}</select></div>` : ''}
      <div class="field"><label for="file">${t('imports.file')}</label><input type="file" id="file" name="file" accept=".csv,text/csv,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required></div>
      ${view.canInvite ? html`<div class="field check"><label><input type="checkbox" name="sendInvitations" value="yes"> ${t('import.send_invitations')}</label></div>` : ''}
      <button type="submit" class="primary">${t('import.submit')}</button>
    </form>
    ${report && reportSection(frame, report)}
  </section>`);
}

/** A row's role in the reader's words when the file named a known one (by code or by name), else as the file wrote it. */
export function roleText(frame: PageFrame, role: string): SafeHtml {
  const key = `role.${role}`;
  return isMessageKey(key) ? html`${frame.t(key)}` : html`<bdi dir="auto">${role}</bdi>`;
}

/** The report of an import: its counts, what it noticed about the file, its first rows. */
function reportSection(frame: PageFrame, report: ImportReport): SafeHtml {
  const { t, locale, formatting } = frame;
  return html`<h2>${t('import.report')}</h2>
      <p role="status" class="alert ${report.rejected > 0 ? 'info' : 'success'}">${t('import.counts', { created: report.created, existing: report.existing, rejected: report.rejected })}</p>
      ${report.notices.map((n) => html`<p class="alert info">${t(n.code, n.params)}</p>`)}
      ${report.invitations && ('batchId' in report.invitations
        ? html`<p class="alert info" role="status">${t('import.invitations_started')} <a href="/admin/invitation-batches/${report.invitations.batchId}">${t('import.invitations_progress')}</a></p>`
        : html`<p class="alert error" role="alert">${t(report.invitations.refused)}</p>`)}
      <div class="table-wrap" ${scrollable(t('import.report'))}><table>
        <thead><tr><th scope="col">${t('import.line')}</th><th scope="col">${t('admin.col_national_id')}</th><th scope="col">${t('admin.col_role')}</th><th scope="col">${t('import.outcome')}</th><th scope="col">${t('import.reasons')}</th></tr></thead>
        <tbody>${report.rows.slice(0, SHOWN_ROWS).map((r) => html`<tr><td>${localizeDigits(String(r.line), formatting)}</td><td dir="ltr">${r.nationalId}</td><td>${roleText(frame, r.role)}</td>
          <td>${t(`import.${r.outcome}`)}</td><td>${r.reasons.map((code) => t(code)).join('؛ ')}</td></tr>`)}</tbody>
      </table></div>
      ${report.rows.length > SHOWN_ROWS ? html`<p class="hint">${t('import.more_rows', { shown: SHOWN_ROWS, count: report.rows.length })}</p>` : ''}`;
}

/** A background import (jobs.ts): its progress while it runs (the route asks for a refresh), then its report or why it failed. */
export function importJobPage(frame: PageFrame, job: ImportJobStatus): SafeHtml {
  const { t } = frame;
  return layout(frame, html`<section class="card wide">
    <h1>${t('imports.job_title')}</h1>${guideLink(t, 'admin-import')}
    ${adminNav(frame, '/admin/import')}
    ${job.state === 'running' ? html`<p>${t('imports.job_started')}</p><p role="status">${job.done === 0 ? t('imports.job_queued') : t('imports.job_running', { done: job.done, total: job.total })}</p>
      <progress max="${job.total}" value="${job.done}" aria-label="${t('imports.job_progress')}">${job.done}/${job.total}</progress>
      <p class="hint">${t('imports.job_refresh')}</p>` : ''}
    ${job.state === 'failed' ? html`<p class="alert error" role="alert">${t('imports.job_failed')} ${job.failure ? t(job.failure.code, job.failure.params) : ''}</p>` : ''}
    ${job.state === 'done' && job.report ? reportSection(frame, job.report) : ''}
    <p><a href="/admin/import">${t('admin.import')}</a></p>
  </section>`);
}
