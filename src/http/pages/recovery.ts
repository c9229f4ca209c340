/**
 * Password recovery pages (F18): `/recover` starts a flow bound to this browser (optionally
 * with the national ID filled in, as the duplicate-ID message links it), `/recover/{id}`
 * shows its step and takes its submissions, post then redirect.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Captcha } from '../../captcha/captcha.ts';
import type { FieldErrors } from '../../flows/flow.ts';
import { withErrors, withValues } from '../../flows/form.ts';
import { recoveryForm } from '../../flows/recovery/form.ts';
import { resendWait, type RecoveryFlow } from '../../flows/recovery/machine.ts';
import type { RecoveryDeps } from '../../flows/recovery/steps.ts';
import type { FlowKinds } from '../../flows/kinds.ts';
import { recoveryPage } from '../../views/pages/recovery.ts';
import { withSecurityImage } from './captcha-image.ts';
import { flowBinding, flowRequestOf, loadPageFlow, postedStrings } from './flow-pages.ts';
import { frameFor, sendPage } from './frame.ts';

export type RecoveryPageDeps = { recovery: RecoveryDeps; kinds: FlowKinds; secureCookies: boolean; captcha: Pick<Captcha, 'imageChallenge'> };

export async function recoveryPages(app: FastifyInstance, deps: RecoveryPageDeps) {
  const render = (request: FastifyRequest, reply: FastifyReply, flow: RecoveryFlow, errors: FieldErrors, status = 200, typed: Record<string, string> = {}) => {
    const wait = flow.state === 'verify' ? resendWait(flow.data, deps.recovery.codePolicy.cooldownSeconds, deps.recovery.clock.now()) : 0;
    if (wait > 0) reply.header('refresh', String(wait)); // the countdown without JavaScript
    const form = withSecurityImage(withErrors(withValues(recoveryForm(flow, deps.recovery.profile), typed), errors), deps.captcha);
    return sendPage(reply, recoveryPage(frameFor(request, reply, request.t('recovery.title')), { state: flow.state, form, action: `/recover/${flow.id}`, resendWait: wait }), status);
  };

  const load = (request: FastifyRequest, reply: FastifyReply, id: string) => loadPageFlow<RecoveryFlow>(request, reply, {
    db: deps.recovery.db, now: deps.recovery.clock.now(), kind: 'recovery', id, secure: deps.secureCookies,
    title: 'recovery.title', startAgain: { href: '/recover', label: 'recovery.start_again' },
  });

  app.get<{ Querystring: { nationalId?: string } }>('/recover', {
    schema: { querystring: { type: 'object', properties: { nationalId: { type: 'string', maxLength: 20 } } } },
  }, async (request, reply) => {
    const flow = (await deps.kinds.recovery!.start(flowRequestOf(request, flowBinding(request, reply, deps.secureCookies)), { nationalId: request.query.nationalId }))!;
    return reply.redirect(`/recover/${flow.id}`, 303);
  });

  app.get<{ Params: { id: string } }>('/recover/:id', async (request, reply) => {
    const flow = await load(request, reply, request.params.id);
    return flow && render(request, reply, flow, []);
  });

  app.post<{ Params: { id: string } }>('/recover/:id', { preValidation: app.csrfProtection, config: { ownTextCheck: true } }, async (request, reply) => {
    const flow = await load(request, reply, request.params.id);
    if (!flow) return reply;
    const posted = postedStrings(request.body);
    if (!posted.ok) return render(request, reply, flow, [{ code: posted.code, field: posted.field }], 422, posted.input);
    const result = await deps.kinds.recovery!.step(flow, posted.input, flowRequestOf(request, flowBinding(request, reply, deps.secureCookies))) as { flow: RecoveryFlow; errors: FieldErrors };
    if (result.errors.length > 0) return render(request, reply, result.flow, result.errors, 422);
    return reply.redirect(`/recover/${flow.id}`, 303);
  });
}
