// A cookie-keeping client over inject(): what a browser without JavaScript does with our
// pages (GET a form, read its CSRF token, POST it back with the cookies).
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export type Agent = {
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  post(url: string, form: Record<string, string | readonly string[]>, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** GETs `formUrl`, then POSTs `fields` plus the page's CSRF token to `action` (default: the same URL). */
  submit(formUrl: string, fields: Record<string, string | readonly string[]>, action?: string): Promise<LightMyRequestResponse>;
  cookies: Map<string, string>;
};

/** The hidden fields (but the CSRF token) of the page's form posting to `action`, as a browser sends them with the form. */
export function hiddenFieldsOf(body: string, action: string): Record<string, string> {
  const form = [...body.matchAll(/<form\b[^>]*\baction="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)].find((match) => match[1] === action);
  if (!form) throw new Error(`no form posting to ${action} in page`);
  return Object.fromEntries([...form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)]
    .filter((input) => input[1] !== '_csrf').map((input) => [input[1]!, input[2]!]));
}

export function csrfTokenOf(body: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(body);
  if (!match?.[1]) throw new Error('no CSRF token in page');
  return match[1];
}

export function createAgent(app: FastifyInstance, options: { ip?: string } = {}): Agent {
  const cookies = new Map<string, string>();
  const remember = (response: LightMyRequestResponse) => {
    for (const cookie of response.cookies) {
      if (cookie.value === '' || (cookie.expires && cookie.expires.getTime() < Date.now()) || cookie.maxAge === 0) cookies.delete(cookie.name);
      else cookies.set(cookie.name, cookie.value);
    }
    return response;
  };
  const cookieHeader = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  const remoteAddress = options.ip ?? '127.0.0.1';
  const agent: Agent = {
    cookies,
    async get(url, headers = {}) {
      return remember(await app.inject({ method: 'GET', url, remoteAddress, headers: { cookie: cookieHeader(), ...headers } }));
    },
    async post(url, form, headers = {}) {
      const body = new URLSearchParams();
      for (const [name, value] of Object.entries(form)) for (const item of [value].flat()) body.append(name, item);
      return remember(await app.inject({
        method: 'POST', url, remoteAddress, payload: body.toString(),
        headers: { cookie: cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', ...headers },
      }));
    },
    async submit(formUrl, fields, action) {
      const page = await agent.get(formUrl);
      return agent.post(action ?? formUrl, { _csrf: csrfTokenOf(page.body), ...fields });
    },
  };
  return agent;
}
