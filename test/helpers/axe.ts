// axe-core in a page of a real Chromium, under the page's own Content-Security-Policy: the
// engine is evaluated through the DevTools protocol (page.evaluate), which the CSP does not
// govern, so the page is checked exactly as it is served (no bypassCSP, no inline tag).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';

// The minified build: the same engine, and a page evaluates it in about half the time of the
// package's `source` (190 against 340 ms a document here), once for every page the walks load.
const axeSource: string = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One axe-core violation, as found: the rule, its impact and the offending nodes' selectors. */
export type Finding = { rule: string; impact: string; help: string; targets: string[] };

/** The impacts that fail the walk (issue 14: no serious or critical violation anywhere). */
export const failing: ReadonlySet<string> = new Set(['serious', 'critical']);

/** Browser contexts whose every new document is given axe-core as it starts. */
const preloading = new WeakSet<BrowserContext>();

/**
 * Runs axe-core on the document in `page` and answers its violations of every impact, each with
 * the CSS selectors of its nodes (frames joined by ` >> `). The engine is injected into the
 * first document checked in a browser context, and from then on given to each new document of
 * that context as it starts (an init script, also outside the CSP): sent once rather than with
 * every page, about 180 ms less a page here.
 */
export async function axeFindings(page: Page): Promise<Finding[]> {
  const context = page.context();
  if (!preloading.has(context)) {
    preloading.add(context);
    await context.addInitScript({ content: axeSource });
  }
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      rule: v.id, impact: v.impact ?? 'unknown', help: v.help,
      targets: v.nodes.map((n) => n.target.map((part) => (Array.isArray(part) ? part.join(' ') : String(part))).join(' >> ')),
    }));
  });
}

/** The widths every page is checked at, in CSS pixels: a cheap phone and a desktop. */
export const widths = [360, 1280] as const;

/**
 * Checks the page at each of `at` (by default every one of `widths`; resizing the same
 * document, no second navigation) and answers its findings, each tagged with the width; the
 * page is left at the first width.
 */
export async function checkAtWidths(page: Page, at: readonly number[] = widths): Promise<(Finding & { width: number })[]> {
  const found: (Finding & { width: number })[] = [];
  for (const width of at) {
    await page.setViewportSize({ width, height: 800 });
    for (const finding of await axeFindings(page)) found.push({ ...finding, width });
  }
  await page.setViewportSize({ width: widths[0], height: 800 });
  return found;
}
