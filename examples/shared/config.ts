/**
 * One typed config object per app, read from the environment. Each option and its default:
 *
 *   KELID_ISSUER   Kelid's issuer; discovery is at `${KELID_ISSUER}/.well-known/openid-configuration`
 *                  (default http://localhost:3000/oidc)
 *   CLIENT_ID      this app's client at Kelid (default: the demo client, e.g. exam-registration)
 *   CLIENT_SECRET  its secret (default: the documented demo secret, e.g. exam-registration-secret;
 *                  start-up warns when it is used)
 *   PORT           where the app listens (default 4001, 4002 or 4003)
 *   HOST           the address it listens on (default localhost)
 *   PUBLIC_URL     the app's address as the browser sees it (default http://localhost:PORT);
 *                  the redirect URI is PUBLIC_URL/callback and the post-logout URI PUBLIC_URL/,
 *                  both registered at Kelid
 *   KELID_PROFILE  ir | il (default ir): which country the sample data looks like: rials and
 *                  Solar Hijri pay months, final exams out of 20; or shekels and Gregorian
 *                  months, matriculation exams out of 100; and the time zone of "today"
 *                  (Asia/Tehran or Asia/Jerusalem). The same variable Kelid reads.
 */
export type Profile = 'ir' | 'il';

export type AppDefaults = { clientId: string; clientSecret: string; port: number };

export type ExampleConfig = {
  clientId: string;
  clientSecret: string;
  /** True when CLIENT_SECRET was not set and the published demo secret is in use. */
  demoSecret: boolean;
  port: number;
  host: string;
  /** No trailing slash. */
  publicUrl: string;
  /** No trailing slash. */
  issuer: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  profile: Profile;
  timeZone: string;
  /** Cookies get `Secure` when the app is served over HTTPS. */
  secureCookies: boolean;
};

export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {}

function url(name: string, value: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(`${name} is not a URL: ${value}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new ConfigError(`${name} must be an http(s) URL: ${value}`);
  if (parsed.search || parsed.hash) throw new ConfigError(`${name} must have no query or fragment: ${value}`);
  return parsed.href.replace(/\/+$/, '');
}

function port(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65535) throw new ConfigError(`PORT must be a port number: ${value}`);
  return parsed;
}

export function readConfig(env: Env, defaults: AppDefaults): ExampleConfig {
  const listenPort = env['PORT'] ? port(env['PORT']) : defaults.port;
  const publicUrl = url('PUBLIC_URL', env['PUBLIC_URL'] || `http://localhost:${listenPort}`);
  const profile = env['KELID_PROFILE'] || 'ir';
  if (profile !== 'ir' && profile !== 'il') throw new ConfigError(`KELID_PROFILE must be ir or il: ${profile}`);
  return {
    clientId: env['CLIENT_ID'] || defaults.clientId,
    clientSecret: env['CLIENT_SECRET'] || defaults.clientSecret,
    demoSecret: !env['CLIENT_SECRET'],
    port: listenPort,
    host: env['HOST'] || 'localhost',
    publicUrl,
    issuer: url('KELID_ISSUER', env['KELID_ISSUER'] || 'http://localhost:3000/oidc'),
    redirectUri: `${publicUrl}/callback`,
    postLogoutRedirectUri: `${publicUrl}/`,
    profile,
    timeZone: profile === 'il' ? 'Asia/Jerusalem' : 'Asia/Tehran',
    secureCookies: publicUrl.startsWith('https:'),
  };
}
