/**
 * How many bytes of request bodies one client address may be sending at once, in this
 * process. A body is buffered as it arrives, up to 1 MB for every form, and may take
 * REQUEST_TIMEOUT_MS to arrive: the flood guard counts requests as they begin, so one address
 * held ~3,000 half-sent bodies, past a pod's memory limit (an attacker review, 2026-12-04:
 * 450 from one address took a process from 137 to 590 MB).
 *
 * A body with a Content-Length reserves it before any of it is read, unless it is here whole
 * already (it came with its headers, as small API calls and forms do: it is parsed at once,
 * holding nothing while it waits); a chunked one counts its bytes as they arrive (a multipart one, read by @fastify/multipart from the socket itself,
 * reserves its route's limit). One that would take its address past BODY_BYTES_PER_ADDRESS
 * is refused (429 `error.rate_limited`, Retry-After, `Connection: close`); a body alone always
 * gets in (its parser's limit bounds it: a 20 MB import), and on the routes the flood guard
 * counts so does one of SMALL_BODY_BYTES or less (BodyPlace). The endpoints of the OpenID
 * provider that apps call are not flood-guarded: there every body counts, apart from the rest
 * (http/oidc.ts, `holdBody`).
 * Counted by the limits' key (domain/client-address.ts: an IPv6 client by its /64).
 */
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { addressKeyOf } from '../../domain/client-address.ts';
import { AppError } from '../../errors.ts';

export const BODY_BYTES_PER_ADDRESS = 8 * 1024 * 1024;
/** Bodies up to this size (every form people fill in) are not counted where the flood guard counts requests. */
export const SMALL_BODY_BYTES = 16 * 1024;
/** Seconds a refused client is told to wait: bodies in flight end within the request timeout, most within seconds. */
const RETRY_SECONDS = 10;

/** The bytes of bodies in flight, by address key. */
class BodyLedger {
  readonly #held = new Map<string, number>();

  /**
   * Adds `bytes` to a body that holds `mine` already; false (nothing added) when the address's
   * other bodies hold some and all of them would pass BODY_BYTES_PER_ADDRESS.
   */
  take(key: string, mine: number, bytes: number): boolean {
    const total = this.#held.get(key) ?? 0;
    const others = total - mine;
    if (others > 0 && total + bytes > BODY_BYTES_PER_ADDRESS) return false;
    this.#held.set(key, total + bytes);
    return true;
  }

  /** Whether any body from `key` is in flight. */
  holds(key: string): boolean {
    return this.#held.has(key);
  }

  give(key: string, bytes: number): void {
    const left = (this.#held.get(key) ?? bytes) - bytes;
    if (left <= 0) this.#held.delete(key);
    else this.#held.set(key, left);
  }
}

/** One body's share of its address's: grows as it is reserved or arrives, given back once. */
type BodyHold = { grow(bytes: number): boolean; release(): void };

function holdIn(ledger: BodyLedger, key: string): BodyHold {
  let mine = 0;
  let done = false;
  return {
    grow(bytes) {
      if (done || !ledger.take(key, mine, bytes)) return false;
      mine += bytes;
      return true;
    },
    release() {
      if (done) return;
      done = true;
      ledger.give(key, mine);
    },
  };
}

/**
 * Whether the body `request` declares (Content-Length; never a chunked one) is here whole
 * already, pushed by Node with its headers: it waits for nothing, so it reserves nothing.
 */
const cameWhole = (request: FastifyRequest): boolean =>
  request.headers['transfer-encoding'] === undefined && request.raw.readableLength >= Number(request.headers['content-length']);

const refusal = () => new AppError(429, 'error.rate_limited', { params: { seconds: RETRY_SECONDS } });

/**
 * Ends `hold` when the exchange ends, whichever way: the body read whole, cut off, or left
 * unread by an answer already sent (a refusal before or while parsing: Node then discards the
 * rest unbuffered).
 */
function releaseAtTheEnd(hold: BodyHold, reply: FastifyReply, streams: Readable[]): void {
  const release = () => hold.release();
  for (const stream of streams) {
    stream.once('end', release);
    stream.once('close', release);
    stream.once('error', release);
  }
  reply.raw.once('finish', release);
  reply.raw.once('close', release);
}

/**
 * A chunked body's bytes, counted into `hold` as they pass (all of them once past `small`);
 * past the address's share, a 429.
 */
function counted(payload: Readable, hold: BodyHold, small: number): Transform & { receivedEncodedLength: number } {
  let seen = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      const before = seen;
      seen += chunk.length;
      stream.receivedEncodedLength = seen;
      // Counted from its first byte once it is past `small`.
      const owed = seen <= small ? 0 : before <= small ? seen : chunk.length;
      if (owed > 0 && !hold.grow(owed)) callback(refusal());
      else callback(null, chunk);
    },
  }) as Transform & { receivedEncodedLength: number };
  stream.receivedEncodedLength = 0;
  payload.on('error', (error) => stream.destroy(error));
  payload.pipe(stream);
  return stream;
}

/**
 * Where a body is counted: `page`, a route the flood guard counts (bodies of SMALL_BODY_BYTES or
 * less free); `unguarded`, one it does not count (the not-found answer: every body counts);
 * `endpoint`, the OpenID provider's endpoints apps call (every body counts, in a ledger of their
 * own, so that an upload in flight from a school's address does not hold back its pupils' apps'
 * token calls; their bodies are small and sent at once).
 */
export type BodyPlace = 'page' | 'unguarded' | 'endpoint';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Reserves the body `request` declares (Content-Length, at most `limit`, past which its
     * reader refuses it unread; chunked: `limit`) for the rest of the exchange, for a route that
     * reads `request.raw` itself before any preParsing hook (the OpenID provider's), counted as
     * `place` says. Where its address has bodies in flight already, it first waits one turn of
     * the event loop (a hook runs before Node has pushed the body that came in the same packet
     * as the headers) and a body then found whole reserves nothing. Rejects with the 429
     * AppError (with `Connection: close` on `reply`) past the address's share.
     */
    holdBody(request: FastifyRequest, reply: FastifyReply, limit: number, place: BodyPlace): Promise<void>;
  }
}

// fastify-plugin: every route's body is counted, and `holdBody` is everyone's.
export const bodiesPerAddress = fp(async (app: FastifyInstance) => {
  const ledgers = { app: new BodyLedger(), endpoints: new BodyLedger() };
  const ledgerOf = (place: BodyPlace) => (place === 'endpoint' ? ledgers.endpoints : ledgers.app);
  const holdFor = (request: FastifyRequest, place: BodyPlace) => holdIn(ledgerOf(place), addressKeyOf(request.ip));
  const smallFree = (place: BodyPlace) => (place === 'page' ? SMALL_BODY_BYTES : 0);
  const reserve = (request: FastifyRequest, reply: FastifyReply, bytes: number, place: BodyPlace, streams: Readable[]) => {
    if (!(bytes > smallFree(place))) return;
    const hold = holdFor(request, place);
    if (!hold.grow(bytes)) {
      reply.header('connection', 'close');
      throw refusal();
    }
    releaseAtTheEnd(hold, reply, streams);
  };

  app.decorate('holdBody', async (request: FastifyRequest, reply: FastifyReply, limit: number, place: BodyPlace) => {
    const { 'content-length': length, 'transfer-encoding': chunked } = request.headers;
    const bytes = chunked !== undefined ? limit : Math.min(Number(length), limit);
    if (!(bytes > smallFree(place))) return;
    // Idle connections from its address (each declaring a body it never sends) must not keep out
    // a body that came whole: a school's pupils' apps' token calls.
    if (chunked === undefined && ledgerOf(place).holds(addressKeyOf(request.ip))) {
      await new Promise((resolve) => setImmediate(resolve));
      // Whole; or gone while it waited (nothing would end a hold taken now).
      if (cameWhole(request) || request.raw.destroyed || reply.raw.destroyed) return;
    }
    reserve(request, reply, bytes, place, [request.raw]);
  });

  app.addHook('preParsing', async (request, reply, payload) => {
    const { 'content-length': length, 'transfer-encoding': chunked, 'content-type': type } = request.headers;
    // A form's body is never held back: an attacker holding big bodies at a school's address
    // must not stop its pupils' sign-ins. Small bodies from one address are bounded by the flood
    // guard instead (its requests a minute × the request timeout × SMALL_BODY_BYTES); the
    // not-found answer is not flood-guarded, so there every body counts.
    const place: BodyPlace = request.is404 ? 'unguarded' : 'page';
    if (chunked !== undefined && !/^multipart\//i.test(type ?? '')) {
      const hold = holdFor(request, place);
      const stream = counted(payload, hold, smallFree(place));
      // Not at the request's end: chunks may still wait in the counting stream then.
      releaseAtTheEnd(hold, reply, [stream]);
      return stream;
    }
    // Declared: past the parser's limit it is refused unread (413) and given back at once.
    const bytes = chunked !== undefined ? request.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit ?? 0 : Number(length);
    // A body already here whole waits for nothing: it is parsed now.
    if (cameWhole(request)) return payload;
    reserve(request, reply, bytes, place, [payload, request.raw]);
    return payload;
  });
}, { name: 'kelid-bodies-per-address' });
