/**
 * Every static file Kelid serves, under a content-hashed name (issue 14): `/assets/site.<hash>.css`,
 * `/assets/fonts/fa.<hash>.woff2`, … Built once, when this module is first imported, from the
 * files on disk: first-party ones (src/http/assets/), the committed font subsets, the ALTCHA
 * widget's and the WebAuthn bundle's browser files. A file that names another by `/assets/<name>`
 * (the stylesheet its fonts, captcha.js the widget) gets that file's hashed URL written in before
 * its own hash is taken, so a change anywhere changes every URL that leads to it.
 *
 * Views take URLs from assetUrl() only; plugins/assets.ts serves the table.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Locale } from '../config.ts';
import { widgetFiles, widgetRoot } from '../captcha/widget-files.ts';
import { fontsDir, readFontManifest } from '../fonts/manifest.ts';

export type Asset = {
  /** The name views ask for: `site.css`, `altcha/external/altcha.min.js`. */
  name: string;
  /** `/assets/<name with .<hash> before the extension>`. */
  url: string;
  type: string;
  body: Buffer;
  /** Text files are sent compressed when the browser accepts it (woff2 is compressed already). */
  compressible: boolean;
};

const require = createRequire(import.meta.url);
const ownDir = path.join(import.meta.dirname, 'assets');
// The package exports no package.json: its CommonJS entry is script/index.js, beside dist/.
const webauthnDir = path.join(path.dirname(require.resolve('@simplewebauthn/browser')), '..', 'dist', 'bundle');

/** Read once: the asset table and every page's font preloads come from it. */
const fontManifest = readFontManifest();

const types: Record<string, string> = { '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.woff2': 'font/woff2' };

/**
 * The files, those named by others first (a file may only name one listed before it): the
 * fonts, the third-party bundles, then every .js and .css file of src/http/assets/.
 */
function sources(): { name: string; file: string }[] {
  const fonts = Object.values(fontManifest).flatMap((face) => face?.files ?? []).map(({ file }) => ({ name: `fonts/${file}`, file: path.join(fontsDir, file) }));
  const widget = [...widgetFiles].map((file) => ({ name: `altcha${file}`, file: path.join(widgetRoot, file) }));
  const own = readdirSync(ownDir).filter((name) => /\.(js|css)$/.test(name)).sort().map((name) => ({ name, file: path.join(ownDir, name) }));
  return [...fonts, ...widget, { name: 'webauthn/index.umd.min.js', file: path.join(webauthnDir, 'index.umd.min.js') }, ...own];
}

/**
 * The stylesheet's font rules, from the font manifest: one @font-face per file, limited by
 * unicode-range to the code points it was cut for, shown with `font-display: swap`; and each
 * locale's family on its <html lang> only (a Persian word in the Hebrew page's language menu is
 * drawn by the system font, so the Hebrew page never downloads the Persian face).
 */
export function fontFaceCss(): string {
  const rules: string[] = [];
  for (const [locale, face] of Object.entries(fontManifest)) {
    if (!face) continue;
    for (const file of face.files) {
      rules.push(`@font-face { font-family: "${face.family}"; src: url(/assets/fonts/${file.file}) format("woff2"); font-weight: ${file.weight}; font-display: swap; unicode-range: ${file.unicodeRange}; }`);
    }
    rules.push(`html:lang(${locale}) { font-family: "${face.family}", system-ui, sans-serif; }`);
  }
  return `${rules.join('\n')}\n`;
}

/** `/assets/<name>` → the hashed URL, in a text file that names other assets. Throws on a name not (yet) in the table. */
function linkAssets(text: string, from: string, table: Map<string, Asset>): string {
  return text.replace(/\/assets\/([\w./-]+\.(?:css|js|woff2))/g, (_whole, name: string) => {
    const target = table.get(name);
    if (!target) throw new Error(`${from} names /assets/${name}, which is not an asset listed before it (asset-table.ts)`);
    return target.url;
  });
}

const hashedName = (name: string, hash: string): string => {
  const ext = path.extname(name);
  return `${name.slice(0, name.length - ext.length)}.${hash}${ext}`;
};

function buildTable(): Map<string, Asset> {
  const table = new Map<string, Asset>();
  for (const { name, file } of sources()) {
    const ext = path.extname(name);
    const compressible = ext !== '.woff2';
    let body = readFileSync(file);
    if (compressible) {
      const text = (name === 'site.css' ? fontFaceCss() : '') + body.toString('utf8');
      body = Buffer.from(linkAssets(text, name, table), 'utf8');
    }
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
    table.set(name, { name, url: `/assets/${hashedName(name, hash)}`, type: types[ext] ?? 'application/octet-stream', body, compressible });
  }
  return table;
}

/** Every asset by name. */
export const assets: ReadonlyMap<string, Asset> = buildTable();
/** Every asset by its hashed URL. */
export const assetsByUrl: ReadonlyMap<string, Asset> = new Map([...assets.values()].map((asset) => [asset.url, asset]));

/** The hashed URL of the asset `name` (`site.css`, `fonts/fa.woff2`); throws on a name that is not one (a typo in a view). */
export function assetUrl(name: string): string {
  const asset = assets.get(name);
  if (!asset) throw new Error(`no asset named ${name}`);
  return asset.url;
}

/** The font files `locale`'s pages use (none for a locale on the system font), to preload in the page's head. */
export function fontUrls(locale: Locale): string[] {
  return (fontManifest[locale]?.files ?? []).map(({ file }) => assetUrl(`fonts/${file}`));
}

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
const compressed = new Map<string, Promise<{ br: Buffer; gzip: Buffer }>>();

/**
 * An asset's body in Brotli (quality 11) and gzip (level 9), made once per process on first
 * use and kept: static files are compressed at maximum quality a single time.
 */
export function compressedAsset(asset: Asset): Promise<{ br: Buffer; gzip: Buffer }> {
  let done = compressed.get(asset.url);
  if (!done) {
    done = Promise.all([
      brotli(asset.body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: asset.body.length } }),
      gzip(asset.body, { level: 9 }),
    ]).then(([br, gz]) => ({ br, gzip: gz }));
    compressed.set(asset.url, done);
  }
  return done;
}
