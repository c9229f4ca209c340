// A running Kelid provider for OpenID tests: test apps registered, people with roles, and a
// sign-in through Kelid's own pages by a browser without JavaScript (cookie-browser.ts).
import * as oidc from 'openid-client';
import { addClient } from '../../src/federation/clients.ts';
import { clientSecretKey } from '../../src/federation/client-secrets.ts';
import type { ClientInput } from '../../src/domain/oidc-client.ts';
import { deriveKeys } from '../../src/secrets.ts';
import type { TestApp } from './app.ts';
import { cookieBrowser, formAction, type Page } from './cookie-browser.ts';

export const CALLBACK = 'http://127.0.0.1:4999/callback';
export const AFTER_LOGOUT = 'http://127.0.0.1:4999/';
export const isCallback = (location: string) => location.startsWith(CALLBACK) || location.startsWith(AFTER_LOGOUT);

export type TestClient = { id: string; secret: string | null };

/** Registers an app (code flow to CALLBACK by default) and answers its id and secret. */
export async function registerClient(t: Pick<TestApp, 'handle' | 'config'>, input: Partial<ClientInput> & { clientId: string }): Promise<TestClient> {
  const secret = input.confidential === false ? null : `${input.clientId}-secret-`.padEnd(40, 'z');
  const result = await addClient(t.handle.db, clientSecretKey(deriveKeys(t.config.secret!).federation), {
    name: input.clientId, firstParty: true, confidential: true, redirectUris: [CALLBACK], postLogoutRedirectUris: [AFTER_LOGOUT],
    grantTypes: ['authorization_code', 'refresh_token'], scopes: ['openid', 'profile', 'national_id', 'roles', 'offline_access'],
    accessTokenFormat: 'opaque', backchannelLogoutUri: null, roles: [], ...input, ...(secret === null ? {} : { secret }),
  }, ['student', 'teacher', 'staff', 'deputy', 'principal', 'father', 'mother', 'guardian', 'district_admin', 'province_admin', 'ministry_admin'],
  { actorAccountId: null, actingMembershipId: null, ip: null });
  if (!result.ok) throw new Error(`client ${input.clientId}: ${JSON.stringify(result)}`);
  return { id: input.clientId, secret };
}

export async function configFor(baseUrl: string, client: TestClient): Promise<oidc.Configuration> {
  const issuer = new URL(`${baseUrl}/oidc`);
  return client.secret === null
    ? oidc.discovery(issuer, client.id, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] })
    : oidc.discovery(issuer, client.id, client.secret, undefined, { execute: [oidc.allowInsecureRequests] });
}

export type Authorization = { url: URL; verifier: string; state: string; nonce: string };

export async function authorizationRequest(config: oidc.Configuration, parameters: Record<string, string> = {}): Promise<Authorization> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK, scope: 'openid profile national_id roles', state, nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...parameters,
  });
  return { url, verifier, state, nonce };
}

/** Follows an authorization request; signs in on Kelid's page when asked; stops at the app's callback. */
export async function authorize(browser: ReturnType<typeof cookieBrowser>, request: Authorization, person?: { identifier: string; password: string }): Promise<Page> {
  let page = await browser.go(request.url.href, { stopAt: isCallback });
  if (person && /\/sign-in/.test(page.url) && page.status === 200) {
    page = await browser.submit(page, formAction(page.body, /^\/sign-in/), person, isCallback);
  }
  return page;
}

export async function exchange(config: oidc.Configuration, page: Page, request: Authorization) {
  if (!isCallback(page.url)) throw new Error(`stopped at ${page.status} ${page.url} after ${page.hops.map((h) => `${h.status} ${h.url}`).join(' → ')}`);
  return oidc.authorizationCodeGrant(config, new URL(page.url), { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
}

export { cookieBrowser, formAction };
