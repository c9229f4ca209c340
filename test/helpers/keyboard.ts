// Driving a page with the keyboard alone, as a person without a mouse does (issue 14 §3): Tab
// and Shift+Tab until the wanted control has focus, checking at every stop that the focused
// element can be seen (in the viewport, not hidden, drawn with a focus ring); and axe-core run
// inside the page, its source evaluated so the page keeps its own Content-Security-Policy.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { axeFindings, failing } from './axe.ts';

/**
 * What the focused element is and whether it can be seen; `ring`: an outline of 2 px or more,
 * or a box shadow; `contrast`: the outline's against what it is drawn on (the nearest opaque
 * background around the element), WCAG 2.2's 1.4.11 ratio.
 */
type Focused = { selector: boolean; tag: string; inView: boolean; shown: boolean; ring: boolean; contrast: number };

async function focused(page: Page, selector: string): Promise<Focused | null> {
  return page.evaluate((wanted) => {
    const el = document.activeElement;
    if (el === null || el === document.body) return null;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    // Any CSS colour (rgb, oklch: the captcha widget's) as sRGB bytes and alpha, painted on a one-pixel canvas.
    const pixel = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
    const channels = (color: string) => {
      pixel.clearRect(0, 0, 1, 1);
      pixel.fillStyle = color;
      pixel.fillRect(0, 0, 1, 1);
      return [...pixel.getImageData(0, 0, 1, 1).data];
    };
    const luminance = ([r = 0, g = 0, b = 0]: number[]) => {
      const linear = (v: number) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
      return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    };
    let ground = [255, 255, 255];
    for (let around = el.parentElement; around !== null; around = around.parentElement) {
      const color = channels(getComputedStyle(around).backgroundColor);
      if ((color[3] ?? 0) > 0) { ground = color; break; }
    }
    const [lighter, darker] = [luminance(channels(style.outlineColor)), luminance(ground)].sort((a, b) => b - a) as [number, number];
    return {
      contrast: style.outlineStyle === 'none' ? 0 : (lighter + 0.05) / (darker + 0.05),
      selector: el.matches(wanted),
      tag: el.outerHTML.slice(0, 140),
      inView: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth,
      shown: style.visibility !== 'hidden' && style.display !== 'none' && Number(style.opacity) > 0,
      ring: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none',
    };
  }, selector);
}

/** Fails unless the focused element can be seen: on screen, not hidden, with a focus ring. */
export async function assertFocusVisible(page: Page): Promise<void> {
  const now = await focused(page, '*');
  assert.ok(now, `nothing has focus on ${page.url()}`);
  assert.ok(now.inView && now.shown, `the focused element is off screen or hidden on ${page.url()}: ${now.tag}`);
  assert.ok(now.ring, `the focused element shows no focus ring on ${page.url()}: ${now.tag}`);
  assert.ok(now.contrast >= 3, `the focus ring's contrast is ${now.contrast.toFixed(2)}:1, under 3:1, on ${page.url()}: ${now.tag}`);
}

/**
 * Presses Tab (Shift+Tab with `back`) until the focused element matches `selector`, checking
 * each stop is visible; fails after `max` presses. Returns the number of presses.
 */
export async function tabTo(page: Page, selector: string, options: { back?: boolean; max?: number } = {}): Promise<number> {
  const max = options.max ?? 60;
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
    const now = await focused(page, selector);
    if (now === null) continue;
    assert.ok(now.inView && now.shown, `focus went off screen or onto a hidden element on ${page.url()}: ${now.tag}`);
    assert.ok(now.ring, `a focused element shows no focus ring on ${page.url()}: ${now.tag}`);
    assert.ok(now.contrast >= 3, `a focus ring's contrast is ${now.contrast.toFixed(2)}:1, under 3:1, on ${page.url()}: ${now.tag}`);
    if (now.selector) return presses;
  }
  assert.fail(`${max} presses of Tab never reached ${selector} on ${page.url()}`);
}

/** Tabs to `selector` and types `text` into it. */
export async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  await tabTo(page, selector);
  await page.keyboard.type(text);
}

/** Tabs to `selector` and presses Enter, waiting for the page that follows. */
export async function press(page: Page, selector: string, key = 'Enter'): Promise<void> {
  await tabTo(page, selector);
  await Promise.all([page.waitForEvent('load'), page.keyboard.press(key)]);
}

/** axe-core's serious and critical violations on the page as it stands, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  return (await axeFindings(page)).filter((f) => failing.has(f.impact)).map((f) => `${f.rule} (${f.impact}): ${f.targets.join(', ')}`);
}

/** Fails on any serious or critical axe-core violation, naming the page and what `step` it is. */
export async function assertAxeClean(page: Page, step: string): Promise<void> {
  const found = await seriousViolations(page);
  assert.deepEqual(found, [], `axe-core on ${step} (${page.url()})`);
}

/**
 * Fails unless the error summary gets focus. `autofocus` is applied at the page's first
 * rendering update after its stylesheets load, which a loaded machine can run after the `load`
 * event: so this waits for it, up to `ms`, rather than looking once.
 */
export async function assertSummaryFocused(page: Page, ms = 5000): Promise<void> {
  const focused = await page.waitForFunction(() => document.activeElement?.classList.contains('error-summary'), undefined, { timeout: ms }).then(() => true, () => false);
  if (focused) return;
  const instead = await page.evaluate(() => `${document.activeElement?.outerHTML.slice(0, 120)} (${document.hasFocus() ? 'focused' : 'unfocused'} document, ${document.visibilityState})`);
  assert.fail(`the error summary does not have focus on ${page.url()} after ${ms} ms: ${instead} has it`);
}

/**
 * After a refused submit: the error summary has focus (autofocus), its first link is the next
 * Tab, and Enter on the link puts focus on the field it names. Returns that field's id.
 */
export async function followFirstError(page: Page): Promise<string> {
  await assertSummaryFocused(page);
  await page.keyboard.press('Tab');
  const href = await page.evaluate(() => (document.activeElement as HTMLAnchorElement | null)?.getAttribute('href') ?? '');
  assert.match(href, /^#./, 'the first Tab after a refused submit is the summary\'s first link');
  await assertFocusVisible(page);
  await page.keyboard.press('Enter');
  await page.waitForFunction((id) => document.activeElement?.id === id, href.slice(1), { timeout: 2000 });
  await assertFocusVisible(page);
  return href.slice(1);
}
