/**
 * What a request's log lines say of it (pino's `req`, Fastify's "incoming request"): Fastify's
 * own fields, with the address cut down to what is not a secret. Logs travel further than the
 * database (to a log service, to whoever reads it), and addresses carry bearer secrets and
 * personal data: an emailed link's token (`/recover/link?token=`, `/set-password?token=`), a
 * printed slip's QR sign-in (`/q/{token}`), an API flow's id (whoever holds it drives the flow),
 * an app's `id_token_hint` (a person's claims, their national ID among them) and `login_hint`.
 * So a query keeps its parameters' names and only the values of a few harmless ones, and the
 * paths whose segment is a capability lose it.
 */
import type { FastifyRequest } from 'fastify';

/** Parameters whose values are kept: a language, a way, an app's public request settings. */
const SHOWN = new Set(['lang', 'digits', 'by', 'staff', 'client_id', 'response_type', 'response_mode', 'scope', 'prompt', 'max_age', 'ui_locales', 'acr_values', 'code_challenge_method']);

/** Paths with a capability in them: a QR sign-in's token, an API flow's id (not the kind a flow is started by). */
const CAPABILITIES = /^(\/q\/)[^/?#]+|^(\/api\/v1\/flows\/)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

const REDACTED = '[redacted]';

/**
 * `url` (a request's path and query, as Node has it) with its secrets taken out, as described
 * above: `/recover/link?token=abc&lang=fa` → `/recover/link?token=[redacted]&lang=fa`. Never
 * throws: a query that cannot be decoded keeps its names as they were sent.
 */
export function addressForLog(url: string): string {
  const mark = url.indexOf('?');
  const path = (mark === -1 ? url : url.slice(0, mark)).replace(CAPABILITIES, (_all, qr?: string, flows?: string) => `${qr ?? flows}${REDACTED}`);
  if (mark === -1) return path;
  const query = url.slice(mark + 1).split('&').map((part) => {
    const equals = part.indexOf('=');
    if (equals === -1) return part;
    const name = part.slice(0, equals);
    return SHOWN.has(name) ? part : `${name}=${REDACTED}`;
  });
  return `${path}?${query.join('&')}`;
}

/** Fastify's `req` serializer (its fields but `version`), with the address of addressForLog. */
export function requestForLog(request: FastifyRequest): { method: string; url: string; host: string; remoteAddress: string; remotePort?: number } {
  const port = request.socket?.remotePort;
  return { method: request.method, url: addressForLog(request.url), host: request.host, remoteAddress: request.ip, ...(port === undefined ? {} : { remotePort: port }) };
}
