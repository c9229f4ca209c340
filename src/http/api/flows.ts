/**
 * Self-service flows as JSON (B9): `POST /flows/{kind}` starts one, `GET /flows/{id}` reads it,
 * `POST /flows/{id}` submits the current step. Invalid input is a 422 with the flow as body.
 * API flows are bound to nothing but their unguessable id.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.ts';
import { registrationForm } from '../../flows/registration/form.ts';
import type { RegistrationFlow } from '../../flows/registration/machine.ts';
import { startRegistration, stepRegistration, type RegistrationDeps } from '../../flows/registration/steps.ts';
import { loadFlow } from '../../flows/store.ts';
import { flowJson } from '../flow-view.ts';

const stepBody = {
  type: 'object', maxProperties: 40, additionalProperties: { type: 'string', maxLength: 4096 },
} as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } } as const;

export async function flowsApi(app: FastifyInstance, deps: { registration: RegistrationDeps }) {
  const load = async (id: string) => {
    const flow = await loadFlow<RegistrationFlow>(deps.registration.db, id, { binding: null, now: deps.registration.clock.now() });
    if (flow === 'flow.not_found') throw new AppError(404, 'flow.not_found');
    if (flow === 'flow.expired') throw new AppError(410, 'flow.expired');
    if (flow === 'flow.changed') throw new AppError(409, 'flow.changed');
    return flow;
  };

  app.post('/flows/registration', async (request, reply) => {
    const flow = await startRegistration(deps.registration, request.locale, null);
    return reply.code(201).send(flowJson(flow, registrationForm(flow), [], request.t));
  });

  app.get<{ Params: { id: string } }>('/flows/:id', { schema: { params: idParams } }, async (request) => {
    const flow = await load(request.params.id);
    return flowJson(flow, registrationForm(flow), [], request.t);
  });

  app.post<{ Params: { id: string }; Body: Record<string, string> }>('/flows/:id', { schema: { params: idParams, body: stepBody } }, async (request, reply) => {
    const flow = await load(request.params.id);
    const result = await stepRegistration(deps.registration, flow, request.body ?? {}, request.ip);
    return reply.code(result.errors.length > 0 ? 422 : 200).send(flowJson(result.flow, registrationForm(result.flow), result.errors, request.t));
  });
}
