/**
 * Gifted-school exam registration (SAMPAD, grades 7 and 10): a student signs in with Kelid,
 * sees their name and school, and registers for one of the two exams.
 *
 * The grade: Kelid's claims carry a student's school (`acting_as`, `roles`) but not their
 * grade, and this app does not guess it. It offers both exams, says who each is for, and
 * records the student's choice; one registration per student.
 *
 *   GET  /           the landing page, or the student's registration (form or receipt)
 *   POST /register   register once; a second time shows the first registration
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { buildExampleApp } from '../shared/app.ts';
import { signedInPerson, verifyForm, type Form } from '../shared/guards.ts';
import { actingIn, fullName, type Person } from '../shared/claims.ts';
import type { ExampleConfig } from '../shared/config.ts';
import { runApps, type AppDeps, type ExampleApp } from '../shared/run.ts';
import { wordsFor } from '../shared/texts.ts';
import { parseExam, Registrations } from './registrations.ts';
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
    return place && { name: fullName(person), nationalId: person.national_id, userCode: person.user_code, school: place.organization };
  };

  /** The student's page; the form again with `missingChoice`, or the receipt with its notice. */
  const homePage = (request: FastifyRequest, reply: FastifyReply, options: { missingChoice?: boolean; notice?: views.RegistrationNotice } = {}) => {
    const w = wordsFor(texts, request.locale);
    const person = signedInPerson(request);
    if (!person) return reply.page(w.t.landingTitle, views.landing(w));
    const who = student(person);
    if (!who) return reply.code(403).page(w.t.notStudentTitle, views.notStudent(w));
    const record = registrations.find(person.sub);
    return reply.page(w.t.homeTitle, views.home(w, {
      student: who,
      csrf: request.session?.csrf ?? '',
      timeZone: config.timeZone,
      registration: record && { record, notice: options.notice ?? 'existing' },
      missingChoice: options.missingChoice ?? false,
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
    const exam = parseExam(request.body['exam']);
    if (!exam) return homePage(request, reply.code(422), { missingChoice: true });
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
