/** The exam registration's pages: plain data in, markup out. */
import { formatDateTime, localizeDigits } from '../shared/format.ts';
import { html, type Markup } from '../shared/html.ts';
import { signInLink } from '../shared/layout.ts';
import type { Words } from '../shared/texts.ts';
import { exams, type Registration } from './registrations.ts';
import type { ExamTexts } from './texts.ts';

type W = Words<ExamTexts>;

export function landing({ t, common }: W): Markup {
  return html`<section class="card">
  <p class="lead">${t.gateway}</p>
  <h1>${t.landingTitle}</h1>
  <p>${t.landingLead}</p>
  <p>${signInLink(common)}</p>
  <p class="hint">${common.signInLead}</p>
</section>`;
}

export type Student = { name: string; nationalId: string | null; userCode: string | null; school: string };

function studentCard({ t, common, locale }: W, student: Student): Markup {
  return html`<section class="card" aria-labelledby="you">
  <h2 id="you">${t.you}</h2>
  <dl class="facts">
    <div><dt>${t.name}</dt><dd><bdi>${student.name}</bdi></dd></div>
    ${student.nationalId && html`<div><dt>${common.nationalId}</dt><dd><bdi>${localizeDigits(student.nationalId, locale)}</bdi></dd></div>`}
    ${student.userCode && html`<div><dt>${common.userCode}</dt><dd><bdi>${localizeDigits(student.userCode, locale)}</bdi></dd></div>`}
    <div><dt>${common.school}</dt><dd><bdi>${student.school}</bdi></dd></div>
  </dl>
</section>`;
}

/** Why the registration is shown: just made, made before and tried again, or simply there. */
export type RegistrationNotice = 'registered' | 'already' | 'existing';

function receipt(w: W, registration: Registration, notice: RegistrationNotice, timeZone: string): Markup {
  const { t, locale } = w;
  const message = { registered: t.registered, already: t.alreadyRegistered, existing: t.isRegistered }[notice];
  return html`<section class="card">
  <p class="alert ${notice === 'already' ? 'info' : 'success'}" role="status">${message}</p>
  <dl class="facts">
    <div><dt>${t.exam}</dt><dd>${t.exams[registration.exam]}</dd></div>
    <div><dt>${t.trackingCode}</dt><dd><bdi>${localizeDigits(registration.trackingCode, locale)}</bdi></dd></div>
    <div><dt>${t.registeredAt}</dt><dd>${formatDateTime(registration.registeredAt, locale, timeZone)}</dd></div>
  </dl>
</section>`;
}

function registrationForm({ t }: W, csrf: string, missingChoice: boolean): Markup {
  return html`<section class="card">
  <form method="post" action="/register" novalidate>
    <input type="hidden" name="_csrf" value="${csrf}">
    <fieldset class="${missingChoice ? 'invalid' : ''}" aria-describedby="exam-hint${missingChoice ? ' exam-error' : ''}">
      <legend>${t.chooseExam}</legend>
      <p class="hint" id="exam-hint">${t.chooseExamHint}</p>
      ${missingChoice && html`<p class="error-text" id="exam-error">${t.mustChoose}</p>`}
      ${exams.map((exam) => html`<label class="option">
        <input type="radio" name="exam" value="${exam}" required>
        <span>${t.exams[exam]}<small>${t.examHints[exam]}</small></span>
      </label>`)}
    </fieldset>
    <button type="submit" class="primary">${t.register}</button>
  </form>
</section>`;
}

export type HomeModel = {
  student: Student;
  csrf: string;
  timeZone: string;
  registration: { record: Registration; notice: RegistrationNotice } | null;
  missingChoice: boolean;
};

export function home(w: W, model: HomeModel): Markup {
  return html`<h1>${w.t.homeTitle}</h1>
${studentCard(w, model.student)}
${model.registration
    ? receipt(w, model.registration.record, model.registration.notice, model.timeZone)
    : registrationForm(w, model.csrf, model.missingChoice)}`;
}

export function notStudent({ t }: W): Markup {
  return html`<section class="card">
  <h1>${t.notStudentTitle}</h1>
  <p>${t.notStudentBody}</p>
  <p>${t.audience}</p>
</section>`;
}
