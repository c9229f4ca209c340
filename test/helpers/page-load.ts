// What a page costs a browser: every request of one navigation as Chromium's network layer
// saw it (CDP), bytes over the wire (encodedDataLength: headers and compressed bodies), and
// when the page became usable (load event, fonts loaded), optionally on an emulated slow line.
// Used by test/e2e/page-weight.test.ts (the budget) and bench/pages.ts (the table).
import type { Page } from 'playwright-core';

export type LoadedRequest = { url: string; status: number; bytes: number; fromCache: boolean; headers: Record<string, string> };
export type PageLoad = { requests: LoadedRequest[]; bytes: number; usableMs: number };

/** The slow 3G line of issue 14: 400 kbit/s down and up, 400 ms round trip. */
export const SLOW_3G = { offline: false, latency: 400, downloadThroughput: 50_000, uploadThroughput: 50_000 };

/**
 * Loads `url` in `page` and reports its requests. `line`: emulated network conditions (CDP
 * Network.emulateNetworkConditions), none by default. Usable = the later of the load event and
 * the last font's arrival, after document.fonts.ready, in ms from navigation start.
 */
export async function loadPage(page: Page, url: string, line?: typeof SLOW_3G): Promise<PageLoad> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  if (line) await cdp.send('Network.emulateNetworkConditions', line);
  const seen = new Map<string, LoadedRequest>();
  cdp.on('Network.responseReceived', (event) => {
    seen.set(event.requestId, {
      url: event.response.url, status: event.response.status, bytes: 0,
      fromCache: Boolean(event.response.fromDiskCache || event.response.fromPrefetchCache || event.response.fromServiceWorker),
      headers: Object.fromEntries(Object.entries(event.response.headers).map(([name, value]) => [name.toLowerCase(), String(value)])),
    });
  });
  cdp.on('Network.requestServedFromCache', (event) => {
    const request = seen.get(event.requestId);
    if (request) request.fromCache = true;
  });
  const finished: Promise<void>[] = [];
  const done = new Map<string, () => void>();
  cdp.on('Network.requestWillBeSent', (event) => {
    if (!done.has(event.requestId)) finished.push(new Promise((resolve) => done.set(event.requestId, resolve)));
  });
  cdp.on('Network.loadingFinished', (event) => {
    const request = seen.get(event.requestId);
    if (request) request.bytes = event.encodedDataLength;
    done.get(event.requestId)?.();
  });
  cdp.on('Network.loadingFailed', (event) => done.get(event.requestId)?.());
  await page.goto(url, { waitUntil: 'load' });
  const usableMs = await page.evaluate(async () => {
    await document.fonts.ready;
    const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const fonts = performance.getEntriesByType('resource').filter((entry) => entry.name.endsWith('.woff2')).map((entry) => (entry as PerformanceResourceTiming).responseEnd);
    return Math.max(navigation.loadEventEnd, ...fonts);
  });
  await Promise.all(finished);
  await cdp.detach();
  const requests = [...seen.values()];
  return { requests, bytes: requests.reduce((sum, request) => sum + request.bytes, 0), usableMs };
}

/** The requests that went over the network (not answered from the browser's cache). */
export const overNetwork = (load: PageLoad): LoadedRequest[] => load.requests.filter((request) => !request.fromCache && request.bytes > 0);
