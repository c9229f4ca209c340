/**
 * How many request bodies one client address may be sending at once, in this process: past
 * BODIES_PER_ADDRESS a new one is refused at once (429 `error.rate_limited`, Retry-After,
 * `Connection: close`) before any of it is read. A body is buffered as it arrives (up to the
 * route's limit, 1 MB for every form) and may take REQUEST_TIMEOUT_MS to arrive: the flood
 * guard counts requests as they begin, so one address held ~3,000 half-sent bodies, past a
 * pod's memory limit (an attacker review, 2026-12-04: 450 from one address took a process from
 * 137 to 590 MB). Now one address holds at most BODIES_PER_ADDRESS × the limit. Forms arrive
 * in one or two packets, so people, a whole school behind one address included, are never near
 * it (the flood guard's 10 requests a second an address would be spent long before). Counted
 * by the limits' key (domain/client-address.ts: an IPv6 client by its /64).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { addressKeyOf } from '../../domain/client-address.ts';
import { AppError } from '../../errors.ts';

export const BODIES_PER_ADDRESS = 32;
/** Seconds a refused client is told to wait: bodies in flight end within the request timeout, most within seconds. */
const RETRY_SECONDS = 10;

// fastify-plugin: every route's body is counted.
export const bodiesPerAddress = fp(async (app: FastifyInstance) => {
  const sending = new Map<string, number>();
  app.addHook('preParsing', async (request, reply, payload) => {
    const { 'content-length': length, 'transfer-encoding': chunked } = request.headers;
    if (chunked === undefined && !(Number(length) > 0)) return payload;
    const key = addressKeyOf(request.ip);
    const now = sending.get(key) ?? 0;
    if (now >= BODIES_PER_ADDRESS) {
      reply.header('connection', 'close');
      throw new AppError(429, 'error.rate_limited', { params: { seconds: RETRY_SECONDS } });
    }
    sending.set(key, now + 1);
    let done = false;
    const finished = () => {
      if (done) return;
      done = true;
      const left = (sending.get(key) ?? 1) - 1;
      if (left <= 0) sending.delete(key);
      else sending.set(key, left);
    };
    // Read whole, cut off, or never read (a refusal before parsing): each ends the count once.
    payload.once('end', finished);
    payload.once('close', finished);
    payload.once('error', finished);
    request.raw.once('close', finished);
    return payload;
  });
}, { name: 'kelid-bodies-per-address' });
