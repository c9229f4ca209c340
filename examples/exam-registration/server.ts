/**
 * Gifted-school exam registration (SAMPAD, entrance to grades 7 and 10): a student signs in
 * with Kelid, sees their name, school and grade, and registers for the one exam their grade
 * may sit: grade 6 for SAMPAD 7th, grade 9 for SAMPAD 10th. Any other grade, or none in the
 * claims, is told why there is nothing to register for. One registration per student.
 *
 * The grade is the one of the student appointment the person acts as (`acting_as`, found in
 * `roles`): Kelid's, never typed by the student, and checked again when the form comes back.
 *
 *   GET  /           the landing page, or the student's registration (form, receipt or why not)
 *   POST /register   register once; a second time shows the first registration
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { buildExampleApp } from '../shared/app.ts';
import { signedInPerson, verifyForm, type Form } from '../shared/guards.ts';
import { actingIn, fullName, type Person } from '../shared/claims.ts';
import type { ExampleConfig } from '../shared/config.ts';
import { runApps, type AppDeps, type ExampleApp } from '../shared/run.ts';
import { wordsFor } from '../shared/texts.ts';
import { examFor, parseExam, Registrations } from './registrations.ts';
import { texts } from './texts.ts';
import * as views from './views.ts';

/** The one role this app serves (Kelid refuses the others; the app checks again). */
const STUDENT = ['student'];

export async function buildApp(config: ExampleConfig, deps: AppDeps = {}) {
  const now = deps.now ?? (() => new Date());
  const app = await buildExampleApp({ config, texts, scopes: ['national_id'], ...deps });
  const registrations = new Registrations();

  const student = (person: Person): views.Student | null => {
    const place = actingIn(person, STUDENT);
    return place && {
      name: fullName(person), nationalId: person.national_id, userCode: person.user_code, school: place.organization, grade: place.grade,
    };
  };

  /** The student's page; with `wrongExam` when a form asked for an exam the grade may not sit. */
  const homePage = (request: FastifyRequest, reply: FastifyReply, options: { wrongExam?: boolean; notice?: views.RegistrationNotice } = {}) => {
    const w = wordsFor(texts, request.appLocale);
    const person = signedInPerson(request);
    if (!person) return reply.page(w.t.landingTitle, views.landing(w));
    const who = student(person);
    if (!who) return reply.code(403).page(w.t.notStudentTitle, views.notStudent(w));
    const record = registrations.find(person.sub);
    return reply.page(w.t.homeTitle, views.home(w, {
      student: who,
      csrf: request.session?.csrf ?? '',
      timeZone: config.timeZone,
      exam: examFor(who.grade),
      registration: record && { record, notice: options.notice ?? 'existing' },
      wrongExam: options.wrongExam ?? false,
    }));
  };

  app.get<{ Querystring: { registered?: string } }>('/', async (request, reply) =>
    homePage(request, reply, request.query.registered === '1' ? { notice: 'registered' } : {}));

  // verifyForm: signed in, with the form's token (a session that ended meanwhile: "the form has expired").
  app.post<{ Body: Form }>('/register', { preHandler: verifyForm }, async (request, reply) => {
    const person = signedInPerson(request);
    const who = person && student(person);
    if (!person || !who) return homePage(request, reply);
    // Registered before (another tab, the back button): say so, whatever this form chose.
    if (registrations.find(person.sub)) return homePage(request, reply.code(409), { notice: 'already' });
    // The exam is the grade's, from Kelid's claims: a form naming another (or none) is refused.
    const exam = examFor(who.grade);
    if (exam === null || parseExam(request.body['exam']) !== exam) return homePage(request, reply.code(422), { wrongExam: exam !== null });
    registrations.add(person.sub, { exam, school: who.school }, now());
    // Post/redirect/get: a reload of the receipt does not post the form again.
    return reply.redirect('/?registered=1', 303);
  });

  return app;
}

export const examRegistration: ExampleApp = {
  name: 'exam-registration',
  defaults: { clientId: 'exam-registration', clientSecret: 'exam-registration-secret', port: 4001 },
  buildApp,
};

if (import.meta.main) await runApps([{ app: examRegistration, env: process.env }]);
