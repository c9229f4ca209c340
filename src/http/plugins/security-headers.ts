/**
 * Strict headers on every answer: a CSP with no inline script or style, no framing, no
 * referrer leaks, HSTS behind HTTPS. Pages that show personal data are never cached.
 *
 * helmet is called directly (it is what @fastify/helmet wraps) so that the answers Fastify
 * makes before any hook runs (a URL it cannot decode: app.ts `frameworkErrors`) carry the
 * very same headers as every other answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';

export type HeaderSetter = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * helmet's headers for Kelid's policy, as a setter for every answer. helmet works them out
 * once, here: with these options they depend on nothing in the request (no nonce, no function
 * directive), so each answer gets the same list, set without going through helmet's chain of
 * a dozen middlewares (measured: ~1 % of the server's CPU on a client-credentials grant).
 */
export function securityHeaders(options: { https: boolean }): HeaderSetter {
  const { set, removed } = recordHeaders(helmetFor(options));
  return (_request, response, next) => {
    for (const name of removed) response.removeHeader(name);
    for (const [name, value] of set) response.setHeader(name, value);
    next();
  };
}

/**
 * What `setter` sets and removes on an answer, recorded once on a stub (for an answer written
 * by hand: client-errors.ts). Throws when it does not finish at once or sets nothing: a setter
 * that answered later would leave answers with part of the policy, so start-up stops.
 */
export function recordHeaders(setter: HeaderSetter): { set: readonly (readonly [string, string])[]; removed: readonly string[] } {
  const set: [string, string][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader(name: string, value: unknown) { set.push([name, String(value)]); },
    removeHeader(name: string) { removed.push(name); },
  };
  let finished = false;
  setter({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error !== undefined) throw error;
    finished = true;
  });
  if (!finished || set.length === 0) throw new Error('the security headers were not set at once: they cannot be worked out');
  return { set: Object.freeze(set), removed: Object.freeze(removed) };
}

/** helmet itself, with Kelid's policy: its headers are what securityHeaders() sets (test/http/security-headers.test.ts compares them). */
export function helmetFor(options: { https: boolean }): HeaderSetter {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        // No form-action: browsers check it on every redirect after a post, and a sign-in, role choice, consent or sign-out here ends at an app's redirect URI on another origin (upstream's example deletes it too).
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        ...(options.https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: options.https ? { maxAge: 31536000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    // The CSP's frame-ancestors 'none' says it for browsers that read it; the old header says the same to the rest.
    xFrameOptions: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });
}

/** The headers of every answer, for one Fastify did not run the hooks of. */
export function applySecurityHeaders(setter: HeaderSetter, request: FastifyRequest, reply: FastifyReply): void {
  setter(request.raw, reply.raw, () => undefined);
  reply.header('cache-control', 'no-store');
}

/** Sets `headers` (securityHeaders()) on every answer, and `cache-control: no-store` on all but assets. */
export const securityHeadersPlugin = fp<{ headers: HeaderSetter }>(async (app, { headers }) => {
  app.addHook('onRequest', (request, reply, done) => headers(request.raw, reply.raw, (error) => done(error as Error | undefined)));
  app.addHook('onSend', async (request, reply) => {
    // The asset route's own answers (plugins/assets.ts: a file, public and immutable, or the
    // redirect to one) choose their caching, and a cache between visitors may keep them: they
    // carry no cookie (`?lang=` on a stylesheet's URL is remembered by pages only). Anything
    // else under /assets/ (a 404, a refused name, an error) is no-store like every other page.
    if (request.url.startsWith('/assets/') && reply.statusCode < 400 && reply.getHeader('cache-control') !== undefined) {
      reply.removeHeader('set-cookie');
      return;
    }
    reply.header('cache-control', 'no-store');
  });
}, { name: 'kelid-security-headers' });
