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
 *   GET /children/:position      one child's exams and decisions (1, 2, … in the parent's list)
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

/**
 * The child at this place (`1`, `2`, … as the address writes it) in this parent's own list, or
 * null: the one check that guards a child's page. Only the parent's `children` claim is read, so
 * no address reaches another parent's child; the address names no national ID.
 */
export function ownChild(person: Person, position: string): ChildClaim | null {
  if (!/^[1-9][0-9]{0,2}$/.test(position)) return null;
  return person.children[Number(position) - 1] ?? null;
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

  app.get<{ Params: { position: string } }>('/children/:position', { preHandler: requirePerson }, async (request, reply) => {
    const w = wordsFor(texts, request.appLocale);
    const person = signedInPerson(request);
    const child = person && ownChild(person, request.params.position);
    if (!child) return reply.code(404).page(w.t.notYourChildTitle, views.notYourChild(w));
    const record = childRecord(child.national_id, { today: isoDateIn(now(), config.timeZone), profile: config.profile, schoolGrade: child.grade });
    return reply.page(fullName(child), views.childPage(w, child, record, config.profile));
  });

  return app;
}

export const parentsPortal: ExampleApp = {
  name: 'parents-portal',
  defaults: { clientId: 'parents-portal', clientSecret: 'parents-portal-secret', port: 4002 },
  buildApp,
};

if (import.meta.main) await runApps([{ app: parentsPortal, env: process.env }]);
