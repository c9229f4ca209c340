// The reference for `npm run bench -- oidc`: bare upstream oidc-provider in its own process,
// nothing of Kelid. Its in-memory adapter (upstream's MemoryAdapter on upstream's LRU store,
// as the default, but sized for a benchmark: the default store keeps 1,000 entries, so under
// load it evicts sessions, grants and refresh tokens within a second and refreshes fail as
// "not found"). The features Kelid enables for the measured
// grants: client credentials, refresh tokens rotated on every use, opaque tokens, PKCE, RS256
// ID tokens (a 2048-bit RSA key, as Kelid's), static clients with secrets, and a findAccount
// answering a few constant claims. Sessions come from upstream's devInteractions (the login
// form takes any account id); loadExistingGrant grants what the client asks, as Kelid does for
// the ministry's own apps, so a signed-in browser goes from /auth straight to the callback.
//
//   PORT=4000 BENCH_CLIENTS='[{"client_id":…}]' node bench/oidc-reference.ts
import { generateKeyPairSync } from 'node:crypto';
import Provider, { type ClientMetadata, type KoaContextWithOIDC } from 'oidc-provider';

const port = Number(process.env.PORT ?? 4000);
const issuer = `http://127.0.0.1:${port}`;
const clients = JSON.parse(process.env.BENCH_CLIENTS ?? '[]') as ClientMetadata[];

// Upstream's own classes, which its package does not export: imported by file, beside its entry point.
const upstream = import.meta.resolve('oidc-provider');
const { default: MemoryAdapter } = await import(new URL('./adapters/memory_adapter.js', upstream).href) as { default: new (model: string, store: unknown, clockTolerance: number) => object };
const { default: LRU } = await import(new URL('./helpers/lru.js', upstream).href) as { default: new (options: { maxSize: number }) => unknown };
const store = new LRU({ maxSize: 10_000_000 });

const privateJwk = (type: 'rsa' | 'ec') => {
  const { privateKey } = type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: type === 'rsa' ? 'RS256' : 'ES256', kid: `${type}-1` };
};

const provider = new Provider(issuer, {
  adapter: (model: string) => new MemoryAdapter(model, store, 0) as never,
  clients,
  findAccount: async (_ctx, accountId) => ({
    accountId,
    claims: async () => ({ sub: accountId, given_name: 'آزمون', family_name: 'بار', name: 'آزمون بار', locale: 'fa', user_code: 'B0000001' }),
  }),
  claims: { openid: ['sub', 'acr', 'amr', 'auth_time', 'sid'], profile: ['given_name', 'family_name', 'name', 'locale', 'user_code'] },
  scopes: ['openid', 'offline_access', 'profile'],
  conformIdTokenClaims: false,
  responseTypes: ['code'],
  clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
  jwks: { keys: [privateJwk('rsa'), privateJwk('ec')] as never },
  cookies: { keys: ['reference-cookie-key-'.padEnd(43, 'x')] },
  ttl: { AccessToken: 3600, AuthorizationCode: 60, ClientCredentials: 600, IdToken: 3600, Interaction: 3600, Session: 12 * 3600, Grant: 14 * 86_400, RefreshToken: 14 * 86_400 },
  rotateRefreshToken: true,
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
    const { client, session } = ctx.oidc;
    if (!client || !session?.accountId) return undefined;
    const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
    const existing = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
    const grant = existing && existing.accountId === session.accountId ? existing : new ctx.oidc.provider.Grant({ accountId: session.accountId, clientId: client.clientId });
    const allowed = new Set(String(client.scope ?? '').split(' '));
    grant.addOIDCScope(String(ctx.oidc.params?.scope ?? '').split(' ').filter((scope) => allowed.has(scope)).join(' '));
    await grant.save();
    return grant;
  },
  features: {
    devInteractions: { enabled: true },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    userinfo: { enabled: true },
  },
});
provider.proxy = true;
provider.on('server_error', (_ctx, error) => console.error('reference server_error', error));
if (process.env.BENCH_DEBUG) provider.on('grant.error', (_ctx, error) => console.error('reference grant.error', error));

provider.listen(port, '127.0.0.1');
