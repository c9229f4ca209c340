/**
 * Self-service flows as JSON (B9): `POST /flows/{kind}` starts one, `GET /flows/{id}` reads it,
 * `POST /flows/{id}` submits the current step. Invalid input is a 422 with the flow as body.
 * API flows are bound to nothing but their unguessable id (and change-password to its session).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { FieldErrors, Flow } from '../../flows/flow.ts';
import type { FlowKinds, FlowRequest, SignedIn } from '../../flows/kinds.ts';
import { loadFlow } from '../../flows/store.ts';
import type { Clock } from '../../identity/clock.ts';
import { flowJson } from '../flow-view.ts';
import { requireSession } from '../plugins/auth.ts';
import { readStepInput } from '../../flows/input.ts';

// Any JSON: the step's own form reads it (flows/input.ts), and a wrong type is a 422 with the flow.
const stepBody = {} as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } } as const;
// What the starters take from the query: a non-citizen's registration (F15), recovery by email.
const startQuery = { type: 'object', properties: { international: { type: 'string', enum: ['1', 'true'] }, by: { type: 'string', enum: ['mobile', 'email'] } } } as const;

export async function flowsApi(app: FastifyInstance, deps: { db: Db; clock: Clock; kinds: FlowKinds }) {
  const kindOf = (name: string) => (Object.hasOwn(deps.kinds, name) ? deps.kinds[name] : undefined);
  const requestOf = (request: FastifyRequest): FlowRequest => ({
    locale: request.locale, ip: request.ip, userAgent: request.headers['user-agent'] ?? null, session: request.auth, binding: null,
    deviceTokens: typeof (request.body as Record<string, unknown> | undefined)?.deviceToken === 'string' ? (request.body as Record<string, string>).deviceToken : undefined,
  });
  const show = (request: FastifyRequest, flow: Flow, errors: FieldErrors, signedIn?: SignedIn) => ({
    ...flowJson(flow, kindOf(flow.kind)!.form(flow, request.formatting, deps.clock.now()), errors, request.t),
    // A sign-in's session: its bearer token, shown once, and this app's device token.
    ...(signedIn ? { session: { token: signedIn.token, mustChangePassword: signedIn.mustChangePassword, deviceToken: signedIn.deviceToken } } : {}),
  });

  const load = async (request: FastifyRequest, id: string): Promise<Flow> => {
    const flow = await loadFlow<Flow>(deps.db, id, { binding: null, now: deps.clock.now() });
    if (flow === 'flow.expired') throw new AppError(410, 'flow.expired');
    if (typeof flow === 'string') throw new AppError(404, 'flow.not_found');
    const kind = kindOf(flow.kind);
    // Someone else's change-password flow answers like one that does not exist.
    if (!kind || (kind.belongsTo && !kind.belongsTo(flow, requestOf(request)))) throw new AppError(404, 'flow.not_found');
    return flow;
  };

  // One starter per kind, from the table: `POST /flows/registration`, `/flows/login`…
  for (const [name, kind] of Object.entries(deps.kinds)) {
    app.post<{ Querystring: { international?: string; by?: string } }>(`/flows/${name}`, {
      schema: { querystring: startQuery, summary: `Start a ${name} flow` },
      // A change of password belongs to a session (the only thing a temporary password may do).
      ...(name === 'change-password' ? { preHandler: requireSession({ allowMustChange: true }) } : {}),
    }, async (request, reply) => {
      const flow = await kind.start(requestOf(request), { international: request.query.international, by: request.query.by });
      if (!flow) throw new AppError(401, 'error.session_required');
      return reply.code(201).send(show(request, flow, []));
    });
  }

  app.get<{ Params: { id: string } }>('/flows/:id', { schema: { params: idParams } }, async (request) =>
    show(request, await load(request, request.params.id), []));

  app.post<{ Params: { id: string }; Body: unknown }>('/flows/:id', { schema: { params: idParams, body: stepBody }, config: { ownTextCheck: true } }, async (request, reply) => {
    const flow = await load(request, request.params.id);
    const kind = kindOf(flow.kind)!;
    // A wrong type, or text that cannot be stored, is refused like any invalid field: 422 with the flow, unchanged.
    const read = readStepInput(request.body ?? {}, kind.form(flow, request.formatting, deps.clock.now()));
    if (!read.ok) return reply.code(422).send(show(request, flow, read.errors));
    const result = await kind.step(flow, read.input, requestOf(request));
    return reply.code(result.errors.length > 0 ? 422 : 200).send(show(request, result.flow, result.errors, result.signedIn));
  });
}
