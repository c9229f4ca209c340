/**
 * Self-service flows as JSON (B9): `POST /flows/{kind}` starts one, `GET /flows/{id}` reads it,
 * `POST /flows/{id}` submits the current step. Invalid input is a 422 with the flow as body.
 * API flows are bound to nothing but their unguessable id (and change-password to its session).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Locale } from '../../config.ts';
import { AppError } from '../../errors.ts';
import { changePasswordFlowForm } from '../../flows/change-password/form.ts';
import { startChangePassword, stepChangePassword, type ChangePasswordFlow } from '../../flows/change-password/steps.ts';
import type { FieldErrors, Flow } from '../../flows/flow.ts';
import { registrationForm } from '../../flows/registration/form.ts';
import type { RegistrationFlow } from '../../flows/registration/machine.ts';
import { startRegistration, stepRegistration, type RegistrationDeps } from '../../flows/registration/steps.ts';
import { recoveryForm } from '../../flows/recovery/form.ts';
import type { RecoveryFlow } from '../../flows/recovery/machine.ts';
import { startRecovery, stepRecovery, type RecoveryDeps } from '../../flows/recovery/steps.ts';
import { loadFlow } from '../../flows/store.ts';
import type { ChangePasswordDeps } from '../../identity/change-password.ts';
import { flowJson } from '../flow-view.ts';
import { requireSession } from '../plugins/auth.ts';
import { textProblemIn } from '../plugins/input-text.ts';

const stepBody = { type: 'object', maxProperties: 40, additionalProperties: { type: 'string', maxLength: 4096 } } as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } } as const;

type AnyFlow = RegistrationFlow | RecoveryFlow | ChangePasswordFlow;

export async function flowsApi(app: FastifyInstance, deps: { registration: RegistrationDeps; recovery: RecoveryDeps; changePassword: ChangePasswordDeps }) {
  const formOf = (flow: AnyFlow, locale: Locale) => {
    if (flow.kind === 'registration') return registrationForm(flow, locale);
    if (flow.kind === 'recovery') return recoveryForm(flow, deps.recovery.profile);
    return changePasswordFlowForm(flow.state, flow.data.mustChange);
  };
  const show = (request: FastifyRequest, flow: AnyFlow, errors: FieldErrors) => flowJson(flow as Flow, formOf(flow, request.locale), errors, request.t);

  const load = async (request: FastifyRequest, id: string): Promise<AnyFlow> => {
    const flow = await loadFlow<AnyFlow>(deps.registration.db, id, { binding: null, now: deps.registration.clock.now() });
    if (flow === 'flow.expired') throw new AppError(410, 'flow.expired');
    if (typeof flow === 'string') throw new AppError(404, 'flow.not_found');
    // Someone else's change-password flow answers like one that does not exist.
    if (flow.kind === 'change-password' && flow.data.sessionId !== request.auth?.id) throw new AppError(404, 'flow.not_found');
    return flow;
  };

  app.post<{ Querystring: { international?: string } }>('/flows/registration', {
    schema: { querystring: { type: 'object', properties: { international: { type: 'string', enum: ['1', 'true'] } } } },
  }, async (request, reply) => {
    const flow = await startRegistration(deps.registration, request.locale, null, request.query.international !== undefined);
    return reply.code(201).send(show(request, flow, []));
  });

  app.post('/flows/recovery', {
    schema: { summary: 'Start password recovery (F18): national ID, birth-certificate serial (ir) and mobile, then a code by SMS and a new password' },
  }, async (request, reply) => {
    const flow = await startRecovery(deps.recovery, request.locale, null);
    return reply.code(201).send(show(request, flow, []));
  });

  app.post('/flows/change-password', { preHandler: requireSession({ allowMustChange: true }) }, async (request, reply) => {
    const flow = await startChangePassword(deps.changePassword, request.auth!);
    return reply.code(201).send(show(request, flow, []));
  });

  app.get<{ Params: { id: string } }>('/flows/:id', { schema: { params: idParams } }, async (request) =>
    show(request, await load(request, request.params.id), []));

  app.post<{ Params: { id: string }; Body: Record<string, string> }>('/flows/:id', { schema: { params: idParams, body: stepBody }, config: { ownTextCheck: true } }, async (request, reply) => {
    const flow = await load(request, request.params.id);
    const input = request.body ?? {};
    // Text that cannot be stored is refused like any invalid field: 422 with the flow, unchanged.
    const problem = textProblemIn(input);
    if (problem) return reply.code(422).send(show(request, flow, [{ code: problem.code, field: problem.field }]));
    const result = flow.kind === 'registration' ? await stepRegistration(deps.registration, flow, input, request.ip)
      : flow.kind === 'recovery' ? await stepRecovery(deps.recovery, flow, input, request.ip)
        : await stepChangePassword(deps.changePassword, flow, request.auth!, input, request.ip);
    return reply.code(result.errors.length > 0 ? 422 : 200).send(show(request, result.flow, result.errors));
  });
}
