/** Request decorations, declared once (fastify's Decorators.md) and typed by declaration merging. */
import type { Locale } from '../config.ts';
import type { Translate } from '../i18n/catalogs.ts';
import type { Formatting } from '../i18n/format.ts';
import type { CurrentSession } from '../identity/sessions.ts';
import type { SiteCookies } from './cookies.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route the app serves, as registered (buildApp's onRoute hook). */
    routeTable: readonly { method: string; url: string }[];
    /** The cookies Kelid keeps in browsers, named for the public URL's scheme (http/cookies.ts). */
    siteCookies: SiteCookies;
  }
  interface FastifyContextConfig {
    /** A route that takes a file: its largest, in bytes, for the refusal of a larger one to say (error-pages.ts). */
    uploadLimitBytes?: number;
  }
  interface FastifyRequest {
    locale: Locale;
    /** How this request's numbers and dates are written: its locale's, with an Arabic reader's choice of digits. */
    formatting: Formatting;
    t: Translate;
    /** The signed-in session, from the cookie (pages) or the bearer token (API); null when anonymous. */
    auth: CurrentSession | null;
  }
}

/** A path on this site to return to after sign-in; anything else (other hosts, `//x`, `\x`) is dropped. */
export function safeReturnTo(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  // Printable ASCII only: anything else cannot go in a Location header as it is.
  if (!/^\/[\x21-\x7e]*$/.test(value) || value.startsWith('//') || value.includes('\\')) return undefined;
  return value;
}
