/**
 * `prompt=none` for a browser signed in to Kelid (OIDC Core 3.1.2.1). Upstream answers such a
 * request by its own session only, and the provider's session starts at the first app a person
 * opens: signed in at Kelid's own pages, or again since, a person's app heard `login_required`
 * though one click without `prompt=none` would have gone straight through. So such a request
 * goes through Kelid's interaction like any other, marked silent (SILENT_PARAM, one of the
 * provider's `extraParams`): the interaction signs the person in from the Kelid session without
 * a page, and where it would show one answers the app the error `prompt=none` calls for
 * (http/pages/interaction.ts). An app that sends the mark itself only asks for what
 * `prompt=none` asks: no page.
 */

/** The authorization request's parameter that marks it silent (the value `1`). */
export const SILENT_PARAM = 'kelid_silent';

/** The errors a silent request answers where a page would be shown (OIDC Core 3.1.2.6). */
export type SilentError = 'login_required' | 'interaction_required' | 'consent_required';

/**
 * The provider's path for an authorization request (`/auth?…`, as the provider sees it) made
 * silent: `prompt=none` taken out and SILENT_PARAM put in; undefined when the request is not a
 * GET at `/auth` whose `prompt` is exactly `none` (others are the provider's to answer as they
 * are; a pushed or signed request's prompt is inside it and stays upstream's).
 */
export function silentAuthorization(method: string, path: string): string | undefined {
  if (method !== 'GET') return undefined;
  const url = new URL(path, 'http://provider');
  if (url.pathname !== '/auth' || url.searchParams.getAll('prompt').join(' ') !== 'none') return undefined;
  if (url.searchParams.has('request') || url.searchParams.has('request_uri')) return undefined;
  url.searchParams.delete('prompt');
  url.searchParams.set(SILENT_PARAM, '1');
  return `${url.pathname}${url.search}`;
}
