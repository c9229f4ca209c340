/**
 * A ministry app's registration as an OpenID client (issue 10 §4), the rules (no I/O): what
 * an administrator or `kelid clients add` may register. Redirect and post-logout URIs are
 * matched exactly by the provider, so they must be exact here: absolute, no fragment, https
 * except on the machine itself (`localhost`, 127.0.0.1, ::1: apps in development and the demo).
 */
import { normalizeLine } from './digits.ts';
import type { Locale } from '../config.ts';
import type { Role } from '../db/schema.ts';

export const OIDC_SCOPES = ['openid', 'profile', 'email', 'phone', 'national_id', 'roles', 'children', 'offline_access'] as const;
/** Scopes of Kelid's own APIs, for client-credentials clients (SCIM for school information systems). */
export const API_SCOPES = ['scim'] as const;
export type ClientScope = (typeof OIDC_SCOPES)[number] | (typeof API_SCOPES)[number];
export const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];
/** The roles an app may serve (the university's too: a university's apps sign its people in). */
export const CLIENT_ROLES = [
  'student', 'teacher', 'staff', 'deputy', 'principal', 'father', 'mother', 'guardian',
  'district_admin', 'province_admin', 'ministry_admin', 'university_staff', 'university_student',
] as const satisfies readonly Role[];

/** An app's name in other languages than its `name`'s, by locale (`{en: 'Payslips'}`). */
export type ClientNames = Partial<Record<Locale, string>>;

export type ClientInput = {
  clientId: string;
  name: string;
  /** Its name for people reading Kelid in another language; a language left out reads `name`. */
  names?: ClientNames;
  firstParty: boolean;
  confidential: boolean;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  grantTypes: GrantType[];
  scopes: ClientScope[];
  accessTokenFormat: 'opaque' | 'jwt';
  /** ID tokens signed RS256 (the default OIDC requires to be available) or ES256. */
  idTokenAlg?: 'RS256' | 'ES256';
  backchannelLogoutUri: string | null;
  roles: Role[];
};

/** A problem with a registration; a refused URI comes with itself and the rule it broke. */
export type ClientProblem = { field: keyof ClientInput; uri?: { value: string; fault: UriFault }; code: 'client.id_invalid' | 'client.name_required' | 'client.names_too_long' | 'client.uri_invalid' | 'client.grant_invalid' | 'client.scope_invalid' | 'client.redirect_required' | 'client.public_needs_code' | 'client.pairwise_one_host' | 'client.role_invalid' };

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Why a URI cannot be one the provider redirects to (isRedirectUri), the first rule it breaks:
 * `space` (a space, tab, line break, other control character, or a character not drawn, such as
 * a direction control or a Hangul filler, anywhere: the URL parser would drop or encode it, and an app
 * sends the URI it was given, so what is stored would match nothing, two URIs pasted on one
 * line say; nor may a console list show an address that reads other than it is), `not_absolute` (no scheme and host), `fragment`
 * (a `#`), `credentials` (a user name or password), `scheme` (not https, nor http to this
 * machine). Undefined for a URI that may be used.
 */
export type UriFault = 'space' | 'not_absolute' | 'fragment' | 'credentials' | 'scheme';
/** Any space or line break (Unicode's), control character, format character or one Unicode says to ignore in display (U+3164, U+034F, variation selectors…). */
const INVISIBLE_OR_SPACE = /[\s\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
const EACH_INVISIBLE_OR_SPACE = new RegExp(INVISIBLE_OR_SPACE.source, 'gu');

/**
 * A URI as a message or a terminal may show it: every character redirectUriFault refuses as
 * unseen (a plain space apart) as U+FFFD, and cut after `max` characters with "…".
 */
export function shownUri(value: string, max = 120): string {
  const seen = value.replace(EACH_INVISIBLE_OR_SPACE, (c) => (c === ' ' ? c : '\uFFFD'));
  return [...seen].length > max ? `${[...seen].slice(0, max).join('')}…` : seen;
}
export function redirectUriFault(value: string): UriFault | undefined {
  if (INVISIBLE_OR_SPACE.test(value)) return 'space';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not_absolute';
  }
  if (url.hash !== '' || value.includes('#')) return 'fragment';
  if (url.username !== '' || url.password !== '') return 'credentials';
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname))) return undefined;
  return 'scheme';
}

/**
 * An exact URI the provider may redirect to: http(s), absolute, no fragment, no credentials;
 * https unless local; as written, byte for byte (redirectUriFault says which rule one breaks).
 */
export const isRedirectUri = (value: string): boolean => redirectUriFault(value) === undefined;

/** A client id Kelid gives: 2–64 lower-case letters, digits, `.`, `_`, `-`, from a letter or digit (safe in a URL path). */
export const isClientId = (value: string) => /^[a-z0-9][a-z0-9._-]{1,63}$/.test(value);

/**
 * An app's name as stored and shown (on the consent page, inside a sentence): one line, no
 * invisible or direction-control characters (an U+202E would reverse the sentence around it).
 */
export const clientName = (name: string): string => normalizeLine(name);

/** The names as stored: each as clientName() has it, the empty ones left out. */
export function clientNames(names: ClientNames | undefined): ClientNames {
  const kept: ClientNames = {};
  for (const [locale, name] of Object.entries(names ?? {}) as [Locale, string][]) {
    const line = clientName(name);
    if (line !== '') kept[locale] = line;
  }
  return kept;
}

/** What a person reading `locale` calls the app: its name in that language, else its own. */
export const appNameIn = (app: { name: string; names?: ClientNames | undefined }, locale: Locale): string => app.names?.[locale] ?? app.name;

/** How many refused URIs of one field a check names. */
const MAX_URIS_NAMED = 5;

/** Every problem with a registration, in the order of the form; empty when it may be saved. */
export function checkClient(input: ClientInput, knownRoles: readonly Role[]): ClientProblem[] {
  const problems: ClientProblem[] = [];
  if (!isClientId(input.clientId)) problems.push({ field: 'clientId', code: 'client.id_invalid' });
  const name = clientName(input.name);
  if (name === '' || [...name].length > 100) problems.push({ field: 'name', code: 'client.name_required' });
  if (Object.values(clientNames(input.names)).some((other) => [...other].length > 100)) problems.push({ field: 'names', code: 'client.names_too_long' });
  if (input.grantTypes.length === 0 || input.grantTypes.some((g) => !GRANT_TYPES.includes(g))) problems.push({ field: 'grantTypes', code: 'client.grant_invalid' });
  if (input.scopes.some((s) => !(OIDC_SCOPES as readonly string[]).includes(s) && !(API_SCOPES as readonly string[]).includes(s))) problems.push({ field: 'scopes', code: 'client.scope_invalid' });
  // Kelid's APIs (SCIM) are for systems, by client credentials, never for a person's sign-in.
  else if (input.scopes.some((s) => (API_SCOPES as readonly string[]).includes(s)) && input.grantTypes.some((g) => g !== 'client_credentials')) problems.push({ field: 'scopes', code: 'client.scope_invalid' });
  const usesCode = input.grantTypes.includes('authorization_code');
  if (usesCode && input.redirectUris.length === 0) problems.push({ field: 'redirectUris', code: 'client.redirect_required' });
  // Each refused URI of a field, named (the lines of many that are wrong, up to MAX_URIS_NAMED), so all are put right at once.
  for (const [field, uris] of [['redirectUris', input.redirectUris], ['postLogoutRedirectUris', input.postLogoutRedirectUris],
    ['backchannelLogoutUri', input.backchannelLogoutUri === null ? [] : [input.backchannelLogoutUri]]] as const) {
    const refused = uris.flatMap((value) => { const fault = redirectUriFault(value); return fault === undefined ? [] : [{ value, fault }]; });
    for (const uri of refused.slice(0, MAX_URIS_NAMED)) problems.push({ field, code: 'client.uri_invalid', uri });
  }
  // A public client (a mobile app) can keep no secret: it signs people in with code + PKCE, nothing else.
  if (!input.confidential && input.grantTypes.some((g) => g === 'client_credentials')) problems.push({ field: 'grantTypes', code: 'client.public_needs_code' });
  // A third-party app is one party: its redirect URIs on one host (OIDC Core §8.1's sector, as
  // upstream requires of a pairwise client; Kelid's own sector is its registration's).
  if (!input.firstParty && new Set(input.redirectUris.flatMap((uri) => (isRedirectUri(uri) ? [new URL(uri).host] : []))).size > 1) {
    problems.push({ field: 'redirectUris', code: 'client.pairwise_one_host' });
  }
  if (input.roles.some((role) => !knownRoles.includes(role))) problems.push({ field: 'roles', code: 'client.role_invalid' });
  return problems;
}
