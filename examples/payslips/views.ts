/** The payslips app's pages: plain data in, markup out. */
import { formatDate, formatMoney, formatMonth, localizeDigits, type Calendar } from '../shared/format.ts';
import { html, type Markup } from '../shared/html.ts';
import { messagePage, signInLink } from '../shared/layout.ts';
import type { Words } from '../shared/texts.ts';
import type { PayLine, Payslip } from './sample-data.ts';
import type { PayslipTexts } from './texts.ts';

type W = Words<PayslipTexts>;

export type Employee = { name: string; nationalId: string | null; position: string; workplace: string };

/** A pay month is named in the payroll's calendar, in the reader's language ("مهر ۱۴۰۴", "Mehr 1404"). */
const monthName = ({ locale }: W, payslip: Payslip, calendar: Calendar) => formatMonth(payslip.period.lastDay, locale, calendar);

export function landing({ t, common }: W): Markup {
  return html`<section class="card">
  <h1>${t.landingTitle}</h1>
  <p>${t.landingLead}</p>
  <p>${signInLink(common)}</p>
  <p class="hint">${common.signInLead}</p>
</section>`;
}

function employeeCard({ t, common, locale }: W, employee: Employee): Markup {
  return html`<section class="card" aria-labelledby="employee">
  <h2 id="employee">${t.employee}</h2>
  <dl class="facts">
    <div><dt>${t.name}</dt><dd><bdi>${employee.name}</bdi></dd></div>
    ${employee.nationalId && html`<div><dt>${common.nationalId}</dt><dd><bdi>${localizeDigits(employee.nationalId, locale)}</bdi></dd></div>`}
    <div><dt>${t.position}</dt><dd>${employee.position}</dd></div>
    <div><dt>${t.workplace}</dt><dd><bdi>${employee.workplace}</bdi></dd></div>
  </dl>
</section>`;
}

export function payslipList(w: W, employee: Employee, payslips: readonly Payslip[], calendar: Calendar): Markup {
  const { t, locale } = w;
  return html`<h1>${t.listTitle}</h1>
<p class="alert info">${t.sampleNote}</p>
${employeeCard(w, employee)}
<ul class="list">
  ${payslips.map((payslip) => html`<li><a href="/payslips/${payslip.period.key}">${monthName(w, payslip, calendar)}<small>${t.net}: ${formatMoney(payslip.net, payslip.currency, locale)}</small></a></li>`)}
</ul>`;
}

function lines({ t, locale }: W, caption: string, items: readonly PayLine[], currency: string, totalLabel: string, total: number): Markup {
  return html`<tbody>
    <tr><th scope="rowgroup" colspan="2">${caption}</th></tr>
    ${items.map((line) => html`<tr><td>${t.lines[line.kind]}</td><td class="amount">${formatMoney(line.amount, currency, locale)}</td></tr>`)}
    <tr><th scope="row">${totalLabel}</th><td class="amount"><strong>${formatMoney(total, currency, locale)}</strong></td></tr>
  </tbody>`;
}

export function payslipTitle(w: W, payslip: Payslip, calendar: Calendar): string {
  return w.t.payslipOf(monthName(w, payslip, calendar));
}

export function payslipPage(w: W, employee: Employee, payslip: Payslip, calendar: Calendar): Markup {
  const { t, locale } = w;
  return html`<p><a href="/">${t.backToList}</a></p>
<h1 id="payslip">${payslipTitle(w, payslip, calendar)}</h1>
<p class="alert info">${t.sampleNote}</p>
${employeeCard(w, employee)}
<section class="card">
  <dl class="facts">
    <div><dt>${t.period}</dt><dd>${formatDate(payslip.period.firstDay, locale)} – ${formatDate(payslip.period.lastDay, locale)}</dd></div>
    <div><dt>${t.paidOn}</dt><dd>${formatDate(payslip.paidOn, locale)}</dd></div>
  </dl>
  <div class="table-wrap" role="region" tabindex="0" aria-labelledby="payslip">
  <table>
    <thead><tr><th scope="col">${t.item}</th><th scope="col" class="amount">${t.amount}</th></tr></thead>
    ${lines(w, t.earnings, payslip.earnings, payslip.currency, t.gross, payslip.gross)}
    ${lines(w, t.deductions, payslip.deductions, payslip.currency, t.totalDeductions, payslip.totalDeductions)}
    <tfoot><tr><th scope="row">${t.net}</th><td class="amount">${formatMoney(payslip.net, payslip.currency, locale)}</td></tr></tfoot>
  </table>
  </div>
</section>`;
}

export function noPayslip({ t }: W): Markup {
  return messagePage(t.noPayslipTitle, [t.noPayslipBody], html`<a href="/">${t.backToList}</a>`);
}

export function notStaff({ t }: W): Markup {
  return messagePage(t.notStaffTitle, [t.notStaffBody, t.audience], null);
}
