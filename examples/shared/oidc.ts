/**
 * The one place that speaks OpenID Connect to Kelid, through openid-client 6: discovery,
 * the authorization code flow with PKCE (S256), state and nonce, the userinfo call,
 * RP-initiated logout, and (with jose, over the keys discovery names) back-channel logout
 * tokens. The apps see only this small interface, so a test can put a fake in its place and
 * the library can change without touching them.
 */
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import * as client from 'openid-client';
import { personFromClaims, type Person } from './claims.ts';
import type { Locale } from './locale.ts';
import { LogoutTokenError, SeenTokens, verifyLogoutToken as checkLogoutToken, type LogoutNotice } from './logout-token.ts';

/** What the app keeps in the browser's session between sending it to Kelid and its return. */
export type PendingSignIn = {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** A path of this app to go back to after signing in. */
  returnTo: string;
  startedAt: number;
};

/**
 * `sid`: Kelid's session id for this app, from the ID token; a back-channel logout names it
 * (Kelid registers the demo apps with backchannel_logout_session_required).
 */
export type SignedIn = { person: Person; sid: string | null };

/**
 * refused: Kelid answered `access_denied` (the person lacks the app's roles, or said no);
 * failed: anything else about the answer (an expired or forged state, a bad token);
 * unavailable: Kelid could not be reached.
 */
export type SignInFailure = 'refused' | 'failed' | 'unavailable';

export class SignInError extends Error {
  readonly reason: SignInFailure;
  constructor(reason: SignInFailure, message: string, options?: ErrorOptions) {
    super(message, options);
    this.reason = reason;
  }
}

export type Kelid = {
  signInUrl(pending: PendingSignIn, options: { locale: Locale; forceLogin: boolean }): Promise<URL>;
  /** Checks state, nonce and the code verifier, then reads the claims; throws SignInError. */
  finishSignIn(callbackUrl: URL, pending: PendingSignIn): Promise<SignedIn>;
  /**
   * Kelid's end-session address (RP-initiated logout), with the ID token as hint when there
   * is one; null when Kelid has no such endpoint or cannot be reached.
   */
  /**
   * Kelid's end-session address for this app (RP-Initiated Logout 1.0 §2: `client_id` and the
   * registered `post_logout_redirect_uri`), with no `id_token_hint`: the ID token holds the
   * person's name and national ID, and this address ends up in the browser's history.
   */
  signOutUrl(locale: Locale): Promise<URL | null>;
  /** Whom a back-channel logout token signs out; throws LogoutTokenError when it must be refused. */
  verifyLogoutToken(token: string): Promise<LogoutNotice>;
};

export type KelidOptions = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  scope: string;
};

export function newPendingSignIn(returnTo: string, now: Date): PendingSignIn {
  return {
    state: client.randomState(),
    nonce: client.randomNonce(),
    codeVerifier: client.randomPKCECodeVerifier(),
    returnTo,
    startedAt: now.getTime(),
  };
}

export function kelidClient(options: KelidOptions): Kelid {
  // Discovered on first use, not at start-up, so an app may start before Kelid does (npm run
  // demo starts them together); a failed discovery is forgotten and tried again next time.
  let discovered: Promise<client.Configuration> | null = null;
  const configuration = () => {
    discovered ??= client.discovery(
      new URL(options.issuer), options.clientId, undefined, client.ClientSecretBasic(options.clientSecret),
      // Plain HTTP only for a Kelid on http:// (the local demo); openid-client refuses it otherwise.
      { timeout: 10, ...(options.issuer.startsWith('http:') ? { execute: [client.allowInsecureRequests] } : {}) },
    ).catch((error: unknown) => {
      discovered = null;
      throw new SignInError('unavailable', `discovery at ${options.issuer} failed`, { cause: error });
    });
    return discovered;
  };
  // Kelid's published keys, fetched when a token names a key not yet seen (a rotation) and cached.
  let keys: JWTVerifyGetKey | null = null;
  const seen = new SeenTokens();

  return {
    async signInUrl(pending, { locale, forceLogin }) {
      const config = await configuration();
      return client.buildAuthorizationUrl(config, {
        redirect_uri: options.redirectUri,
        scope: options.scope,
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
        // Kelid shows its pages in the language this app is showing.
        ui_locales: locale,
        // "Sign in with another account": Kelid asks for credentials even when it has a session.
        ...(forceLogin ? { prompt: 'login' } : {}),
      });
    },

    async finishSignIn(callbackUrl, pending) {
      const config = await configuration();
      let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
      try {
        tokens = await client.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        // openid-client checks the state before it looks at an error, so a refusal reaches
        // here only for the sign-in this browser started.
        if (error instanceof client.AuthorizationResponseError && error.error === 'access_denied') {
          throw new SignInError('refused', error.error_description ?? 'access_denied', { cause: error });
        }
        throw failure(error);
      }
      const idClaims = tokens.claims();
      if (!idClaims || !tokens.id_token) throw new SignInError('failed', 'no ID token');
      try {
        // Kelid may put the scopes' claims in userinfo only (as oidc-provider does for the
        // code flow); the subject must be the ID token's.
        const userinfo = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
        return {
          person: personFromClaims({ ...idClaims, ...userinfo }),
          sid: typeof idClaims['sid'] === 'string' ? idClaims['sid'] : null,
        };
      } catch (error) {
        throw failure(error);
      }
    },

    async signOutUrl(locale) {
      const config = await configuration().catch(() => null);
      if (!config?.serverMetadata().end_session_endpoint) return null;
      return client.buildEndSessionUrl(config, {
        post_logout_redirect_uri: options.postLogoutRedirectUri,
        client_id: options.clientId,
        ui_locales: locale,
      });
    },

    async verifyLogoutToken(token) {
      let config: client.Configuration;
      try {
        config = await configuration();
      } catch (error) {
        throw new LogoutTokenError('Kelid\'s discovery is unreachable', { cause: error });
      }
      const metadata = config.serverMetadata();
      if (!metadata.jwks_uri) throw new LogoutTokenError('discovery names no jwks_uri');
      keys ??= createRemoteJWKSet(new URL(metadata.jwks_uri), { timeoutDuration: 5000 });
      return checkLogoutToken(token, { keys, issuer: metadata.issuer, clientId: options.clientId, seen });
    },
  };
}

/** A fetch that never reached Kelid is "unavailable"; any answer Kelid gave that we refuse is "failed". */
function failure(error: unknown): SignInError {
  if (error instanceof SignInError) return error;
  const unreachable = error instanceof TypeError && error.message === 'fetch failed';
  return new SignInError(unreachable ? 'unavailable' : 'failed', error instanceof Error ? error.message : String(error), { cause: error });
}
