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
 *   call `textProblemIn` themselves.
 */
import { isUtf8 } from 'node:buffer';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { textProblem } from '../../domain/text.ts';
import { AppError } from '../../errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The handler checks its own input with textProblemIn (flows answer with the flow). */
    ownTextCheck?: boolean;
  }
}

export type TextProblem = { field: string; code: 'error.text_malformed' | 'error.field_invalid' };

/** The first string (value or key) in `value` that cannot be stored, with its path (`userIds.2`). */
export function textProblemIn(value: unknown): TextProblem | undefined {
  // Iterative, with a bound: a 1 MB body nested a million levels deep must not overflow the stack.
  const stack: { item: unknown; path: string }[] = [{ item: value, path: '' }];
  for (let visited = 0; stack.length > 0 && visited < 100_000; visited++) {
    const { item, path } = stack.pop()!;
    if (typeof item === 'string') {
      const problem = textProblem(item);
      if (problem) return { field: path.toWellFormed() || 'body', code: problem === 'text.nul' ? 'error.field_invalid' : 'error.text_malformed' };
    } else if (typeof item === 'object' && item !== null) {
      for (const [key, nested] of Object.entries(item)) {
        const at = path === '' ? key : `${path}.${key}`;
        if (textProblem(key)) return { field: at.toWellFormed(), code: 'error.text_malformed' };
        stack.push({ item: nested, path: at });
      }
    }
  }
  return undefined;
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

/** A query string or form body: repeated names give arrays, as Fastify's own parser does. */
export function parseUrlEncoded(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const part of text.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const name = decodeComponent(equals === -1 ? part : part.slice(0, equals));
    const value = equals === -1 ? '' : decodeComponent(part.slice(equals + 1));
    const before = out[name];
    out[name] = before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value];
  }
  return out;
}

const malformedBody = () => new AppError(400, 'error.text_malformed', { field: 'body' });

export const inputTextPlugin = fp(async (app: FastifyInstance) => {
  // JSON bodies: UTF-8 or nothing; then Fastify's own parser (prototype-poisoning checks included).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    if (!isUtf8(body as Buffer)) return done(malformedBody(), undefined);
    parseJson(request, (body as Buffer).toString('utf8'), done);
  });

  app.addHook('preValidation', async (request: FastifyRequest) => {
    if (request.routeOptions.config.ownTextCheck) return;
    const problem = textProblemIn(request.body) ?? textProblemIn(request.query) ?? textProblemIn(request.params);
    if (problem) throw new AppError(400, problem.code, { field: problem.field });
  });
}, { name: 'kelid-input-text' });

/** HTML forms' bodies (registered by the pages' scope only): UTF-8, strictly decoded. */
export const formBodies = fp(async (app: FastifyInstance) => {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (_request, body, done) => {
    if (!isUtf8(body as Buffer)) return done(malformedBody(), undefined);
    done(null, parseUrlEncoded((body as Buffer).toString('utf8')));
  });
}, { name: 'kelid-form-bodies' });

