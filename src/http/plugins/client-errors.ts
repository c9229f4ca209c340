/**
 * What Node's HTTP parser refuses before Fastify sees a request (Fastify's `clientErrorHandler`):
 * a request line or headers past Node's limit (16 KB: a URL of 20,000 characters, a cookie grown
 * too big) is 431; a request it cannot parse, 400; a client too slow to send its headers, 408.
 * Fastify's default answers English JSON of its own to all of them, a browser included. Here the
 * answer is the app's, as for every other refusal (error-pages.ts): JSON under /api, SCIM's
 * error under /scim, OAuth's under the provider's app endpoints, else a page; in the language
 * the request asked for, as far as its headers were read (else the profile's default); with
 * the security headers of every answer; and the connection closed, as Node does.
 */
import type { Socket } from 'node:net';
import type { ConnectionError } from 'fastify';
import type { Locale, Profile } from '../../config.ts';
import { oauthError } from '../../domain/oauth-error.ts';
import { translator, type TextKey } from '../../i18n/catalogs.ts';
import { formattingFor } from '../../i18n/format.ts';
import { errorBody } from '../../scim/errors.ts';
import { errorPage } from '../../views/pages/error.ts';
import { answerFormOf, isUserinfo } from './answer-form.ts';
import { localeOfRawHeaders } from './i18n.ts';
import { recordHeaders, type HeaderSetter } from './security-headers.ts';

type Refusal = { status: number; reason: string; code: TextKey };
// A Map, not an object: a code is the parser's word, and an object would also find what is on Object.prototype.
const REFUSALS = new Map<string, Refusal>([
  ['HPE_HEADER_OVERFLOW', { status: 431, reason: 'Request Header Fields Too Large', code: 'error.payload_too_large' }],
  ['HPE_CHUNK_EXTENSIONS_OVERFLOW', { status: 413, reason: 'Payload Too Large', code: 'error.payload_too_large' }],
  ['ERR_HTTP_REQUEST_TIMEOUT', { status: 408, reason: 'Request Timeout', code: 'error.bad_request' }],
]);
/** How long the answer may take to leave before the connection is cut anyway, in ms. */
const FLUSH_MS = 2_000;
const BAD_REQUEST: Refusal = { status: 400, reason: 'Bad Request', code: 'error.bad_request' };

/**
 * The path and the headers as far as the packet the parser refused shows them: Node hands over
 * the chunk it failed in, not the whole request, so a request sent in several writes may show
 * no path (then the answer is a page). Never trusted beyond choosing the answer's form and
 * language among fixed ones; nothing of it is written back.
 */
function readSoFar(packet: unknown): { path: string; header(name: string): string | undefined } {
  // Node hands the packet over as a Buffer (Fastify's types say its JSON form).
  const text = Buffer.isBuffer(packet) ? packet.subarray(0, 32 * 1024).toString('latin1') : '';
  const [requestLine = '', ...lines] = text.split('\r\n');
  const path = /^[A-Z]+ (\/\S*)/.exec(requestLine)?.[1] ?? '/';
  return {
    path,
    header: (name) => lines.find((line) => line.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim(),
  };
}

/** The handler for Fastify's `clientErrorHandler` option (app.ts). */
export function clientErrorHandler(options: { defaultLocale: Locale; profile: Profile; headers: HeaderSetter; langCookie: string }) {
  // The security headers as a list, from the setter every answer goes through.
  const security = recordHeaders(options.headers).set;

  return (error: ConnectionError, socket: Socket) => {
    // A connection reset, or one already gone: nobody to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    // Node's own rule: no answer once another answer on this connection has begun (it would land inside it).
    const current = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (!socket.writable || current?.headersSent === true) return void socket.destroy(error);
    const refusal = REFUSALS.get(error.code) ?? BAD_REQUEST;
    const sent = readSoFar(error.rawPacket);
    const locale = localeOfRawHeaders({ url: sent.path, cookie: sent.header('cookie'), acceptLanguage: sent.header('accept-language') }, options.defaultLocale, options.langCookie);
    const formatting = formattingFor(locale, options.profile);
    const t = translator(formatting);
    const message = t(refusal.code);
    const form = answerFormOf(sent.path);
    let type = 'application/json; charset=utf-8';
    let body: string;
    if (form === 'api') body = JSON.stringify({ error: { code: refusal.code, message } });
    else if (form === 'oauth') body = JSON.stringify(oauthError(refusal.status, message));
    else if (form === 'scim') {
      type = 'application/scim+json; charset=utf-8';
      body = JSON.stringify(errorBody(refusal.status, message));
    } else {
      type = 'text/html; charset=utf-8';
      body = errorPage({ locale, formatting, t, title: t('error.title'), path: '/', csrfToken: '', user: null }, message).value;
    }
    const head = [
      `HTTP/1.1 ${refusal.status} ${refusal.reason}`,
      ...security.map(([name, value]) => `${name}: ${value}`),
      'Cache-Control: no-store',
      // At userinfo a client reads the error from this header (RFC 6750 §3), as from sendError's.
      ...(form === 'oauth' && isUserinfo(sent.path) ? ['WWW-Authenticate: Bearer error="invalid_request"'] : []),
      `Content-Type: ${type}`,
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
    ];
    // Closed once the answer has left (Node's and Fastify's handlers destroy the socket; an ended
    // one may stay half-open for as long as the client likes), and cut after FLUSH_MS whatever.
    const cut = setTimeout(() => socket.destroy(), FLUSH_MS);
    cut.unref();
    socket.end(`${head.join('\r\n')}\r\n\r\n${body}`, () => {
      clearTimeout(cut);
      socket.destroy();
    });
  };
}
