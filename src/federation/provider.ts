/**
 * Kelid's OpenID provider (issue 10): upstream `oidc-provider`, configured here and only here
 * (STYLE.md: one seam). Its models live in PostgreSQL (adapter.ts), its clients are the
 * ministry's apps (clients.ts), its keys are Kelid's (keys.ts), its interactions are Kelid's
 * pages (policy.ts decides when, src/http/pages/interaction.ts draws them), and its claims are
 * Kelid's people (claims.ts).
 *
 * The provider is rebuilt when the key set changes (a rotation, a key that starts signing):
 * each process looks every KEY_REFRESH_SECONDS. Everything else lives in the database, so a
 * rebuilt provider, another process or another machine carries on any flow.
 */
import { createSecretKey } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { errors, type ClientMetadata, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Db, Listen } from '../db/database.ts';
import type { Role } from '../db/schema.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { hmacHex } from '../secrets.ts';
import { postgresAdapter } from './adapter.ts';
import { kelidAnswers, type ProviderViews } from './answers.ts';
import { onlyAsAdministrator, servingMemberships } from './acting.ts';
import { clientCache, type ClientCache } from './client-cache.ts';
import { accountClaims, CLAIMS_BY_SCOPE, claimsFrom, pairwiseSubject, readAccount, readFor } from './claims.ts';
import { KELID_CLIENT_METADATA, pairwiseSectorOf } from './clients.ts';
import { clientSecretChecker, clientSecretKey, hashClientSecret } from './client-secrets.ts';
import { ensureSigningKeys, KEY_REFRESH_SECONDS, loadKeySet, type KeySet } from './keys.ts';
import { CODE_ACR, kelidPolicy, MFA_ACR, PASSWORD_ACR, type SessionOf } from './policy.ts';
import { POSTED_PARAM } from './form-post.ts';
import { SILENT_PARAM } from './silent.ts';
import { locales } from '../i18n/catalogs.ts';

export { CODE_ACR, MFA_ACR, PASSWORD_ACR } from './policy.ts';
export type { ProviderViews } from './answers.ts';

export type FederationDeps = {
  db: Db;
  /** The database's notifications: with them, clients are kept in the process (client-cache.ts); without, read on every use. */
  listen?: Listen | undefined;
  /** `${KELID_PUBLIC_URL}/oidc` */
  issuer: string;
  publicUrl: string;
  /** keys.federation: cookie signatures, pairwise subjects, client secrets' HMACs. */
  key: Buffer;
  secretBox: Buffer;
  /** Cookies: the provider's session cookie's name (`__Host-` behind HTTPS: http/cookies.ts), and whether they are `Secure`. */
  sessionCookie: string;
  secureCookies: boolean;
  defaultLocale: string;
  today(): string;
  /** Seconds a Kelid session lives at most: the provider's session lives no longer. */
  sessionSeconds: number;
  sessionOf: SessionOf;
  /** KELID_ADMIN_MFA=required: acting as an administrator in an app needs the second factor too. */
  secondFactorRequired: boolean;
  views: ProviderViews;
  /** After an app's sign-out (RP-initiated logout) ended the provider's session: end Kelid's too. */
  onLogout(ctx: KoaContextWithOIDC): Promise<void>;
  /** Unexpected provider errors, for the log. */
  onError(error: unknown): void;
  /**
   * At every reload of the key set (KEY_REFRESH_SECONDS) that finds keys signing or waiting to
   * sign that KELID_SECRET cannot open (KeySet.unopened), their kids: an operator's incident.
   */
  onUnopenedKeys(kids: string[]): void;
  /** A token issued at the token endpoint, by its grant_type (upstream's `grant.success`): the operators' metrics. */
  onGrant?: ((grantType: string) => void) | undefined;
};

/** The key an app's JWT access tokens are for (their audience): its own API. */
export const appResource = (clientId: string) => `urn:kelid:app:${clientId}`;
export const scimResource = (publicUrl: string) => `${publicUrl}/scim/v2`;

const FIRST_PARTY = 'kelid_first_party';

const scopeSet = (scope: string) => new Set(scope.split(' ').filter(Boolean));

const pairwiseKeyOf = (key: Buffer) => createSecretKey(Buffer.from(hmacHex(key, 'pairwise'), 'hex'));

function configuration(deps: FederationDeps, keys: KeySet, clients: ClientCache): Configuration {
  const Adapter = postgresAdapter(deps.db, clients.find);
  const pairwiseKey = pairwiseKeyOf(deps.key);
  const requestedScopes = (ctx: KoaContextWithOIDC) => new Set(String(ctx.oidc.params?.scope ?? '').split(' ').filter(Boolean));
  return {
    adapter: Adapter,
    clients: [],
    findAccount: async (ctx, accountId, token) => {
      const claimsContext = { db: deps.db, today: deps.today(), defaultLocale: deps.defaultLocale };
      const grantId = (token as { grantId?: string } | undefined)?.grantId ?? ctx.oidc.grant?.jti;
      // A third-party app's subject is pairwise, so that apps cannot link a person across them:
      // the user code, one identifier everywhere, would undo that, and is left out (the consent page says so).
      const pairwise = ctx.oidc.client?.subjectType === 'pairwise';
      const forApp = <T extends Record<string, unknown>>(claims: T): T => {
        if (pairwise) delete claims.user_code;
        return claims;
      };
      const claimsOf = async (scope: string) => forApp({ sub: accountId, ...await accountClaims(claimsContext, accountId, scopeSet(scope), grantId) });
      if (!token) {
        // At /auth, no claims are given: the Kelid session of the browser (read for the
        // kelid_session check in any case; never found for a disabled account) vouches for the account.
        const kelid = await deps.sessionOf(ctx);
        if (kelid?.accountId === accountId) return { accountId, claims: async (_use, scope) => claimsOf(scope) };
      }
      // A code, refresh or access token: the account and the claims of the token's scopes in one
      // statement; the ID token's and userinfo's scopes are the token's or fewer.
      const source = await readAccount(claimsContext, accountId, scopeSet(String((token as { scope?: string } | undefined)?.scope ?? '')), grantId);
      if (!source) return undefined;
      // A refresh for an app that serves some roles only: the person must still hold one (an
      // appointment that ended, F26, ends the app's refreshes with invalid_grant, as a disabled
      // account does); held by administrators' appointments alone, with the second factor, when
      // one is required, in the token's sign-in (acting.ts decideRole: as a new sign-in would ask).
      const serves = (ctx.oidc.client?.kelid_roles as Role[] | undefined) ?? [];
      if ((token as { kind?: string } | undefined)?.kind === 'RefreshToken' && serves.length > 0) {
        const held = (source.row.memberships ?? await servingMemberships(deps.db, accountId, deps.today(), { roles: serves })).map((m) => m.role).filter((role) => serves.includes(role));
        if (held.length === 0) return undefined;
        if (deps.secondFactorRequired && onlyAsAdministrator(held) && (token as { acr?: string }).acr !== MFA_ACR) return undefined;
      }
      return {
        accountId,
        claims: async (_use, scope) => (readFor(source, scopeSet(scope)) ? forApp(claimsFrom(source, scopeSet(scope), deps.defaultLocale)) : claimsOf(scope)),
      };
    },
    claims: { ...CLAIMS_BY_SCOPE },
    scopes: ['openid', 'offline_access', 'profile', 'email', 'phone', 'national_id', 'roles', 'children', 'scim'],
    // The scopes' claims go into the ID token too: JWT-format apps read them there (their access token is for their API).
    conformIdTokenClaims: false,
    acrValues: [CODE_ACR, PASSWORD_ACR, MFA_ACR],
    subjectTypes: ['public', 'pairwise'],
    pairwiseIdentifier: async (_ctx, accountId, client) => pairwiseSubject(pairwiseKey, pairwiseSectorOf(client), accountId),
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    // S256 for public clients (RFC 9700); a confidential client may add it.
    pkce: { required: (_ctx, client) => client.clientAuthMethod === 'none' },
    enabledJWA: {
      idTokenSigningAlgValues: ['RS256', 'ES256'],
      userinfoSigningAlgValues: ['RS256', 'ES256'],
      introspectionSigningAlgValues: ['RS256', 'ES256'],
      authorizationSigningAlgValues: ['RS256', 'ES256'],
    },
    jwks: { keys: keys.keys as never },
    cookies: {
      keys: [hmacHex(deps.key, 'oidc cookies')],
      names: { session: deps.sessionCookie, interaction: 'kelid_oidc_interaction', resume: 'kelid_oidc_resume' },
      long: { httpOnly: true, sameSite: 'lax', secure: deps.secureCookies },
      short: { httpOnly: true, sameSite: 'lax', secure: deps.secureCookies },
    },
    ttl: {
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 3600,
      AuthorizationCode: 60,
      ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 600,
      IdToken: 3600,
      Interaction: 3600,
      Session: deps.sessionSeconds,
      Grant: 14 * 86_400,
      RefreshToken: 14 * 86_400,
    },
    // Every use of a refresh token gives a new one; a used one coming back revokes the whole grant (its family).
    rotateRefreshToken: true,
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') && (code.scopes.has('offline_access') || client[FIRST_PARTY] === true),
    extraClientMetadata: { properties: [...KELID_CLIENT_METADATA] },
    // First-party apps (the ministry's own) are granted what they ask within what they may ask: no consent page.
    loadExistingGrant: async (ctx) => {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      const existing = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
      if (client[FIRST_PARTY] !== true) return existing;
      const grant = existing && existing.accountId === session.accountId ? existing : new ctx.oidc.provider.Grant({ accountId: session.accountId, clientId: client.clientId });
      const granted = () => JSON.stringify([grant.openid, grant.resources]);
      const stored = grant === existing ? granted() : undefined;
      const allowed = new Set(String(client.scope ?? '').split(' '));
      grant.addOIDCScope([...requestedScopes(ctx)].filter((scope) => allowed.has(scope)).join(' '));
      for (const [indicator, server] of Object.entries(ctx.oidc.resourceServers ?? {})) {
        grant.addResourceScope(indicator, (server as { scope: string }).scope);
      }
      // Saved when new or widened: saving an unchanged grant keeps its expiry (upstream saves
      // what remains of its TTL), so it would only cost a statement on every authorization.
      if (granted() !== stored) await grant.save();
      return grant;
    },
    interactions: { url: async (_ctx, interaction) => `/interaction/${interaction.uid}`, policy: kelidPolicy(deps.db, deps.sessionOf, { today: deps.today, secondFactorRequired: deps.secondFactorRequired }) },
    extraParams: [SILENT_PARAM, POSTED_PARAM],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: {
        enabled: true,
        // An app may introspect its own tokens, no one else's (a token of one app at another's introspection is inactive).
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => { ctx.type = 'html'; ctx.body = deps.views.logoutConfirm(ctx, form); },
        postLogoutSuccessSource: async (ctx) => { ctx.type = 'html'; ctx.body = deps.views.loggedOut(ctx, { stillSignedIn: (await deps.sessionOf(ctx)) !== undefined }); },
      },
      resourceIndicators: {
        enabled: true,
        // An app that asked for JWT access tokens gets them for its own API by default; a
        // school information system with the `scim` scope gets one for Kelid's SCIM API.
        defaultResource: async (ctx, client, oneOf) => {
          if (oneOf) return oneOf;
          if (client.kelid_access_token_format === 'jwt') return appResource(client.clientId);
          if (ctx.oidc.route === 'token' && String(client.scope ?? '').split(' ').includes('scim') && client.grantTypeAllowed('client_credentials')) return scimResource(deps.publicUrl);
          return undefined as unknown as string;
        },
        useGrantedResource: async (ctx) => ctx.oidc.client?.kelid_access_token_format === 'jwt',
        getResourceServerInfo: async (_ctx, indicator, client) => {
          if (indicator === appResource(client.clientId) && client.kelid_access_token_format === 'jwt') {
            const scope = String(client.scope ?? '').split(' ').filter((s) => s !== 'openid' && s !== 'offline_access' && s !== 'scim').join(' ');
            return { scope, audience: indicator, accessTokenTTL: 3600, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES256' } } };
          }
          if (indicator === scimResource(deps.publicUrl) && String(client.scope ?? '').split(' ').includes('scim')) {
            return { scope: 'scim', audience: indicator, accessTokenTTL: 600, accessTokenFormat: 'opaque' };
          }
          throw new errors.InvalidTarget();
        },
      },
    },
    // Back-channel logout calls the apps' own servers, which sit on the ministry's network (and on
    // localhost in the demo). Upstream refuses private and loopback addresses to stop server-side
    // request forgery through URIs that anyone registers dynamically; here only an administrator
    // registers them (no dynamic registration), so they are reached as registered, with upstream's timeout.
    fetch: (url, options) => {
      const { dispatcher: _privateAddressesRefused, ...rest } = options as RequestInit & { dispatcher?: unknown };
      return globalThis.fetch(url, rest);
    },
    discovery: { ui_locales_supported: [...locales], claims_locales_supported: [...locales] },
    renderError: async (ctx, out) => { ctx.type = 'html'; ctx.body = deps.views.error(ctx, out as { error: string; error_description?: string }); },
  };
}

function build(deps: FederationDeps, keys: KeySet, clients: ClientCache): Provider {
  const provider = new Provider(deps.issuer, configuration(deps, keys, clients));
  // The seam (http/oidc.ts) hands over the public host and scheme it trusts: koa may read them.
  provider.proxy = true;
  // Client secrets are stored as HMACs (clients.ts): compare the HMAC of the presented secret
  // (or, once a secret matched, the secret itself in constant time: clientSecretChecker).
  // Upstream compares `client.clientSecret` with what was presented; this keeps its flow and
  // changes only what is compared (tested: a right secret authenticates, a wrong or old one does not).
  const secretMatches = clientSecretChecker(createSecretKey(clientSecretKey(deps.key)));
  provider.Client.prototype.compareClientSecret = async function compare(this: { clientSecret?: string }, presented: string) {
    return this.clientSecret !== undefined && secretMatches(this.clientSecret, presented);
  };
  // A database that cannot serve for now (a failover) is no bug: answered 503 below, not reported.
  const unavailable = new WeakSet<object>();
  provider.on('server_error', (ctx, error) => {
    if (isDatabaseUnavailable(error)) unavailable.add(ctx);
    else deps.onError(error);
  });
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => deps.onGrant?.(String(ctx.oidc.params?.grant_type ?? '')));
  provider.use(kelidAnswers(deps, unavailable));
  return provider;
}

export type Federation = {
  /** The provider as it is now (rebuilt after a key change). */
  provider(): Promise<Provider>;
  /** The name of the provider's session cookie (FederationDeps.sessionCookie). */
  sessionCookie: string;
  /** Hands a request for /oidc/… to the provider (`req.url` without the prefix, `originalUrl` with it). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /**
   * The `sub` an app knows an account by (OIDC Core 8): the account's id for the ministry's own
   * apps, the pairwise one (the provider's pairwiseIdentifier) for a third-party app; undefined
   * for an unknown app.
   */
  subjectOf(clientId: string, accountId: string): Promise<string | undefined>;
  /** Stops listening for client changes (the app closes). */
  close(): Promise<void>;
};

/** Makes the first keys if there are none, builds the provider, and keeps it current with the key set. */
export async function createFederation(deps: FederationDeps, now: () => Date): Promise<Federation> {
  await ensureSigningKeys(deps.db, deps.secretBox, now());
  let keys = await loadKeySet(deps.db, deps.secretBox, now());
  const clients = await clientCache(deps.db, deps.listen);
  let current = build(deps, keys, clients);
  let handler = current.callback();
  const pairwiseKey = pairwiseKeyOf(deps.key);
  let checkedAt = now().getTime();
  let refreshing: Promise<void> | undefined;
  const refresh = async () => {
    const next = await loadKeySet(deps.db, deps.secretBox, now());
    if (next.unopened.length > 0) deps.onUnopenedKeys(next.unopened);
    if (next.version !== keys.version) {
      keys = next;
      current = build(deps, keys, clients);
      handler = current.callback();
    }
    checkedAt = now().getTime();
  };
  const provider = async () => {
    if (now().getTime() - checkedAt >= KEY_REFRESH_SECONDS * 1000) {
      refreshing ??= refresh().finally(() => { refreshing = undefined; });
      await refreshing;
    }
    return current;
  };
  return {
    provider,
    sessionCookie: deps.sessionCookie,
    async handle(req, res) {
      await provider();
      await handler(req, res);
    },
    async subjectOf(clientId, accountId) {
      const client = await (await provider()).Client.find(clientId);
      if (!client) return undefined;
      return client.subjectType === 'pairwise' ? pairwiseSubject(pairwiseKey, pairwiseSectorOf(client), accountId) : accountId;
    },
    close: () => clients.stop(),
  };
}

/** For `kelid clients add`: the HMAC stored for a secret, with the same key the provider uses. */
export const storedSecretFor = (key: Buffer, secret: string) => hashClientSecret(clientSecretKey(key), secret);
export type { ClientMetadata };
