/**
 * Who a request's answer is for, by where it was sent: a person's browser (a page) or another
 * program (JSON in the API's, OAuth's or SCIM's shape). The error handlers read it for the shape
 * of a refusal, and the language negotiation for whether Accept-Language counts (i18n.ts).
 */
// Case-insensitive as upstream's router (helpers/router.js `fold`: ASCII letters in any case,
// `/oidc/AUTH` is the authorization endpoint), and, as it, no non-ASCII letter stands in for an
// ASCII one (`/i` without `u`: "ſ" is not "s"); Fastify's `/oidc` prefix itself is case-sensitive.
const OIDC_PAGES = /^\/oidc\/(?:auth|session\/end)(?:[/?]|$)/i;
/**
 * The OpenID provider's endpoints a person's browser is sent to (authorization, sign-out): the
 * others (token, userinfo, introspection, revocation, keys, discovery) are called by apps'
 * servers, which read JSON.
 */
export const isProviderPage = (url: string) => OIDC_PAGES.test(url);

/** The provider's userinfo endpoint (RFC 6750's protected resource: its refusals carry WWW-Authenticate). */
export const isUserinfo = (url: string) => /^\/oidc\/me(?:[/?]|$)/i.test(url);

/** The passkey endpoints assets/passkey.js posts JSON to and reads `{error: {message}}` from (pages/mfa.ts). */
const PASSKEY_JSON = /^\/(?:account\/passkeys|mfa\/passkey)(?:\/options)?(?:[?#]|$)/;

/**
 * The form a refusal takes, by where it was sent: SCIM's error under /scim, the API's JSON under
 * /api (and the outbox's JSON, and the passkey endpoints' a page's script calls), JSON at the
 * provider's endpoints apps' servers call (`oauth`), a page anywhere else. Every answer made outside a route reads it (sendError, client-errors.ts).
 */
export function answerFormOf(url: string): 'scim' | 'api' | 'oauth' | 'page' {
  if (url.startsWith('/scim/')) return 'scim';
  if (url.startsWith('/api/') || url.startsWith('/dev/outbox.json') || PASSKEY_JSON.test(url)) return 'api';
  if (url.startsWith('/oidc/') && !isProviderPage(url)) return 'oauth';
  return 'page';
}
