/**
 * Every string a request brings is storable text before any handler sees it (issue 9): no
 * lone surrogates (JSON's `"\ud800"`), no bytes that are not UTF-8 (a form's `%ED%A0%80`, a
 * raw 0xFF in a JSON body), no NUL. Such input is refused with a localized 4xx naming the
 * field, instead of a PostgreSQL error (and a 500) at the first JSON or text column.
 *
 * - Bodies: JSON and form bodies must be UTF-8; form and query values are percent-decoded
 *   strictly, and a value whose escapes are not UTF-8 keeps them as lone surrogates
 *   (Python's "surrogateescape"), so the one check below refuses it by name.
 * - The check walks body, query and params. Routes that draw their own answer for bad input
 *   (a flow redraws its form with the error beside the field) set `config.ownTextCheck` and
 *   check their body themselves; their query and path are checked here all the same.
 * - All of it is bounded work on input nobody has authenticated yet (review i9, findings 1–3):
 *   at most MAX_FIELDS fields in a query or form body, at most MAX_VALUES values walked in a
 *   body, and past either limit the request is refused (never passed on unchecked).
 */
import { isUtf8 } from 'node:buffer';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { textProblem } from '../../domain/text.ts';
import { AppError } from '../../errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The handler checks its own body (flows answer with the flow); query and params are checked here. */
    ownTextCheck?: boolean;
  }
}

export type TextProblem = { field: string; code: 'error.text_malformed' | 'error.field_invalid' };
/** Or more values than any request of Kelid's has: the rest is not looked at, and all is refused. */
export type InputProblem = TextProblem | { field: 'body'; code: 'error.too_many_fields' };

/**
 * The most fields a query string or form body may have. Kelid's longest form has a few dozen;
 * a body of a million `a&a&…` is an attack on the parser and is refused by count.
 */
export const MAX_FIELDS = 1000;
/**
 * The most values (strings, numbers, containers, keys not counted) the check walks in one
 * request part. A 1 MB JSON body can hold half a million; any real one holds a few thousand
 * (the admin API's longest lists, in a 1 MB body, are under 30,000 ids).
 */
export const MAX_VALUES = 100_000;

/**
 * The first string (value or key) in `value` that cannot be stored, with its path
 * (`userIds.2`); or `error.too_many_fields` when there are more than `limit` values, which
 * must be refused, not passed unchecked. Bytes (an uploaded file, a CSV body) are not text
 * here: their importers check them as a stream (identity/text-stream.ts).
 */
export function inputProblemIn(value: unknown, limit = MAX_VALUES): InputProblem | undefined {
  // Iterative, with a bound counted as values are found (not as they are visited), and
  // containers read one entry at a time: neither depth nor breadth makes the work unbounded.
  const stack: { item: unknown; path: string }[] = [{ item: value, path: '' }];
  let found = 1;
  const push = (item: unknown, path: string) => {
    found++;
    stack.push({ item, path });
  };
  while (stack.length > 0) {
    const { item, path } = stack.pop()!;
    if (typeof item === 'string') {
      const problem = textProblem(item);
      if (problem) return { field: path.toWellFormed() || 'body', code: problem === 'text.nul' ? 'error.field_invalid' : 'error.text_malformed' };
      continue;
    }
    if (typeof item !== 'object' || item === null || ArrayBuffer.isView(item) || item instanceof ArrayBuffer) continue;
    const at = (key: string) => (path === '' ? key : `${path}.${key}`);
    if (Array.isArray(item)) {
      for (let index = 0; index < item.length; index++) {
        if (found >= limit) return { field: 'body', code: 'error.too_many_fields' };
        push(item[index], at(String(index)));
      }
      continue;
    }
    for (const key in item) {
      if (!Object.hasOwn(item, key)) continue;
      if (textProblem(key)) return { field: at(key).toWellFormed(), code: 'error.text_malformed' };
      if (found >= limit) return { field: 'body', code: 'error.too_many_fields' };
      push((item as Record<string, unknown>)[key], at(key));
    }
  }
  return undefined;
}

/** The same, for a caller that shows the problem beside a field: past the limit the body as a whole is invalid. */
export function textProblemIn(value: unknown): TextProblem | undefined {
  const problem = inputProblemIn(value);
  return problem?.code === 'error.too_many_fields' ? { field: 'body', code: 'error.field_invalid' } : problem;
}

/**
 * One `application/x-www-form-urlencoded` component: `+` is a space, `%XX` a byte, and the
 * bytes must be UTF-8. Bytes that are not become lone surrogates (U+DC80 + byte), which
 * `textProblem` refuses; a `%` that starts no escape (`%zz`, a lone `%`) stays as typed, as
 * WHATWG's URL parser leaves it.
 */
export function decodeComponent(text: string): string {
  const plain = text.replaceAll('+', ' ');
  if (!plain.includes('%')) return plain;
  // Runs of escapes become their bytes, the text between them its own UTF-8: then decode once.
  const parts: Buffer[] = [];
  let last = 0;
  for (const run of plain.matchAll(/(?:%[0-9a-fA-F]{2})+/g)) {
    parts.push(Buffer.from(plain.slice(last, run.index), 'utf8'), Buffer.from(run[0].replaceAll('%', ''), 'hex'));
    last = run.index + run[0].length;
  }
  parts.push(Buffer.from(plain.slice(last), 'utf8'));
  return escapeBadBytes(Buffer.concat(parts));
}

// The bytes as UTF-8, each byte of an invalid sequence as U+DC80–U+DCFF (surrogateescape).
function escapeBadBytes(bytes: Buffer): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  let out = '';
  let start = 0;
  let i = 0;
  while (i < bytes.length) {
    if (bytes[i]! < 0x80) { i++; continue; }
    const length = [2, 3, 4].find((n) => i + n <= bytes.length && isUtf8(bytes.subarray(i, i + n)));
    if (length !== undefined) { i += length; continue; }
    out += bytes.subarray(start, i).toString('utf8') + String.fromCharCode(0xdc00 + bytes[i]!);
    start = ++i;
  }
  return out + bytes.subarray(start).toString('utf8');
}

/** Set on a parsed query string that had more than MAX_FIELDS fields (the rest was not read). */
const TOO_MANY_FIELDS = Symbol('kelid.tooManyFields');

export type UrlEncoded = Record<string, string | string[]>;

/**
 * A query string or form body: repeated names give arrays, as Fastify's own parser does.
 * Reads at most `maxFields` fields; `complete` is false when there were more.
 */
export function readUrlEncoded(text: string, maxFields = MAX_FIELDS): { fields: UrlEncoded; complete: boolean } {
  const fields: UrlEncoded = Object.create(null);
  let count = 0;
  for (let start = 0; start <= text.length;) {
    let end = text.indexOf('&', start);
    if (end === -1) end = text.length;
    const part = text.slice(start, end);
    start = end + 1;
    if (part === '') continue;
    if (++count > maxFields) return { fields, complete: false };
    const equals = part.indexOf('=');
    const name = decodeComponent(equals === -1 ? part : part.slice(0, equals));
    const value = equals === -1 ? '' : decodeComponent(part.slice(equals + 1));
    const before = fields[name];
    // Appended in place: copying the array for each repeat made `a&a&a…` quadratic.
    if (before === undefined) fields[name] = value;
    else if (Array.isArray(before)) before.push(value);
    else fields[name] = [before, value];
  }
  return { fields, complete: true };
}

/**
 * The query string parser (app.ts routerOptions). The router calls it where a throw would
 * escape every error handler, so a query with too many fields is marked here and refused by
 * the plugin's first hook.
 */
export function parseUrlEncoded(text: string): UrlEncoded {
  const { fields, complete } = readUrlEncoded(text);
  if (!complete) Object.defineProperty(fields, TOO_MANY_FIELDS, { value: true });
  return fields;
}

const malformedBody = () => new AppError(400, 'error.text_malformed', { field: 'body' });
const tooManyFields = (field: 'body' | 'query') => new AppError(field === 'body' ? 413 : 400, 'error.too_many_fields', { field });
const refusal = (problem: InputProblem) => (problem.code === 'error.too_many_fields' ? tooManyFields('body') : new AppError(400, problem.code, { field: problem.field }));

/** Throws the refusal of the first problem in `value` (for bodies parsed after this plugin's hook: multipart). */
export function checkInputText(value: unknown): void {
  const problem = inputProblemIn(value);
  if (problem) throw refusal(problem);
}

export const inputTextPlugin = fp(async (app: FastifyInstance) => {
  // JSON bodies: UTF-8 or nothing; then Fastify's own parser, which drops `__proto__` keys and
  // `constructor.prototype` (secure-json-parse): no field of Kelid's is named so, and a body
  // carrying one still gets its route's own answer (a flow's 422 with the flow), not a bare 400.
  const parseJson = app.getDefaultJsonParser('remove', 'remove');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    if (!isUtf8(body as Buffer)) return done(malformedBody(), undefined);
    parseJson(request, (body as Buffer).toString('utf8'), done);
  });

  // The router only marked the query: it is refused here, before any route sees it.
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const query = request.query as Record<PropertyKey, unknown> | null;
    if (query?.[TOO_MANY_FIELDS] === true) throw tooManyFields('query');
  });

  app.addHook('preValidation', async (request: FastifyRequest) => {
    // A flow checks its own body (to redraw its form); the query and the path are never its input.
    const problem = (request.routeOptions.config.ownTextCheck ? undefined : inputProblemIn(request.body))
      ?? inputProblemIn(request.query) ?? inputProblemIn(request.params);
    if (problem) throw refusal(problem);
  });
}, { name: 'kelid-input-text' });

/** HTML forms' bodies (registered by the pages' scope only): UTF-8, strictly decoded. */
export const formBodies = fp(async (app: FastifyInstance) => {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (_request, body, done) => {
    if (!isUtf8(body as Buffer)) return done(malformedBody(), undefined);
    const { fields, complete } = readUrlEncoded((body as Buffer).toString('utf8'));
    return complete ? done(null, fields) : done(tooManyFields('body'), undefined);
  });
}, { name: 'kelid-form-bodies' });

