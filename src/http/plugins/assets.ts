/**
 * Serves the asset table (asset-table.ts) under /assets/: each file at its hashed URL with
 * `Cache-Control: public, max-age=31536000, immutable`, text files in Brotli or gzip when the
 * browser accepts them (compressed once, at maximum quality). A name without its hash, or with
 * another version's (a page drawn before a deploy, an old tab), is sent on to the current
 * version with a 302 that is not cached; anything else is the usual 404 (no-store). These
 * answers carry no cookie (security-headers.ts removes it), since caches may share them.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { assets, assetsByUrl, compressedAsset, type Asset } from '../asset-table.ts';

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The best encoding of ours that an Accept-Encoding header allows: br, then gzip, else none. */
export function chooseEncoding(accept: string | undefined): 'br' | 'gzip' | null {
  const allowed = new Set<string>();
  for (const part of (accept ?? '').split(',')) {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
    if (q === undefined || Number(q) > 0) allowed.add(coding.trim());
  }
  if (allowed.has('br')) return 'br';
  if (allowed.has('gzip')) return 'gzip';
  return null;
}

/** `fonts/fa.0123456789ab.woff2` → `fonts/fa.woff2`; a name with no hash is returned as it is. */
const withoutHash = (name: string): string => name.replace(/\.[0-9a-f]{12}(\.[a-z0-9]+)$/, '$1');

async function send(asset: Asset, accept: string | undefined, reply: FastifyReply): Promise<FastifyReply> {
  reply.header('content-type', asset.type).header('cache-control', IMMUTABLE);
  if (!asset.compressible) return reply.send(asset.body);
  reply.header('vary', 'accept-encoding');
  const encoding = chooseEncoding(accept);
  if (!encoding) return reply.send(asset.body);
  const bodies = await compressedAsset(asset);
  return reply.header('content-encoding', encoding).send(bodies[encoding]);
}

/** The one route of every static asset (app.ts leaves the assets' own URLs out of the per-address flood guard). */
const ASSET_ROUTE = '/assets/*';

export const assetRoutes: FastifyPluginAsync = async (app) => {
  // Compressed once here, in the background, so the first visitor does not wait for Brotli's 11.
  for (const asset of assets.values()) if (asset.compressible) void compressedAsset(asset);
  app.get<{ Params: { '*': string } }>(ASSET_ROUTE, { compress: false }, async (request, reply) => {
    const name = request.params['*'];
    const asset = assetsByUrl.get(`/assets/${name}`);
    if (asset) return send(asset, request.headers['accept-encoding'], reply);
    const current = assets.get(withoutHash(name));
    if (current) return reply.header('cache-control', 'no-cache').redirect(current.url, 302);
    return reply.callNotFound();
  });
};
