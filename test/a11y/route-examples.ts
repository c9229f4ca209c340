// How the walk turns the server's route table into addresses to visit: a pattern's parameters
// filled with real ids (from the demo data or objects the walk made), an address matched back
// to its pattern, and a probe's answer sorted into "a page to check" or "skipped, and why".

/** A route pattern as Fastify registered it: `/admin/users/:id`, `/assets/*`, `/captcha/:id.svg`. */
export type Pattern = string;

const hasParameters = (pattern: Pattern) => /[:*]/.test(pattern);

/** A regular expression matching the paths of `pattern` (a parameter is one segment, `*` the rest). */
export function patternRegex(pattern: Pattern): RegExp {
  const source = pattern.split(/(:[A-Za-z_]+|\*)/).map((part) =>
    part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('');
  return new RegExp(`^${source}$`);
}

/** The part of a pattern before its first parameter or wildcard. */
const staticPrefix = (pattern: Pattern) => pattern.split(/[:*]/)[0] ?? '';

/**
 * The pattern of the route table that serves `path` (a path without its query), or undefined:
 * as Fastify's router chooses, a pattern without parameters first, then the matching pattern
 * with the longest fixed beginning (`/assets/webauthn/*` before `/assets/*`).
 */
export function patternOf(path: string, patterns: readonly Pattern[]): Pattern | undefined {
  if (patterns.includes(path)) return path;
  const matching = patterns.filter((p) => hasParameters(p) && patternRegex(p).test(path));
  return matching.sort((a, b) => staticPrefix(b).length - staticPrefix(a).length)[0];
}

/**
 * The address to probe for `pattern`: itself when it has no parameter, the example the walk
 * knows (a real id), else the pattern with a made-up id in each parameter, so that a route that
 * answers JSON or an image whatever the id is sorted by its answer (and a page route without
 * an example fails the walk, see `sortAnswer`).
 */
export function addressFor(pattern: Pattern, examples: ReadonlyMap<Pattern, string>): { url: string; madeUp: boolean } {
  const known = examples.get(pattern);
  if (known !== undefined) return { url: known, madeUp: false };
  if (!hasParameters(pattern)) return { url: pattern, madeUp: false };
  return { url: pattern.replace(/:[A-Za-z_]+/g, '00000000-0000-4000-8000-000000000000').replace('*', 'walk'), madeUp: true };
}

/** What the walk does with a probe's answer. */
export type Verdict =
  | { kind: 'page' }
  | { kind: 'not html'; contentType: string }
  | { kind: 'redirect'; location: string }
  | { kind: 'refused'; status: number };

/**
 * Sorts an answer by what it is, never by its path: HTML with a 2xx status is a page to check;
 * anything else that is not HTML (JSON, CSV, images, scripts, SCIM, OpenID) is skipped; a
 * redirect is followed by trying the next identity (or is skipped when every identity is sent
 * elsewhere); an HTML 4xx is "refused" (the next identity is tried; nobody let in fails the walk).
 */
export function sortAnswer(status: number, contentType: string, location: string | undefined): Verdict {
  if (status >= 300 && status < 400) return { kind: 'redirect', location: location ?? '' };
  if (!/^text\/html\b/.test(contentType)) return { kind: 'not html', contentType: contentType || '(none)' };
  if (status >= 200 && status < 300) return { kind: 'page' };
  return { kind: 'refused', status };
}
