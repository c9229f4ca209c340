/**
 * Strict headers on every answer. The CSP allows no script at all and only our stylesheet;
 * forms may post here and be redirected to Kelid (sign-out ends at Kelid's end-session page,
 * and browsers check form-action across redirects). No referrer: addresses carry, on
 * /callback, an authorization code. Pages with personal data are never stored by the browser
 * or a proxy.
 */
import fp from 'fastify-plugin';

/** The headers of an answer to `url` (also for the pages drawn before any hook, app.ts `frameworkErrors`). */
export function securityHeaders(options: { kelidOrigin: string; https: boolean }, url: string): Record<string, string> {
  const csp = [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self'",
    `form-action 'self' ${options.kelidOrigin}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=()',
    'cache-control': url.startsWith('/assets/') ? 'public, max-age=3600' : 'no-store',
    ...(options.https ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

export const securityHeadersPlugin = fp<{ kelidOrigin: string; https: boolean }>(async (app, options) => {
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(securityHeaders(options, request.url));
  });
}, { name: 'example-security-headers' });
