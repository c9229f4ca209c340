/**
 * One error handler for the whole app. An AppError (or a Fastify error with a 4xx status)
 * becomes a localized page or JSON body naming the code and the field; a full hash queue is a
 * 503 `error.busy` with Retry-After, and so is a database that cannot serve for now (a
 * failover, `error.unavailable`); anything else is a bug: it is logged with its stack and
 * answered as a bare localized 500, never with details.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Locale, Profile } from '../../config.ts';
import { isDatabaseUnavailable, UNAVAILABLE_RETRY_SECONDS } from '../../db/unavailable.ts';
import { oauthError } from '../../domain/oauth-error.ts';
import { AppError } from '../../errors.ts';
import { HashQueueFull } from '../../identity/passwords.ts';
import { SignInsTooFast } from '../../identity/sign-in-seconds.ts';
import { isMessageKey, translator, type TextKey } from '../../i18n/catalogs.ts';
import { formattingFor } from '../../i18n/format.ts';
import type { PageFrame } from '../../views/layout.ts';
import { errorBody, refusalDetail } from '../../scim/errors.ts';
import { errorPage } from '../../views/pages/error.ts';
import { answerFormOf, isUserinfo } from './answer-form.ts';
import { localeOfRawHeaders } from './i18n.ts';
import { answerRequestId } from './request-id.ts';
import { applySecurityHeaders, type HeaderSetter } from './security-headers.ts';
import '../types.ts';

export type ApiError = { code: TextKey; message: string; field?: string };

const english = translator('en');

/** The codes of Fastify's own errors (and its plugins') that a client can cause, as catalog keys. */
const fastifyCodes: Readonly<Record<string, TextKey>> = {
  FST_CSRF_INVALID_TOKEN: 'error.csrf',
  FST_CSRF_MISSING_SECRET: 'error.csrf',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'error.unsupported_media',
  FST_ERR_CTP_BODY_TOO_LARGE: 'error.payload_too_large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'error.bad_request',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'error.bad_request',
  // @fastify/multipart's (imports, the support form's screenshot).
  FST_FILES_LIMIT: 'error.one_file',
  FST_REQ_FILE_TOO_LARGE: 'error.payload_too_large',
  FST_PARTS_LIMIT: 'error.too_many_fields',
  FST_FIELDS_LIMIT: 'error.too_many_fields',
  FST_PROTO_VIOLATION: 'error.field_invalid',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'error.unsupported_media',
};

/**
 * @fastify/busboy's refusal of a multipart body (the support form's, an import's) that is not
 * well formed: "Unexpected end of multipart data", "Multipart: Boundary not found", "Malformed
 * part header"… It gives them no code, only plain Errors thrown in its own files, known by that.
 */
const isMalformedMultipart = (error: Error) => Object.getPrototypeOf(error) === Error.prototype && /[\\/]@fastify[\\/]busboy[\\/]/.test(error.stack ?? '');

/** Which field a JSON-schema validation error is about: `/identifier` or a missing property. */
function validationField(error: FastifyError): string | undefined {
  const first = error.validation?.[0];
  if (!first) return undefined;
  const missing = (first.params as { missingProperty?: unknown } | undefined)?.missingProperty;
  if (typeof missing === 'string') return missing;
  const path = first.instancePath.replace(/^\//, '').split('/')[0];
  return path || undefined;
}

/**
 * A refusal as status, catalog code, field and parameters. `uploadLimitBytes`: the route's
 * largest file (its `config`), so that a file over it is told the limit in MB.
 */
export function describeError(error: FastifyError | AppError, uploadLimitBytes?: number): { status: number; code: TextKey; field?: string; params?: Record<string, string | number> } {
  if (error instanceof AppError) {
    return { status: error.status, code: error.code, ...(error.field ? { field: error.field } : {}), params: error.params };
  }
  // Refused for load before anything was written (issue 12): busy, not broken.
  if (error instanceof HashQueueFull) return { status: 503, code: 'error.busy', params: { seconds: error.retryAfterSeconds } };
  // An account signed in to more than once a second for a minute (identity/sign-in-seconds.ts SIGN_IN_LEAD_SECONDS).
  if (error instanceof SignInsTooFast) return { status: 429, code: 'sign_in.too_frequent', params: { seconds: error.retryAfterSeconds } };
  if (error.validation) {
    const field = validationField(error);
    // Past a schema's maxLength the value is too long, not wrong: say so (a 100 KB subject, a 5 KB identifier).
    // A field left out is asked for in the words its form uses when the catalogs have them (`password.required`).
    const keyword = error.validation[0]?.keyword;
    const asked = field === undefined ? undefined : `${field}.required`;
    const code: TextKey = keyword === 'maxLength' ? 'error.field_too_long'
      : keyword === 'required' && asked !== undefined && isMessageKey(asked) ? asked : 'error.field_invalid';
    return { status: 400, code, ...(field ? { field } : {}) };
  }
  // A body that is no well-formed multipart (cut off, no boundary, a broken part header): the client's.
  if (isMalformedMultipart(error)) return { status: 400, code: 'error.bad_request' };
  // A client gone mid-body (Node's 'aborted'): ECONNRESET like a lost database connection, but no failover.
  if ((error as { code?: unknown }).code === 'ECONNRESET' && error.message === 'aborted') return { status: 400, code: 'error.bad_request' };
  if (isDatabaseUnavailable(error)) return { status: 503, code: 'error.unavailable', params: { seconds: UNAVAILABLE_RETRY_SECONDS } };
  const status = error.statusCode ?? 500;
  if (status === 429) return { status, code: 'error.rate_limited' };
  if (uploadLimitBytes !== undefined && (error.code === 'FST_REQ_FILE_TOO_LARGE' || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')) {
    return { status: 413, code: 'error.file_too_large', params: { mb: Math.round((uploadLimitBytes / (1024 * 1024)) * 10) / 10 } };
  }
  if (status >= 400 && status < 500) return { status, code: fastifyCodes[error.code] ?? 'error.bad_request' };
  return { status: 500, code: 'error.unexpected' };
}

export function sendError(
  request: FastifyRequest, reply: FastifyReply, described: ReturnType<typeof describeError>, frame: () => PageFrame,
) {
  const message = request.t(described.code, described.params);
  const waits = described.status === 429 || described.status === 503;
  if (waits && described.params?.seconds !== undefined) reply.header('retry-after', String(described.params.seconds));
  reply.code(described.status);
  const form = answerFormOf(request.url);
  // SCIM's details are English whoever asks (scim/errors.ts), the field first.
  if (form === 'scim') return reply.type('application/scim+json; charset=utf-8').send(errorBody(described.status, refusalDetail(english(described.code, described.params), described.field)));
  if (form === 'oauth') {
    // The parameter at fault leads the description, as upstream's own do ("client_id: …").
    const description = described.field ? `${described.field}: ${message}` : message;
    const body = oauthError(described.status, description);
    // At userinfo a client reads the error from this header, not the body (RFC 6750 §3; openid-client does):
    // the code only, a fixed word; the description, with its field and language, stays in the body.
    if (isUserinfo(request.url)) reply.header('www-authenticate', `Bearer error="${body.error}"`);
    return reply.type('application/json; charset=utf-8').send(body);
  }
  if (form === 'api') {
    const body: { error: ApiError } = { error: { code: described.code, message, ...(described.field ? { field: described.field } : {}) } };
    return reply.type('application/json; charset=utf-8').send(body);
  }
  // A person reads the message, not the field's name in the code; a form refused (its token,
  // its text, the load) gets its way back: the form's own page, the query (return_to) kept.
  const back = formPageOf(request, described.status);
  return reply.type('text/html; charset=utf-8').send(errorPage(frame(), message, back === undefined ? undefined : { href: back, label: request.t('error.back_to_form') }).value);
}

/**
 * The page of the form a refused submission came from: its own address, when the route also
 * answers GET there (every form of Kelid's posts to its page); undefined for a GET, for a
 * server error, and for an address that is no page.
 */
function formPageOf(request: FastifyRequest, status: number): string | undefined {
  if (request.method === 'GET' || request.method === 'HEAD' || (status >= 500 && status !== 503)) return undefined;
  const pattern = request.routeOptions?.url;
  if (pattern === undefined || !request.server.hasRoute({ method: 'GET', url: pattern })) return undefined;
  // Never `//host…` or `/\host…`, which a browser would take for another site.
  return /^\/(?![/\\])/.test(request.url) ? request.url : undefined;
}

/**
 * Fastify's own refusals made before any hook runs (app.ts `frameworkErrors`): a path it
 * cannot percent-decode (`/register/%FF`), a path parameter longer than the router takes.
 * Without this they are Fastify's raw JSON, echoing the URL, with none of the headers; here
 * they are the app's localized error, JSON under /api, SCIM's error under /scim, a page elsewhere,
 * with the usual headers.
 */
export function frameworkErrorHandler(options: { defaultLocale: Locale; profile: Profile; headers: HeaderSetter; langCookie: string }) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    applySecurityHeaders(options.headers, request, reply);
    answerRequestId(request, reply);
    request.locale = localeOfRawHeaders({ url: request.url, cookie: request.headers.cookie, acceptLanguage: request.headers['accept-language'] }, options.defaultLocale, options.langCookie);
    request.formatting = formattingFor(request.locale, options.profile);
    request.t = translator(request.formatting);
    // No session was looked up and no CSRF cookie read: the frame of an anonymous visitor, at home.
    const frame = (): PageFrame => ({ locale: request.locale, formatting: request.formatting, t: request.t, title: request.t('error.title'), path: '/', csrfToken: '', user: null });
    return sendError(request, reply, describeError(error), frame);
  };
}
