// A browser without JavaScript, over real HTTP: a cookie jar (name, path; expiry by Max-Age or
// Expires; a browser's rules for Secure cookies and the `__Secure-` and `__Host-` prefixes,
// RFC 6265bis §4.1.3 and §5.7), redirects followed one by one so a test can watch them, forms
// posted with their CSRF token. For OpenID flows across Kelid and apps on several ports.
import { csrfTokenOf } from './agent.ts';

type Cookie = { name: string; value: string; path: string; host: string; secure: boolean };

export type Hop = { url: string; status: number; location: string | null };
export type Page = { url: string; status: number; body: string; hops: Hop[] };

/**
 * `headers`: sent with every request too (a proxy's X-Forwarded-For, say). `tls`: an https origin
 * (`https://kelid.example`) reached at a plain HTTP address (`http://127.0.0.1:3000`), as through
 * a proxy that ends TLS: the browser sees, and keeps cookies for, the https origin.
 */
export function cookieBrowser(options: { headers?: Record<string, string>; tls?: { origin: string; via: string } } = {}) {
  const jar: Cookie[] = [];
  /** Set-Cookie headers the browser's rules refused, as received. */
  const refused: string[] = [];
  const store = (url: URL, header: string) => {
    const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
    const equals = pair.indexOf('=');
    const name = pair.slice(0, equals);
    const value = pair.slice(equals + 1);
    let path = '/';
    let pathGiven = false;
    let secure = false;
    let domain = false;
    let expired = value === '';
    for (const attribute of attributes) {
      const [key = '', val = ''] = attribute.split('=');
      if (key.toLowerCase() === 'path') [path, pathGiven] = [val, true];
      if (key.toLowerCase() === 'secure') secure = true;
      if (key.toLowerCase() === 'domain') domain = true;
      if (key.toLowerCase() === 'max-age' && Number(val) <= 0) expired = true;
      if (key.toLowerCase() === 'expires' && new Date(val).getTime() < Date.now()) expired = true;
    }
    const fromHttps = url.protocol === 'https:';
    // RFC 6265bis §5.7: no Secure cookie from a plain page; `__Secure-` only Secure, `__Host-` also this host's alone, with `Path=/` said.
    if ((secure && !fromHttps) || (/^__secure-/i.test(name) && !secure) || (/^__host-/i.test(name) && (!secure || domain || !pathGiven || path !== '/'))) {
      refused.push(header);
      return;
    }
    const index = jar.findIndex((c) => c.name === name && c.path === path && c.host === url.host);
    if (index !== -1) jar.splice(index, 1);
    if (!expired) jar.push({ name, value, path, host: url.host, secure });
  };
  const cookieHeader = (url: URL) => jar.filter((c) => c.host === url.host && url.pathname.startsWith(c.path) && (!c.secure || url.protocol === 'https:'))
    .sort((a, b) => b.path.length - a.path.length).map((c) => `${c.name}=${c.value}`).join('; ');
  const reached = (target: URL) => (options.tls && target.origin === options.tls.origin ? new URL(`${target.pathname}${target.search}`, options.tls.via) : target);

  async function request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const target = new URL(url);
    const headers: Record<string, string> = { ...options.headers, cookie: cookieHeader(target), 'accept-language': 'fa', accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(reached(target), { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, redirect: 'manual', ...(body === undefined ? {} : { body }) });
    for (const header of response.headers.getSetCookie()) store(target, header);
    return response;
  }

  /** Requests `url`, then follows redirects (at most 20) until a page answers or `stopAt` matches a location. */
  async function go(url: string, init: { method?: string; form?: Record<string, string>; stopAt?: (location: string) => boolean } = {}): Promise<Page> {
    const hops: Hop[] = [];
    let current = url;
    let response = await request(current, init);
    for (let i = 0; i < 20; i++) {
      const location = response.headers.get('location');
      hops.push({ url: current, status: response.status, location });
      if (response.status < 300 || response.status >= 400 || location === null) break;
      const next = new URL(location, current).href;
      if (init.stopAt?.(next)) return { url: next, status: response.status, body: await response.text(), hops };
      current = next;
      response = await request(current);
    }
    return { url: current, status: response.status, body: await response.text(), hops };
  }

  /** Posts a form of the page at `pageUrl` (its CSRF token added) to `action` and follows. */
  async function submit(page: Page, action: string, fields: Record<string, string>, stopAt?: (location: string) => boolean): Promise<Page> {
    return go(new URL(action, page.url).href, { form: { _csrf: csrfTokenOf(page.body), ...fields }, ...(stopAt ? { stopAt } : {}) });
  }

  return { go, submit, jar, refused, cookie: (name: string) => jar.find((c) => c.name === name)?.value };
}

/** The form action of the page's first form whose action matches `pattern`. */
export function formAction(body: string, pattern: RegExp): string {
  for (const match of body.matchAll(/<form[^>]*action="([^"]+)"/g)) {
    const action = match[1]!.replaceAll('&amp;', '&');
    if (pattern.test(action)) return action;
  }
  throw new Error(`no form with action ${pattern}`);
}
