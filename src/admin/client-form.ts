/**
 * Registering an app (issue 10 §4) from the console's form or the admin API: what was sent,
 * read into a draft whose lists are still plain strings, then checked into a ClientInput with
 * every problem by field, all at once (checkClient's rules and the lists' known values). The
 * form's and the API's fields have the names of ClientInput, so an error names the same field
 * in both. Pure: no I/O.
 */
import { locales, type Locale } from '../config.ts';
import { API_SCOPES, checkClient, CLIENT_ROLES, shownUri, GRANT_TYPES, OIDC_SCOPES, type ClientInput, type ClientNames, type ClientProblem, type ClientScope, type GrantType } from '../domain/oidc-client.ts';
import { clip, textProblem } from '../domain/text.ts';
import type { Translate } from '../i18n/catalogs.ts';

export type ClientField = keyof ClientInput;
export type ClientFieldProblem = { field: ClientField; uri?: ClientProblem['uri']; code: ClientProblem['code'] | 'client.exists' | 'error.field_invalid' | 'error.field_too_long' | 'error.text_malformed' };

/**
 * The words' parameters of a problem, for `t(problem.code, …)`: a refused URI is named (as
 * shownUri has it: its first 120 characters, anything unseen as U+FFFD; isolated (FSI … PDI, as the
 * translator isolates a parameter) so that its slashes and dots keep their places in a
 * right-to-left sentence) with the rule it broke, in the reader's language.
 */
export function clientProblemParams(t: Translate, problem: Pick<ClientFieldProblem, 'uri'>): Record<string, string> | undefined {
  if (problem.uri === undefined) return undefined;
  return { uri: `\u2068${shownUri(problem.uri.value)}\u2069`, rule: t(`client.uri_rule_${problem.uri.fault}`) };
}

/** A registration as sent: the lists not yet known to hold grant types, scopes and roles. */
export type ClientDraft = Omit<ClientInput, 'grantTypes' | 'scopes' | 'roles'> & { grantTypes: string[]; scopes: string[]; roles: string[] };

/** The two ways of using Kelid an app may be given, as the form offers them. */
export const GRANT_CHOICES = {
  code: ['authorization_code', 'refresh_token'],
  client_credentials: ['client_credentials'],
} as const satisfies Record<string, readonly GrantType[]>;
export type GrantChoice = keyof typeof GRANT_CHOICES;

/** The scopes the form offers: the OpenID ones, then Kelid's APIs (for client-credentials apps). */
export const FORM_SCOPES: readonly ClientScope[] = [...OIDC_SCOPES, ...API_SCOPES];

const known = <T extends string>(list: readonly T[]) => (value: string): value is T => (list as readonly string[]).includes(value);

/** The draft as a ClientInput, or every problem with it (the first of each field only once). */
export function checkDraft(draft: ClientDraft): { ok: true; input: ClientInput } | { ok: false; problems: ClientFieldProblem[] } {
  const problems: ClientFieldProblem[] = [];
  const grantTypes = draft.grantTypes.filter(known(GRANT_TYPES));
  if (grantTypes.length !== draft.grantTypes.length) problems.push({ field: 'grantTypes', code: 'client.grant_invalid' });
  const scopes = draft.scopes.filter(known(FORM_SCOPES));
  if (scopes.length !== draft.scopes.length) problems.push({ field: 'scopes', code: 'client.scope_invalid' });
  const roles = draft.roles.filter(known(CLIENT_ROLES));
  if (roles.length !== draft.roles.length) problems.push({ field: 'roles', code: 'client.role_invalid' });
  const input: ClientInput = { ...draft, grantTypes: [...new Set(grantTypes)], scopes: [...new Set(scopes)], roles: [...new Set(roles)] };
  for (const problem of checkClient(input, CLIENT_ROLES)) {
    if (!problems.some((p) => p.field === problem.field && p.code === problem.code && p.uri?.value === problem.uri?.value)) problems.push(problem);
  }
  return problems.length === 0 ? { ok: true, input } : { ok: false, problems };
}

/** The form's values, as typed: drawn again beside the problems. */
export type ClientFormValues = {
  /** `names`: the name in each language, posted as `names.fa`, `names.he`…; empty: the name above. */
  clientId: string; name: string; names: Record<Locale, string>; firstParty: 'yes' | 'no'; confidential: 'yes' | 'no'; grantTypes: GrantChoice;
  scopes: string[]; roles: string[]; redirectUris: string; postLogoutRedirectUris: string; backchannelLogoutUri: string; accessTokenFormat: 'opaque' | 'jwt';
};

const noNames = () => Object.fromEntries(locales.map((locale) => [locale, ''])) as Record<Locale, string>;

export const emptyClientForm: ClientFormValues = {
  clientId: '', name: '', names: noNames(), firstParty: 'yes', confidential: 'yes', grantTypes: 'code', scopes: ['openid', 'profile', 'roles'], roles: [],
  redirectUris: '', postLogoutRedirectUris: '', backchannelLogoutUri: '', accessTokenFormat: 'opaque',
};

/** A registration as the form draws it, for an edit (the fields ClientInput and the store's rows share). */
export function clientFormValuesOf(client: Pick<ClientInput, 'clientId' | 'name' | 'names' | 'firstParty' | 'confidential' | 'redirectUris' | 'postLogoutRedirectUris' | 'backchannelLogoutUri' | 'accessTokenFormat'>
  & { grantTypes: readonly string[]; scopes: readonly string[]; roles: readonly string[] }): ClientFormValues {
  return {
    clientId: client.clientId, name: client.name, names: { ...noNames(), ...client.names }, firstParty: client.firstParty ? 'yes' : 'no', confidential: client.confidential ? 'yes' : 'no',
    grantTypes: client.grantTypes.includes('client_credentials') ? 'client_credentials' : 'code', scopes: [...client.scopes], roles: [...client.roles],
    redirectUris: client.redirectUris.join('\n'), postLogoutRedirectUris: client.postLogoutRedirectUris.join('\n'),
    backchannelLogoutUri: client.backchannelLogoutUri ?? '', accessTokenFormat: client.accessTokenFormat,
  };
}

/** What an edit may change of a registration (federation/clients.ts ClientChanges), from a checked input. */
export const changesOf = (input: ClientInput) => ({
  name: input.name, names: input.names ?? {}, redirectUris: input.redirectUris, postLogoutRedirectUris: input.postLogoutRedirectUris, scopes: input.scopes,
  accessTokenFormat: input.accessTokenFormat, backchannelLogoutUri: input.backchannelLogoutUri, roles: input.roles,
  ...(input.idTokenAlg === undefined ? {} : { idTokenAlg: input.idTokenAlg }),
});

// Longer than any valid value, so what is cut off was wrong anyway; the page keeps the start.
const MAX_LENGTH = { clientId: 100, name: 400, redirectUris: 8000, postLogoutRedirectUris: 8000, backchannelLogoutUri: 2000 } as const;
const MAX_URIS = 20;
const MAX_TICKED = 40;
const texts = ['clientId', 'name', 'redirectUris', 'postLogoutRedirectUris', 'backchannelLogoutUri'] as const;
const choices = { firstParty: ['yes', 'no'], confidential: ['yes', 'no'], grantTypes: ['code', 'client_credentials'], accessTokenFormat: ['opaque', 'jwt'] } as const;

/** One URI a line; blank lines and the spaces around a URI do not count. */
export const uriLines = (text: string) => [...new Set(text.split(/\r\n|\r|\n/).map((line) => line.trim()).filter((line) => line !== ''))];

/**
 * Reads a posted form body. A field sent twice, or a list of more boxes than there are, is no
 * form of ours: `{ invalid }` names it (a 400). Anything else comes back as values to draw again,
 * with the problems of the form itself (too long, text that is not well-formed or has a NUL, a
 * choice it does not offer): the route checks its own text (`ownTextCheck`).
 */
export function readClientForm(body: unknown): { invalid: ClientField } | { values: ClientFormValues; problems: ClientFieldProblem[] } {
  const source = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const problems: ClientFieldProblem[] = [];
  const values: ClientFormValues = { ...emptyClientForm, names: noNames(), scopes: [], roles: [] };
  // A text field as typed, cut to its most; its first problem noted under `field`.
  const text = (value: string, max: number, field: ClientField): string => {
    const malformed = textProblem(value);
    if (!problems.some((p) => p.field === field)) {
      if (value.length > max) problems.push({ field, code: 'error.field_too_long' });
      else if (malformed) problems.push({ field, code: malformed === 'text.nul' ? 'error.field_invalid' : 'error.text_malformed' });
    }
    return value.slice(0, max).toWellFormed().replaceAll('\0', '');
  };
  // The name in each language: as the name is read, a problem named `names`.
  for (const locale of locales) {
    const value = source[`names.${locale}`] ?? '';
    if (typeof value !== 'string') return { invalid: 'names' };
    values.names[locale] = text(value, MAX_LENGTH.name, 'names');
  }
  for (const name of texts) {
    const value = source[name] ?? '';
    if (typeof value !== 'string') return { invalid: name };
    values[name] = text(value, MAX_LENGTH[name], name);
  }
  for (const name of ['redirectUris', 'postLogoutRedirectUris'] as const) {
    if (uriLines(values[name]).length > MAX_URIS && !problems.some((p) => p.field === name)) problems.push({ field: name, code: 'error.field_too_long' });
  }
  // The radio buttons: one of the offered values, else the default is drawn with the problem beside it.
  for (const name of Object.keys(choices) as (keyof typeof choices)[]) {
    const value = source[name];
    if (value !== undefined && typeof value !== 'string') return { invalid: name };
    const offered = (choices[name] as readonly string[]).includes(value ?? '');
    if (offered) Object.assign(values, { [name]: value });
    // An unticked JWT box sends nothing: that is the opaque choice, not a problem.
    else if (!(name === 'accessTokenFormat' && value === undefined)) problems.push({ field: name, code: 'error.field_invalid' });
  }
  for (const name of ['scopes', 'roles'] as const) {
    const ticked = [source[name] ?? []].flat();
    if (ticked.length > MAX_TICKED || ticked.some((item) => typeof item !== 'string')) return { invalid: name };
    values[name] = (ticked as string[]).map((item) => clip(item, 40));
  }
  return { values, problems };
}

/** The form's values as a draft (URIs one a line, the grant choice as its grant types). */
export function draftOf(values: ClientFormValues): ClientDraft {
  const backchannel = values.backchannelLogoutUri.trim();
  return {
    clientId: values.clientId.trim(), name: values.name, names: values.names as ClientNames, firstParty: values.firstParty === 'yes', confidential: values.confidential === 'yes',
    grantTypes: [...GRANT_CHOICES[values.grantTypes]], scopes: values.scopes, roles: values.roles,
    redirectUris: uriLines(values.redirectUris), postLogoutRedirectUris: uriLines(values.postLogoutRedirectUris),
    backchannelLogoutUri: backchannel === '' ? null : backchannel, accessTokenFormat: values.accessTokenFormat,
  };
}
