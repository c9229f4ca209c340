// A stand-in for Kelid at the apps' one OpenID seam (examples/shared/oidc.ts), so the apps'
// own rules can be tested without a provider: it checks the state like openid-client does,
// answers `error=access_denied` as a refusal, and returns the person it was given, in a Kelid
// session `sid` of the callback's (`sid-1` unless the test says). It verifies no logout token.
import type { FastifyInstance } from 'fastify';
import type { Person } from '../../examples/shared/claims.ts';
import { LogoutTokenError } from '../../examples/shared/logout-token.ts';
import { SignInError, type Kelid } from '../../examples/shared/oidc.ts';

export function fakeKelid(person: Person): Kelid {
  return {
    async signInUrl(pending, { locale, forceLogin }) {
      const url = new URL('https://kelid.test/oidc/auth');
      url.searchParams.set('state', pending.state);
      url.searchParams.set('ui_locales', locale);
      if (forceLogin) url.searchParams.set('prompt', 'login');
      return url;
    },
    async finishSignIn(callbackUrl, pending) {
      if (callbackUrl.searchParams.get('state') !== pending.state) throw new SignInError('failed', 'state mismatch');
      if (callbackUrl.searchParams.get('error') === 'access_denied') throw new SignInError('refused', 'access_denied');
      return { person, sid: callbackUrl.searchParams.get('sid') ?? 'sid-1' };
    },
    async signOutUrl() {
      return new URL('https://kelid.test/oidc/session/end?client_id=parents-portal');
    },
    async verifyLogoutToken() {
      throw new LogoutTokenError('the fake Kelid verifies no logout token');
    },
  };
}

export const person = (overrides: Partial<Person>): Person => ({
  sub: 'sub-1', given_name: 'حسن', family_name: 'محمدی', national_id: '0056789122', user_code: '4500122',
  locale: 'fa', roles: [], acting_as: null, children: [], ...overrides,
});

/** Goes through /sign-in and /callback as a browser would; returns the session's cookie header. */
export async function signIn(app: FastifyInstance, answer: Record<string, string> = { code: 'c' }): Promise<{ cookie: string; landedOn: string | undefined }> {
  const start = await app.inject({ url: '/sign-in' });
  const state = new URL(String(start.headers.location)).searchParams.get('state') ?? '';
  const pending = start.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const back = await app.inject({ url: `/callback?${new URLSearchParams({ ...answer, state })}`, headers: { cookie: pending } });
  return { cookie: back.cookies.map((c) => `${c.name}=${c.value}`).join('; '), landedOn: back.headers.location as string | undefined };
}
