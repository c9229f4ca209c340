/**
 * The pages of a self-service flow, alike for every kind (registration, recovery, one-time-code
 * sign-in, set password): `GET {path}` starts a flow bound to this browser and goes to
 * `{path}/{id}`, which draws its step from the kind's form model and takes its submissions
 * (post, then redirect: a reload never submits twice). A step that signs in sets the session
 * cookie and goes on as the sign-in page does. The JSON API drives the very same steps.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldErrors, Flow } from '../../flows/flow.ts';
import { withErrors, withValues } from '../../flows/form.ts';
import { readStepInput } from '../../flows/input.ts';
import type { FlowKind } from '../../flows/kinds.ts';
import type { TextKey } from '../../i18n/catalogs.ts';
import type { FlowPageView } from '../../views/components/form.ts';
import type { SafeHtml } from '../../views/html.ts';
import type { PageFrame } from '../../views/layout.ts';
import type { RouteContext } from '../context.ts';
import { appNameFor } from '../../federation/interactions.ts';
import { safeReturnTo } from '../types.ts';
import { withSecurityImage } from './captcha-image.ts';
import { flowBinding, flowRequestOf, loadPageFlow } from './flow-pages.ts';
import { frameFor, noStore, sendPage } from './frame.ts';
import { enterSession } from './sign-in.ts';

export type FlowPageSpec<F extends Flow> = {
  kind: F['kind'];
  /** `/register`: starts at `GET /register`, then `/register/{id}`. */
  path: string;
  title: TextKey;
  /** Each state's name (the kind's form.ts): a step's page is titled "step · flow". */
  stepTitles: Record<F['state'], TextKey>;
  /** The link offered when a flow is unknown or expired. */
  startAgain: TextKey;
  /** Query parameters a start takes as options (`nationalId` for recovery), besides `return_to`. */
  startQuery?: readonly string[];
  /**
   * Query parameters that are the flow's first step (set password's emailed `?token=`): the
   * start applies them at once, so the redirect takes the secret out of the address bar.
   */
  firstStep?: readonly string[];
  draw(frame: PageFrame, view: FlowPageView<F>): SafeHtml;
};

/** The `returnTo` a flow kept from its start (the sign-in flows, registration, recovery), checked again. */
const returnToOf = (flow: Flow): string | undefined => {
  const data: unknown = flow.data;
  return typeof data === 'object' && data !== null && 'returnTo' in data ? safeReturnTo(data.returnTo) : undefined;
};

export function flowPages<F extends Flow>(app: FastifyInstance, ctx: RouteContext, spec: FlowPageSpec<F>): void {
  const kind = ctx.kinds[spec.kind] as unknown as FlowKind<F>;
  const binding = (request: FastifyRequest, reply: FastifyReply) => flowBinding(request, reply);

  const render = async (request: FastifyRequest, reply: FastifyReply, flow: F, errors: FieldErrors, status = 200, typed: Record<string, string> = {}) => {
    const now = ctx.clock.now();
    const form = withSecurityImage(withErrors(withValues(kind.form(flow, request.formatting, now), typed), errors), ctx.captcha);
    // The flow's own address for the language links: never the address that started it (a first step's secret).
    const title = `${request.t(spec.stepTitles[flow.state as F['state']])} · ${request.t(spec.title)}`;
    const frame = { ...frameFor(request, reply, title), path: `${spec.path}/${flow.id}` };
    const clock = { formatting: request.formatting, timeZone: ctx.timeZone, now };
    // Started from an app's sign-in: the pages name the app and lead back to it.
    const returnTo = returnToOf(flow);
    const appName = await appNameFor(ctx.federation, returnTo, request.locale);
    return sendPage(noStore(reply), spec.draw(frame, { flow, form, errors, action: `${spec.path}/${flow.id}`, clock, returnTo, appName }), status);
  };

  const load = (request: FastifyRequest, reply: FastifyReply, id: string) => loadPageFlow<F>(request, reply, {
    db: ctx.db, now: ctx.clock.now(), kind: spec.kind, id,
    title: spec.title, startAgain: { href: spec.path, label: spec.startAgain },
  });

  app.get(spec.path, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const options: Record<string, string | undefined> = { returnTo: safeReturnTo(query.return_to) };
    for (const name of spec.startQuery ?? []) options[name] = typeof query[name] === 'string' ? query[name] : undefined;
    const bound = binding(request, reply);
    const flow = await kind.start(flowRequestOf(request, bound), options);
    if (!flow) return reply.redirect('/', 303);
    const first = Object.fromEntries((spec.firstStep ?? []).filter((name) => query[name] !== undefined).map((name) => [name, query[name]]));
    if (Object.keys(first).length > 0) {
      // The address holds a secret: no page it leads to may send it on as a referrer.
      reply.header('referrer-policy', 'no-referrer');
      const read = readStepInput(first, kind.form(flow, request.formatting, ctx.clock.now()));
      const result = read.ok ? await kind.step(flow, read.input, flowRequestOf(request, bound)) : { flow, errors: read.errors };
      if (result.errors.length > 0) return render(request, reply, result.flow, result.errors, 422);
    }
    return reply.redirect(`${spec.path}/${flow.id}`, 303);
  });

  app.get<{ Params: { id: string } }>(`${spec.path}/:id`, async (request, reply) => {
    const flow = await load(request, reply, request.params.id);
    return flow && render(request, reply, flow, []);
  });

  app.post<{ Params: { id: string } }>(`${spec.path}/:id`, { preValidation: app.csrfProtection, config: { ownTextCheck: true } }, async (request, reply) => {
    const flow = await load(request, reply, request.params.id);
    if (!flow) return reply;
    const posted = readStepInput(request.body, kind.form(flow, request.formatting, ctx.clock.now()));
    if (!posted.ok) return render(request, reply, flow, posted.errors, 422, posted.input);
    const result = await kind.step(flow, posted.input, flowRequestOf(request, binding(request, reply)));
    if (result.errors.length > 0) {
      const seconds = result.errors.find((e) => e.params?.seconds !== undefined)?.params?.seconds;
      if (seconds !== undefined) reply.header('retry-after', String(seconds));
      return render(request, reply, result.flow, result.errors, 422, posted.input);
    }
    if (result.signedIn) return reply.redirect(await enterSession(ctx, request, reply, result.signedIn), 303);
    return reply.redirect(`${spec.path}/${flow.id}`, 303);
  });
}
