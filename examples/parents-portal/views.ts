/** The parents portal's pages: plain data in, markup out. */
import { fullName, type ChildClaim } from '../shared/claims.ts';
import { formatDate, formatNumber, localizeDigits } from '../shared/format.ts';
import { html, type Markup } from '../shared/html.ts';
import { messagePage, signInLink } from '../shared/layout.ts';
import type { Words } from '../shared/texts.ts';
import type { Profile } from '../shared/config.ts';
import { firstExamGrade, type ChildRecord } from './sample-data.ts';
import type { PortalTexts } from './texts.ts';

type W = Words<PortalTexts>;

/** A child's page by the child's place in the parent's list (1, 2, …), not by national ID: addresses stay in the browser's history. */
export const childPath = (position: number) => `/children/${position}`;

export function landing({ t, common }: W): Markup {
  return html`<section class="card">
  <h1>${t.landingTitle}</h1>
  <p>${t.landingLead}</p>
  <p class="hint">${t.identifyNote}</p>
  <p>${signInLink(common)}</p>
</section>`;
}

function schoolAndGrade({ common, locale }: W, child: ChildClaim): string {
  return [child.school ?? common.unknown, child.grade !== null && `${common.grade} ${formatNumber(child.grade, locale)}`]
    .filter(Boolean).join(' · ');
}

export function childrenList(w: W, children: readonly ChildClaim[]): Markup {
  const { t } = w;
  return html`<h1>${t.childrenTitle}</h1>
${children.length === 0
    ? html`<p class="alert info">${t.noChildren}</p>`
    : html`<ul class="list">
  ${children.map((child, index) => html`<li><a href="${childPath(index + 1)}"><bdi>${fullName(child)}</bdi><small>${schoolAndGrade(w, child)}</small></a></li>`)}
</ul>`}`;
}

function examsTable({ t, locale }: W, record: ChildRecord, profile: Profile): Markup {
  if (record.exams.length === 0) {
    return html`<section class="card" aria-labelledby="exams">
  <h2 id="exams">${t.exams}</h2>
  <p class="muted">${t.noExams(formatNumber(firstExamGrade[profile], locale))}</p>
</section>`;
  }
  return html`<section class="card" aria-labelledby="exams">
  <h2 id="exams">${t.exams}</h2>
  <div class="table-wrap" role="region" tabindex="0" aria-labelledby="exams exams-scale">
  <table>
    <caption class="muted" id="exams-scale">${t.scale(formatNumber(record.scale, locale))}</caption>
    <thead><tr><th scope="col">${t.subject}</th><th scope="col">${t.date}</th><th scope="col" class="amount">${t.mark}</th></tr></thead>
    <tbody>
    ${record.exams.map((exam) => html`<tr>
      <th scope="row">${t.subjects[exam.subject]}</th>
      <td>${formatDate(exam.date, locale)}</td>
      <td class="amount">${exam.grade === null ? html`<span class="muted">${t.notYetHeld}</span>` : formatNumber(exam.grade, locale)}</td>
    </tr>`)}
    </tbody>
  </table>
  </div>
</section>`;
}

function decisionsList({ t, locale }: W, record: ChildRecord): Markup {
  return html`<section class="card" aria-labelledby="decisions">
  <h2 id="decisions">${t.decisions}</h2>
  ${record.decisions.length === 0
    ? html`<p class="muted">${t.noDecisions}</p>`
    : html`<dl class="facts">
    ${record.decisions.map((decision) => html`<div><dt>${formatDate(decision.date, locale)}</dt><dd>${t.decisionKinds[decision.kind]}</dd></div>`)}
  </dl>`}
</section>`;
}

export function childPage(w: W, child: ChildClaim, record: ChildRecord, profile: Profile): Markup {
  const { t, common, locale } = w;
  return html`<p><a href="/">${t.backToChildren}</a></p>
<h1><bdi>${fullName(child)}</bdi></h1>
<p class="alert info">${t.sampleNote}</p>
<section class="card">
  <dl class="facts">
    <div><dt>${common.nationalId}</dt><dd><bdi>${localizeDigits(child.national_id, locale)}</bdi></dd></div>
    <div><dt>${common.school}</dt><dd><bdi>${child.school ?? common.unknown}</bdi></dd></div>
    <div><dt>${common.grade}</dt><dd><bdi>${child.grade === null ? common.unknown : formatNumber(child.grade, locale)}</bdi></dd></div>
  </dl>
</section>
${examsTable(w, record, profile)}
${decisionsList(w, record)}`;
}

export function notYourChild({ t }: W): Markup {
  return messagePage(t.notYourChildTitle, [t.notYourChildBody], html`<a href="/">${t.backToChildren}</a>`);
}
