/**
 * The cookies Kelid keeps in browsers: their names and attributes, from the public URL's scheme.
 *
 * Every one is the whole site's (`Path=/`, no `Domain`), `HttpOnly` and `SameSite=Lax`. Behind
 * HTTPS each is also `Secure` and named `__Host-…` (RFC 6265bis §4.1.3.2): a browser keeps such a
 * cookie only if it came over HTTPS from this very host with `Path=/` and no `Domain`, so a
 * neighbouring host of the same site (another subdomain of the ministry's domain, whose pages
 * Kelid does not control) can neither plant one of them nor overwrite one (cookie tossing): no
 * session of its choosing, no flow binding it knows, no language. Over plain HTTP (a developer's
 * machine) browsers refuse the prefix, so the names there are bare.
 *
 * The provider's interaction cookies are not here: upstream scopes them to one interaction's
 * path, which the prefix forbids; they are `Secure` behind HTTPS as these are (federation/provider.ts).
 */
export type SiteCookies = Readonly<{
  /** The session token (`kelid_session`). */
  session: string;
  /** This browser's device tokens for the lockout (`kelid_device`, identity/devices.ts). */
  device: string;
  /** The browser's binding of its page flows (`kelid_flow`, http/pages/flow-pages.ts). */
  flow: string;
  /** @fastify/csrf-protection's secret (`kelid_csrf`, signed). */
  csrf: string;
  /** The language chosen with `?lang=` (`kelid_lang`). */
  lang: string;
  /** An Arabic reader's digits chosen with `?digits=` (`kelid_digits`). */
  digits: string;
  /** The OpenID provider's session (`kelid_oidc_session`, and its signature's `….sig`). */
  providerSession: string;
  /** The attributes every one of them is set with. */
  attributes: Readonly<{ path: '/'; httpOnly: true; sameSite: 'lax'; secure: boolean }>;
  /**
   * Behind HTTPS, the names the cookies had before they were `__Host-` (the release of
   * 2026-12): read only to end the session one names and to keep the language and digits
   * chosen, and cleared (plugins/auth.ts endPreviousCookies). Undefined over HTTP, where the
   * names did not change.
   */
  previous: Readonly<{ session: string; lang: string; digits: string; names: readonly string[] }> | undefined;
}>;

/** The cookies for a public URL (`KELID_PUBLIC_URL`): `__Host-` names and `Secure` when it is https. */
export function siteCookies(publicUrl: string): SiteCookies {
  const https = new URL(publicUrl).protocol === 'https:';
  const bare = { session: 'kelid_session', device: 'kelid_device', flow: 'kelid_flow', csrf: 'kelid_csrf', lang: 'kelid_lang', digits: 'kelid_digits', providerSession: 'kelid_oidc_session' };
  const names = Object.fromEntries(Object.entries(bare).map(([key, name]) => [key, https ? `__Host-${name}` : name])) as typeof bare;
  return {
    ...names,
    attributes: { path: '/', httpOnly: true, sameSite: 'lax', secure: https },
    // The provider's session cookie has its signature's beside it (koa's cookies: `.sig`).
    previous: https ? { session: bare.session, lang: bare.lang, digits: bare.digits, names: [...Object.values(bare), `${bare.providerSession}.sig`] } : undefined,
  };
}
