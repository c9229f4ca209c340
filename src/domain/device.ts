/**
 * A device in words from its User-Agent header, for the list of one's sessions (B7): the
 * browser and the operating system ("Chrome on Android"), or, for a script or an app that is
 * no browser, the product it names first (`okhttp/4.12` → "okhttp"). The one seam to `bowser`
 * (MIT): its names are brand names, the same in every language. Pure: no I/O.
 */
import { getParser } from 'bowser';

export type Device = {
  /** "Chrome", "Safari", "Firefox"…; null when the header names no browser bowser knows. */
  browser: string | null;
  /** "Android", "iOS", "Windows", "macOS", "Linux"…; null when unknown. */
  os: string | null;
  /** What a non-browser client calls itself (its first product token); null for browsers and empty headers. */
  product: string | null;
};

const PRODUCT = /^([A-Za-z][A-Za-z0-9._-]{0,39})\//;

export function describeDevice(userAgent: string | null): Device {
  const header = (userAgent ?? '').trim();
  if (header === '') return { browser: null, os: null, product: null };
  const parser = getParser(header);
  // "Mozilla/5.0 (…)" with nothing bowser knows says nothing of the browser: better unknown than "Mozilla".
  const known = (name: string) => (name === '' || name === 'Mozilla' ? null : name.slice(0, 40));
  const browser = known(parser.getBrowserName());
  const product = browser === null ? known(PRODUCT.exec(header)?.[1] ?? '') : null;
  return { browser, os: known(parser.getOSName()), product };
}
