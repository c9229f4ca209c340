/** The exam registration's pages: plain data in, markup out. */
import { formatDateTime, formatNumber, localizeDigits } from '../shared/format.ts';
import { html, type Markup } from '../shared/html.ts';
import { signInLink } from '../shared/layout.ts';
import type { Words } from '../shared/texts.ts';
import type { Exam, Registration } from './registrations.ts';
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

export type Student = { name: string; nationalId: string | null; userCode: string | null; school: string; grade: number | null };

// The user code is an identifier to be typed as it is: Latin letters and digits, left to right,
// in every language. A national ID is all digits and may take the reader's (as Kelid shows it).
function studentCard({ t, common, locale }: W, student: Student): Markup {
  return html`<section class="card" aria-labelledby="you">
  <h2 id="you">${t.you}</h2>
  <dl class="facts">
    <div><dt>${t.name}</dt><dd><bdi>${student.name}</bdi></dd></div>
    ${student.nationalId && html`<div><dt>${common.nationalId}</dt><dd><bdi>${localizeDigits(student.nationalId, locale)}</bdi></dd></div>`}
    ${student.userCode && html`<div><dt>${common.userCode}</dt><dd><bdi dir="ltr" class="code">${student.userCode.replace(/^(.{4})(.{4})$/, '$1-$2')}</bdi></dd></div>`}
    <div><dt>${common.school}</dt><dd><bdi>${student.school}</bdi></dd></div>
    <div><dt>${common.grade}</dt><dd>${student.grade === null ? common.unknown : formatNumber(student.grade, locale)}</dd></div>
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
    <div><dt>${t.trackingCode}</dt><dd><bdi dir="ltr" class="code">${registration.trackingCode}</bdi></dd></div>
    <div><dt>${t.registeredAt}</dt><dd>${formatDateTime(registration.registeredAt, locale, timeZone)}</dd></div>
  </dl>
</section>`;
}

/** The one exam the student's grade may sit, as a form that names it (the server checks it again). */
function registrationForm({ t }: W, exam: Exam, csrf: string, wrongExam: boolean): Markup {
  return html`<section class="card" aria-labelledby="exam">
  <h2 id="exam">${t.yourExam}</h2>
  ${wrongExam && html`<p class="alert error" role="alert">${t.wrongExam}</p>`}
  <dl class="facts">
    <div><dt>${t.exam}</dt><dd>${t.exams[exam]}<small>${t.examHints[exam]}</small></dd></div>
  </dl>
  <p class="hint">${t.yourExamHint}</p>
  <form method="post" action="/register">
    <input type="hidden" name="_csrf" value="${csrf}">
    <input type="hidden" name="exam" value="${exam}">
    <button type="submit" class="primary">${t.registerFor(t.exams[exam])}</button>
  </form>
</section>`;
}

/** Why there is nothing to register for: a grade that sits neither exam, or no grade at all. */
function notEligible({ t, locale }: W, grade: number | null): Markup {
  return html`<section class="card" aria-labelledby="not-eligible">
  <h2 id="not-eligible">${t.notEligibleTitle}</h2>
  <p class="alert info" role="status">${grade === null ? t.noGrade : t.notEligible(formatNumber(grade, locale))}</p>
</section>`;
}

export type HomeModel = {
  student: Student;
  csrf: string;
  timeZone: string;
  /** The exam the student's grade may sit, or null. */
  exam: Exam | null;
  registration: { record: Registration; notice: RegistrationNotice } | null;
  /** The form came back naming another exam than the grade's. */
  wrongExam: boolean;
};

export function home(w: W, model: HomeModel): Markup {
  const next = model.registration
    ? receipt(w, model.registration.record, model.registration.notice, model.timeZone)
    : model.exam === null ? notEligible(w, model.student.grade) : registrationForm(w, model.exam, model.csrf, model.wrongExam);
  return html`<h1>${w.t.homeTitle}</h1>
${studentCard(w, model.student)}
${next}`;
}

export function notStudent({ t }: W): Markup {
  return html`<section class="card">
  <h1>${t.notStudentTitle}</h1>
  <p>${t.notStudentBody}</p>
  <p>${t.audience}</p>
</section>`;
}
