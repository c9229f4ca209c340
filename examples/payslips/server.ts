/**
 * Payslips: a teacher or staff member sees the payslips of the last six months (sample data,
 * see sample-data.ts), amounts in the reader's currency format, months and dates in the
 * reader's language (Solar Hijri in Persian).
 *
 *   GET /                   the landing page, or the list of payslips
 *   GET /payslips/:period   one month's payslip ('1404-07' in Iran, '2025-09' in Israel)
 */
import { buildExampleApp } from '../shared/app.ts';
import { requirePerson, signedInPerson } from '../shared/guards.ts';
import { actingIn, fullName, type Person } from '../shared/claims.ts';
import type { ExampleConfig } from '../shared/config.ts';
import { isoDateIn } from '../shared/format.ts';
import { runApps, type AppDeps, type ExampleApp } from '../shared/run.ts';
import { roleName, wordsFor, type Words } from '../shared/texts.ts';
import { payrollOf, payslips } from './sample-data.ts';
import { texts, type PayslipTexts } from './texts.ts';
import * as views from './views.ts';

/** The roles this app serves (Kelid refuses the others; the app checks again). */
const STAFF = ['teacher', 'staff', 'deputy', 'principal'];

export async function buildApp(config: ExampleConfig, deps: AppDeps = {}) {
  const now = deps.now ?? (() => new Date());
  const { calendar } = payrollOf[config.profile];
  const app = await buildExampleApp({ config, texts, scopes: ['national_id'], ...deps });

  const employee = (w: Words<PayslipTexts>, person: Person): views.Employee | null => {
    const post = actingIn(person, STAFF);
    return post && { name: fullName(person), nationalId: person.national_id, position: roleName(w.common, post.role), workplace: post.organization };
  };
  const ownPayslips = (person: Person) => payslips(person.sub, { today: isoDateIn(now(), config.timeZone), profile: config.profile });

  app.get('/', async (request, reply) => {
    const w = wordsFor(texts, request.appLocale);
    const person = signedInPerson(request);
    if (!person) return reply.page(w.t.landingTitle, views.landing(w));
    const who = employee(w, person);
    if (!who) return reply.code(403).page(w.t.notStaffTitle, views.notStaff(w));
    return reply.page(w.t.listTitle, views.payslipList(w, who, ownPayslips(person), calendar));
  });

  app.get<{ Params: { period: string } }>('/payslips/:period', { preHandler: requirePerson }, async (request, reply) => {
    const w = wordsFor(texts, request.appLocale);
    const person = signedInPerson(request);
    const who = person && employee(w, person);
    if (!person || !who) return reply.code(403).page(w.t.notStaffTitle, views.notStaff(w));
    const payslip = ownPayslips(person).find((slip) => slip.period.key === request.params.period);
    if (!payslip) return reply.code(404).page(w.t.noPayslipTitle, views.noPayslip(w));
    return reply.page(views.payslipTitle(w, payslip, calendar), views.payslipPage(w, who, payslip, calendar));
  });

  return app;
}

export const payslipsApp: ExampleApp = {
  name: 'payslips',
  defaults: { clientId: 'payslips', clientSecret: 'payslips-secret', port: 4003 },
  buildApp,
};

if (import.meta.main) await runApps([{ app: payslipsApp, env: process.env }]);
