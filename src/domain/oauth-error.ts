/**
 * The body of an OAuth error answer (RFC 6749 §5.2: `error`, `error_description`), for refusals
 * Kelid makes itself at the provider's endpoints that apps' servers call (a body too large, a
 * request refused for load, an address with no endpoint), so that an OAuth client reads every
 * refusal there the way it reads upstream's own.
 *
 * `error` by HTTP status: 429 and 503 `temporarily_unavailable` (RFC 6749 §4.1.2.1: the server
 * cannot take the request for now), other 5xx `server_error`, 404 `not_found` (no endpoint at
 * that address; RFC 6749 has no code for it), other 4xx `invalid_request`.
 */
export type OAuthErrorBody = { error: string; error_description: string };

export function oauthError(status: number, description: string): OAuthErrorBody {
  const error = status === 429 || status === 503 ? 'temporarily_unavailable'
    : status >= 500 ? 'server_error'
      : status === 404 ? 'not_found'
        : 'invalid_request';
  return { error, error_description: description };
}
