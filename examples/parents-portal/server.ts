/**
 * The parents portal: a parent sees each child Kelid links to them (the `children` claim)
 * and what the portal holds about the child: matriculation exam dates and grades, and
 * special-education committee decisions (sample data, see sample-data.ts).
 *
 * Which children a parent may see comes only from their own signed-in claims: a national ID
 * in an address that is not among them gets "not one of your children", whether or not such
 * a child exists (the portal does not know, and would not say).
 *
 *   GET /                        the landing page, or the list of the parent's children
 *   GET /children/:nationalId    one child's exams and decisions
 */
import { buildExampleApp } from '../shared/app.ts';
import { requirePerson, signedInPerson } from '../shared/guards.ts';
import { fullName, type ChildClaim, type Person } from '../shared/claims.ts';
import type { ExampleConfig } from '../shared/config.ts';
import { isoDateIn } from '../shared/format.ts';
import { runApps, type AppDeps, type ExampleApp } from '../shared/run.ts';
import { wordsFor } from '../shared/texts.ts';
import { childRecord } from './sample-data.ts';
import { texts } from './texts.ts';
import * as views from './views.ts';

/** The child of this parent with this national ID, or null: the one check that guards a child's page. */
export function ownChild(person: Person, nationalId: string): ChildClaim | null {
  return person.children.find((child) => child.national_id === nationalId) ?? null;
}

export async function buildApp(config: ExampleConfig, deps: AppDeps = {}) {
  const now = deps.now ?? (() => new Date());
  const app = await buildExampleApp({ config, texts, scopes: ['children'], ...deps });

  app.get('/', async (request, reply) => {
    const w = wordsFor(texts, request.appLocale);
    const person = signedInPerson(request);
    if (!person) return reply.page(w.t.landingTitle, views.landing(w));
    return reply.page(w.t.childrenTitle, views.childrenList(w, person.children));
  });

  app.get<{ Params: { nationalId: string } }>('/children/:nationalId', { preHandler: requirePerson }, async (request, reply) => {
    const w = wordsFor(texts, request.appLocale);
    const person = signedInPerson(request);
    const child = person && ownChild(person, request.params.nationalId);
    if (!child) return reply.code(404).page(w.t.notYourChildTitle, views.notYourChild(w));
    const record = childRecord(child.national_id, { today: isoDateIn(now(), config.timeZone), profile: config.profile });
    return reply.page(fullName(child), views.childPage(w, child, record));
  });

  return app;
}

export const parentsPortal: ExampleApp = {
  name: 'parents-portal',
  defaults: { clientId: 'parents-portal', clientSecret: 'parents-portal-secret', port: 4002 },
  buildApp,
};

if (import.meta.main) await runApps([{ app: parentsPortal, env: process.env }]);
