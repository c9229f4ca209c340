/**
 * Registration pages (F6–F16): `/register` starts a flow bound to this browser, `/register/{id}`
 * shows its current step and takes its submissions (post, then redirect: a reload never
 * submits twice). The JSON API drives the very same steps.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Captcha } from '../../captcha/captcha.ts';
import type { FieldErrors } from '../../flows/flow.ts';
import { withErrors, withValues } from '../../flows/form.ts';
import { registrationForm } from '../../flows/registration/form.ts';
import type { RegistrationFlow } from '../../flows/registration/machine.ts';
import type { RegistrationDeps } from '../../flows/registration/steps.ts';
import type { FlowKinds } from '../../flows/kinds.ts';
import { cooldownLeft } from '../../identity/codes.ts';
import { registrationPage } from '../../views/pages/registration.ts';
import { withSecurityImage } from './captcha-image.ts';
import { flowBinding, flowRequestOf, loadPageFlow, postedStrings } from './flow-pages.ts';
import { frameFor, sendPage } from './frame.ts';

export type RegistrationPageDeps = { registration: RegistrationDeps; kinds: FlowKinds; secureCookies: boolean; captcha: Pick<Captcha, 'imageChallenge'> };

export async function registrationPages(app: FastifyInstance, deps: RegistrationPageDeps) {
  const binding = (request: FastifyRequest, reply: FastifyReply) => flowBinding(request, reply, deps.secureCookies);

  const render = async (request: FastifyRequest, reply: FastifyReply, flow: RegistrationFlow, errors: FieldErrors, status = 200, typed: Record<string, string> = {}) => {
    const form = withSecurityImage(withErrors(withValues(registrationForm(flow, request.locale), typed), errors), deps.captcha);
    const mobileCooldown = flow.state === 'verify'
      ? await cooldownLeft(deps.registration.db, { flowId: flow.id, purpose: 'mobile' }, deps.registration.codePolicy, deps.registration.clock.now())
      : 0;
    if (mobileCooldown > 0) reply.header('refresh', String(mobileCooldown)); // the countdown without JavaScript
    const page = registrationPage(frameFor(request, reply, request.t('registration.title')), {
      state: flow.state, form, action: `/register/${flow.id}`, mobileCooldown,
      offerInternational: flow.state === 'details' && !flow.data.international,
      // F12: the existing username's way back in is password recovery, not a second account.
      recoveryHref: errors.some((e) => e.code === 'national_id.already_registered')
        ? `/recover?nationalId=${encodeURIComponent(flow.data.details?.nationalId ?? flow.data.values.nationalId)}` : null,
    });
    return sendPage(reply, page, status);
  };

  const load = (request: FastifyRequest, reply: FastifyReply, id: string) => loadPageFlow<RegistrationFlow>(request, reply, {
    db: deps.registration.db, now: deps.registration.clock.now(), kind: 'registration', id, secure: deps.secureCookies,
    title: 'registration.title', startAgain: { href: '/register', label: 'registration.start_again' },
  });

  app.get('/register', async (request, reply) => {
    const flow = (await deps.kinds.registration!.start(flowRequestOf(request, binding(request, reply)), {}))!;
    return reply.redirect(`/register/${flow.id}`, 303);
  });

  // The English page for non-citizens (F15): a passport instead of a national ID.
  app.get('/register/international', async (request, reply) => {
    const flow = (await deps.kinds.registration!.start(flowRequestOf(request, binding(request, reply)), { international: '1' }))!;
    return reply.redirect(`/register/${flow.id}?lang=en`, 303);
  });

  app.get<{ Params: { id: string } }>('/register/:id', async (request, reply) => {
    const flow = await load(request, reply, request.params.id);
    return flow && render(request, reply, flow, []);
  });

  app.post<{ Params: { id: string } }>('/register/:id', { preValidation: app.csrfProtection, config: { ownTextCheck: true } }, async (request, reply) => {
    const flow = await load(request, reply, request.params.id);
    if (!flow) return reply;
    const posted = postedStrings(request.body);
    if (!posted.ok) return render(request, reply, flow, [{ code: posted.code, field: posted.field }], 422, posted.input);
    const result = await deps.kinds.registration!.step(flow, posted.input, flowRequestOf(request, binding(request, reply))) as { flow: RegistrationFlow; errors: FieldErrors };
    if (result.errors.length > 0) return render(request, reply, result.flow, result.errors, 422);
    return reply.redirect(`/register/${flow.id}`, 303);
  });
}
