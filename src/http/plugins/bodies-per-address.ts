/**
 * How many bytes of request bodies one client address may be sending at once, in this
 * process: each body reserves its declared length (Content-Length; a chunked one, its route's
 * limit) while it arrives, and a new one that would take the address past
 * BODY_BYTES_PER_ADDRESS is refused at once (429 `error.rate_limited`, Retry-After,
 * `Connection: close`) before any of it is read; a body alone is always let in (its route's
 * limit bounds it: a 20 MB import), and so is one of SMALL_BODY_BYTES or less. A body is buffered as it arrives, up to 1 MB for every
 * form, and may take REQUEST_TIMEOUT_MS to arrive: the flood guard counts requests as they
 * begin, so one address held ~3,000 half-sent bodies, past a pod's memory limit (an attacker
 * review, 2026-12-04: 450 from one address took a process from 137 to 590 MB). Counted
 * by the limits' key (domain/client-address.ts: an IPv6 client by its /64).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { addressKeyOf } from '../../domain/client-address.ts';
import { AppError } from '../../errors.ts';

export const BODY_BYTES_PER_ADDRESS = 8 * 1024 * 1024;
/** Bodies up to this size (every form people fill in) are not counted. */
export const SMALL_BODY_BYTES = 16 * 1024;
/** Seconds a refused client is told to wait: bodies in flight end within the request timeout, most within seconds. */
const RETRY_SECONDS = 10;

// fastify-plugin: every route's body is counted.
export const bodiesPerAddress = fp(async (app: FastifyInstance) => {
  const reserved = new Map<string, number>();
  app.addHook('preParsing', async (request, reply, payload) => {
    const { 'content-length': length, 'transfer-encoding': chunked } = request.headers;
    const limit = request.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit ?? 0;
    const bytes = chunked !== undefined ? limit : Math.min(Number(length), limit);
    // A form's body is never held back: an attacker holding big bodies at a school's address
    // must not stop its pupils' sign-ins. Small bodies from one address are bounded by the flood
    // guard instead (its requests a minute × the request timeout × SMALL_BODY_BYTES).
    if (!(bytes > SMALL_BODY_BYTES)) return payload;
    const key = addressKeyOf(request.ip);
    const others = reserved.get(key) ?? 0;
    if (others > 0 && others + bytes > BODY_BYTES_PER_ADDRESS) {
      reply.header('connection', 'close');
      throw new AppError(429, 'error.rate_limited', { params: { seconds: RETRY_SECONDS } });
    }
    reserved.set(key, others + bytes);
    let done = false;
    const finished = () => {
      if (done) return;
      done = true;
      const left = (reserved.get(key) ?? bytes) - bytes;
      if (left <= 0) reserved.delete(key);
      else reserved.set(key, left);
    };
    // Read whole, cut off, or left unread by an answer already sent (a refusal before or while
    // parsing: Node then discards the rest unbuffered): each ends the reservation once.
    payload.once('end', finished);
    payload.once('close', finished);
    payload.once('error', finished);
    request.raw.once('close', finished);
    reply.raw.once('finish', finished);
    reply.raw.once('close', finished);
    return payload;
  });
}, { name: 'kelid-bodies-per-address' });
