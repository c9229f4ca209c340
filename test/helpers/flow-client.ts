// A generic JSON client of Kelid's flows, as an app would write one: it knows no kind, only the
// form model. It fills fields the form lists and presses buttons the form offers (the `action`
// field), and fails the test when a step asks for something its form does not show.
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export type FieldJson = {
  name: string; type: string; label: string; value: string; required: boolean; expiresAt?: string;
  options?: { value: string; label: string; available?: boolean; waitSeconds?: number }[];
  errors: { code: string; message: string }[];
};
export type FlowJson = {
  id: string; kind: string; state: string; expiresAt: string;
  form: { fields: FieldJson[]; messages: { kind: string; code: string; message: string }[] };
  session?: { token: string; mustChangePassword: boolean; deviceToken: string };
};

/** The buttons of a step (the `submit` field named `action`), by value. */
export function buttonsOf(flow: FlowJson): Map<string, NonNullable<FieldJson['options']>[number]> {
  const field = flow.form.fields.find((f) => f.name === 'action');
  assert.equal(field?.type, 'submit', `state ${flow.state} lists its buttons`);
  return new Map((field.options ?? []).map((o) => [o.value, o]));
}

/** Error codes by field name, and the form's error messages under `_form`. */
export function errorCodes(flow: FlowJson): Record<string, string[]> {
  const out: Record<string, string[]> = Object.fromEntries(flow.form.fields.filter((f) => f.errors.length > 0).map((f) => [f.name, f.errors.map((e) => e.code)]));
  const top = flow.form.messages.filter((m) => m.kind === 'error').map((m) => m.code);
  return top.length > 0 ? { ...out, _form: top } : out;
}

export function flowClient(app: FastifyInstance, options: { locale?: string; headers?: Record<string, string>; ip?: string } = {}) {
  const headers = { 'accept-language': options.locale ?? 'en', ...options.headers };
  const remoteAddress = options.ip ?? '127.0.0.1';
  const answer = (response: LightMyRequestResponse) => ({ status: response.statusCode, flow: response.json<FlowJson>(), response });
  return {
    async start(kind: string, query = ''): Promise<FlowJson> {
      const response = await app.inject({ method: 'POST', url: `/api/v1/flows/${kind}${query}`, headers, remoteAddress });
      assert.equal(response.statusCode, 201, response.body);
      return response.json<FlowJson>();
    },
    async read(id: string) {
      return answer(await app.inject({ method: 'GET', url: `/api/v1/flows/${id}`, headers, remoteAddress }));
    },
    /** Presses `action` with `values`: both must be in the step's form (a button offered, fields listed). */
    async press(flow: FlowJson, action: string, values: Record<string, unknown> = {}) {
      assert.ok(buttonsOf(flow).has(action), `state ${flow.state} offers ${action}: ${[...buttonsOf(flow).keys()].join(', ')}`);
      for (const name of Object.keys(values)) assert.ok(flow.form.fields.some((f) => f.name === name), `state ${flow.state} has a field ${name}`);
      return answer(await app.inject({ method: 'POST', url: `/api/v1/flows/${flow.id}`, headers, remoteAddress, payload: { ...values, action } }));
    },
    /** Sends anything, as a careless or hostile client would. */
    async send(id: string, payload: unknown) {
      return answer(await app.inject({ method: 'POST', url: `/api/v1/flows/${id}`, headers: { ...headers, 'content-type': 'application/json' }, remoteAddress, payload: JSON.stringify(payload) }));
    },
  };
}
