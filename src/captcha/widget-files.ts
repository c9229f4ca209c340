/**
 * The ALTCHA widget's browser files, served from our own origin under /assets/altcha/ (no
 * CDN: it must work where foreign hosts are blocked). Only the CSP-strict build: the default
 * bundle injects a <style> element and starts its workers from blob: URLs, which our CSP
 * (style-src 'self', script-src 'self') refuses. /assets/captcha.js loads these in order.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** `node_modules/altcha/dist`; its package.json is not exported, so resolve an entry point. */
export const widgetRoot = path.resolve(path.dirname(fileURLToPath(import.meta.resolve('altcha/external'))), '..');

/** Paths under widgetRoot that may be served; everything else there stays private. */
export const widgetFiles: ReadonlySet<string> = new Set([
  '/external/altcha.min.js',
  '/external/altcha.css',
  '/workers/pbkdf2.js',
  '/i18n/fa.js',
  '/i18n/he.js',
  '/i18n/ar.js',
]);
