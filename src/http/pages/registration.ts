/**
 * Registration pages (F6–F16): `/register` starts a flow bound to this browser, `/register/{id}`
 * shows its current step and takes its submissions (post, then redirect: a reload never
 * submits twice). The JSON API drives the very same steps.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldErrors } from '../../flows/flow.ts';
import { withErrors } from '../../flows/form.ts';
import { registrationForm } from '../../flows/registration/form.ts';
import type { RegistrationFlow } from '../../flows/registration/machine.ts';
import { startRegistration, stepRegistration, type RegistrationDeps } from '../../flows/registration/steps.ts';
import { loadFlow } from '../../flows/store.ts';
import { cooldownLeft } from '../../identity/codes.ts';
import { errorPage } from '../../views/pages/error.ts';
import { registrationPage } from '../../views/pages/registration.ts';
import { frameFor, sendPage } from './frame.ts';

const BINDING_COOKIE = 'kelid_flow';

export type RegistrationPageDeps = { registration: RegistrationDeps; secureCookies: boolean };

export async function registrationPages(app: FastifyInstance, deps: RegistrationPageDeps) {
  const binding = (request: FastifyRequest, reply: FastifyReply): string => {
    const existing = request.cookies[BINDING_COOKIE];
    if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
    const fresh = randomBytes(32).toString('base64url');
    reply.setCookie(BINDING_COOKIE, fresh, { path: '/register', httpOnly: true, sameSite: 'lax', secure: deps.secureCookies });
    return fresh;
  };

  const render = async (request: FastifyRequest, reply: FastifyReply, flow: RegistrationFlow, errors: FieldErrors, status = 200) => {
    const form = withErrors(registrationForm(flow), errors);
    const mobileCooldown = flow.state === 'verify'
      ? await cooldownLeft(deps.registration.db, { flowId: flow.id, purpose: 'mobile' }, deps.registration.codePolicy, deps.registration.clock.now())
      : 0;
    if (mobileCooldown > 0) reply.header('refresh', String(mobileCooldown)); // the countdown without JavaScript
    const page = registrationPage(frameFor(request, reply, request.t('registration.title')), {
      state: flow.state, form, action: `/register/${flow.id}`, mobileCooldown,
      offerInternational: flow.state === 'details' && !flow.data.international,
    });
    return sendPage(reply, page, status);
  };

  const load = async (request: FastifyRequest, reply: FastifyReply, id: string) => {
    const flow = await loadFlow<RegistrationFlow>(deps.registration.db, id, { kind: 'registration', binding: binding(request, reply), now: deps.registration.clock.now() });
    if (typeof flow !== 'string') return flow;
    const frame = frameFor(request, reply, request.t('registration.title'));
    // An expired or unknown registration offers a fresh start, not a dead end.
    sendPage(reply, errorPage(frame, request.t(flow), { href: '/register', label: request.t('registration.start_again') }), flow === 'flow.expired' ? 410 : 404);
    return undefined;
  };

  app.get('/register', async (request, reply) => {
    const flow = await startRegistration(deps.registration, request.locale, binding(request, reply));
    return reply.redirect(`/register/${flow.id}`, 303);
  });

  // The English page for non-citizens (F15): a passport instead of a national ID.
  app.get('/register/international', async (request, reply) => {
    const flow = await startRegistration(deps.registration, 'en', binding(request, reply), true);
    return reply.redirect(`/register/${flow.id}?lang=en`, 303);
  });

  app.get<{ Params: { id: string } }>('/register/:id', async (request, reply) => {
    const flow = await load(request, reply, request.params.id);
    return flow && render(request, reply, flow, []);
  });

  app.post<{ Params: { id: string } }>('/register/:id', { preValidation: app.csrfProtection }, async (request, reply) => {
    const flow = await load(request, reply, request.params.id);
    if (!flow) return reply;
    const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;
    const input: Record<string, string> = {};
    for (const [key, value] of Object.entries(body)) {
      if (typeof value !== 'string') return render(request, reply, flow, [{ code: 'error.field_invalid', field: key }], 400);
      input[key] = value;
    }
    const result = await stepRegistration(deps.registration, flow, input, request.ip);
    if (result.errors.length > 0) return render(request, reply, result.flow, result.errors, 422);
    return reply.redirect(`/register/${flow.id}`, 303);
  });
}
