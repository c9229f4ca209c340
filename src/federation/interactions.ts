/**
 * What Kelid's interaction pages (src/http/pages/interaction.ts) need from the provider: the
 * details of an interaction, and its results: a sign-in (from the Kelid session of the
 * browser), a consent (third-party apps), the role chosen, or a refusal. Wraps upstream's
 * documented helpers (`interactionDetails`, `interactionResult`, `Grant`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InteractionResults } from 'oidc-provider';
import type { Locale } from '../config.ts';
import type { Role } from '../db/schema.ts';
import { appNameIn, type ClientNames } from '../domain/oidc-client.ts';
import { MFA_ACR, passwordAsked, type KelidSession } from './policy.ts';
import type { Federation } from './provider.ts';
import { POSTED_PARAM } from './form-post.ts';
import { SILENT_PARAM } from './silent.ts';

export type AppInfo = { clientId: string; name: string; firstParty: boolean; roles: Role[] };

export type InteractionView = {
  uid: string;
  /** login, consent or kelid_role; with the reasons the provider asked. */
  prompt: { name: string; reasons: string[] };
  app: AppInfo;
  /** The scopes the app asked for. */
  scopes: string[];
  /** When the interaction began (epoch seconds): a sign-in asked again (prompt=login, max_age) must be newer. */
  startedAt: number;
  grantId: string | undefined;
  /** The account the provider's session already has, if any. */
  accountId: string | undefined;
  uiLocales: string[];
  /** A second factor was asked for (acr_values). */
  mfaAsked: boolean;
  /** The app asked for a password's acr or more: a sign-in by code is not enough. */
  passwordAsked: boolean;
  /** The authorization request's parameters, as the app sent them (to make it again for another account). */
  authorization: Record<string, string>;
  /** At consent: the scopes of resource servers (an app's own API, for JWT access tokens) not yet granted, by resource indicator. */
  missingResourceScopes: Record<string, string[]>;
  /** The `sub` of the ID token the app sent as id_token_hint (the person it expects), which the provider verified at /auth. */
  hintSubject: string | undefined;
  /** The app asked for no page (`prompt=none`, silent.ts): where one would be shown, it hears why instead. */
  silent: boolean;
  /** The identifier the app hinted at (OIDC Core 3.1.2.1 `login_hint`), as sent. */
  loginHint: string | undefined;
  /** The app's `max_age` (seconds), when it sent one: a sign-in older than that is asked again. */
  maxAge: number | undefined;
};

type Raw = { req: IncomingMessage; res: ServerResponse };

/** An app's name for a person reading `locale`, from the provider's client (its `kelid_names`: clients.ts). */
const nameOf = (client: { clientId: string; clientName?: unknown; kelid_names?: unknown }, locale: Locale): string =>
  appNameIn({ name: String(client.clientName ?? client.clientId), names: (client.kelid_names ?? {}) as ClientNames }, locale);

/**
 * The interaction of this browser (its cookie) with this uid, or undefined when there is none or
 * it ran out; the app named as a person reading `locale` calls it (appNameIn).
 */
export async function interactionOf(federation: Federation, raw: Raw, uid: string, locale: Locale): Promise<InteractionView | undefined> {
  const provider = await federation.provider();
  let details;
  try {
    details = await provider.interactionDetails(raw.req, raw.res);
  } catch {
    return undefined; // SessionNotFound: no interaction cookie, another browser's, or expired
  }
  if (details.uid !== uid) return undefined;
  const clientId = String(details.params.client_id ?? '');
  const client = await provider.Client.find(clientId);
  if (!client) return undefined;
  return {
    uid: details.uid,
    prompt: { name: details.prompt.name, reasons: details.prompt.reasons },
    app: {
      clientId, name: nameOf(client, locale), firstParty: client.kelid_first_party === true,
      roles: (client.kelid_roles as Role[] | undefined) ?? [],
    },
    scopes: String(details.params.scope ?? '').split(' ').filter(Boolean),
    startedAt: details.iat,
    grantId: details.grantId,
    accountId: details.session?.accountId,
    uiLocales: String(details.params.ui_locales ?? '').split(' ').filter(Boolean),
    mfaAsked: String(details.params.acr_values ?? '').split(' ').includes(MFA_ACR),
    passwordAsked: passwordAsked(details.params.acr_values),
    authorization: Object.fromEntries(Object.entries(details.params).filter((entry): entry is [string, string] => typeof entry[1] === 'string')),
    missingResourceScopes: (details.prompt.details['missingResourceScopes'] as Record<string, string[]> | undefined) ?? {},
    hintSubject: hintSubjectOf(details.params.id_token_hint),
    silent: details.params[SILENT_PARAM] === '1',
    // Not from a posted request (federation/form-post.ts POSTED_PARAM): the app kept it out of addresses.
    loginHint: typeof details.params.login_hint === 'string' && details.params[POSTED_PARAM] !== '1' ? details.params.login_hint : undefined,
    maxAge: /^\d{1,10}$/.test(String(details.params.max_age ?? '')) ? Number(details.params.max_age) : undefined,
  };
}

/**
 * The `sub` of an id_token_hint, a JWS in compact form (RFC 7515 §7.1: its payload is the second
 * base64url part) that the provider already verified at /auth (signature, issuer, audience), so
 * it is only read here; undefined when there is none.
 */
function hintSubjectOf(hint: unknown): string | undefined {
  if (typeof hint !== 'string' || hint === '') return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(hint.split('.')[1] ?? '', 'base64url').toString('utf8'));
    const sub = typeof payload === 'object' && payload !== null ? (payload as { sub?: unknown }).sub : undefined;
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the person the app expects (id_token_hint) is `accountId`, as the app knows people
 * (a third-party app by its pairwise sub); true when it named no one.
 */
export async function hintedPerson(federation: Federation, view: InteractionView, accountId: string): Promise<boolean> {
  return view.hintSubject === undefined || view.hintSubject === await federation.subjectOf(view.app.clientId, accountId);
}

/**
 * The name of the app a sign-in is for, from where the sign-in returns: an interaction of the
 * provider (`/interaction/{uid}`, looked up by its uid: the interaction cookie is scoped to that
 * path) or an authorization request (`/oidc/auth?client_id=…`). Undefined for anything else, an
 * interaction that ran out, or an unknown app. Only the app's public name comes out of it, as a
 * person reading `locale` calls it (anyone may hold a uid: nothing of the request's person,
 * such as its login_hint).
 */
export async function appNameFor(federation: Federation, returnTo: string | undefined, locale: Locale): Promise<string | undefined> {
  if (returnTo === undefined) return undefined;
  const url = new URL(returnTo, 'http://kelid.invalid');
  const uid = /^\/interaction\/([A-Za-z0-9_-]{1,64})(?:\/|$)/.exec(url.pathname)?.[1];
  if (uid === undefined && url.pathname !== '/oidc/auth') return undefined;
  const provider = await federation.provider();
  try {
    const clientId = uid === undefined ? url.searchParams.get('client_id') : (await provider.Interaction.find(uid))?.params.client_id;
    if (typeof clientId !== 'string' || clientId === '') return undefined;
    const client = await provider.Client.find(clientId);
    return client ? nameOf(client, locale) : undefined;
  } catch {
    return undefined; // a malformed client_id or interaction: no name, the page still works
  }
}

/** Finishes the interaction; answers where the browser goes next (back to the provider). */
export async function finish(federation: Federation, raw: Raw, result: InteractionResults): Promise<string> {
  const provider = await federation.provider();
  return provider.interactionResult(raw.req, raw.res, result, { mergeWithLastSubmission: true });
}

/** The provider's sign-in result from a Kelid session: who, when, how (acr, amr). */
export function loginResult(session: Omit<KelidSession, 'pending' | 'mustChange'>): InteractionResults {
  return { login: { accountId: session.accountId, ts: session.authTime, acr: session.acr, amr: session.amr, remember: true } };
}

export { secondFactorPassed } from './policy.ts';

/** A third-party app's consent: a grant of the scopes it asked for, within what it may ask. */
export async function grantConsent(federation: Federation, view: InteractionView, accountId: string): Promise<string> {
  const provider = await federation.provider();
  const client = await provider.Client.find(view.app.clientId);
  const allowed = new Set(String(client?.scope ?? '').split(' '));
  const grant = view.grantId ? await provider.Grant.find(view.grantId) : undefined;
  const target = grant ?? new provider.Grant({ accountId, clientId: view.app.clientId });
  target.addOIDCScope(view.scopes.filter((scope) => allowed.has(scope)).join(' '));
  // The app's API too (a JWT access token's audience): else the provider finds it missing and asks again, forever.
  for (const [indicator, scopes] of Object.entries(view.missingResourceScopes)) target.addResourceScope(indicator, scopes.join(' '));
  return target.save();
}

export { recordActing, servingMemberships } from './acting.ts';

export { endProviderSession, followSignIn } from './logout.ts';
