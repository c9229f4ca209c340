/**
 * oneroster_sources: what each sourcedId of an importer's files became in Kelid. Read and
 * written a chunk at a time (unnest), inside the import's transaction.
 */
import { sql } from 'kysely';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';

export type Kind = 'org' | 'user' | 'appointment';
export type Source = { sourcedId: string; entityId: string; hash: string };
type Trx = Transaction<Database>;

/** The mappings of these sourcedIds (missing ones are simply absent from the map). */
export async function readSources(trx: Trx, importer: string, kind: Kind, sourcedIds: readonly string[]): Promise<Map<string, Source>> {
  if (sourcedIds.length === 0) return new Map();
  const rows = await trx.selectFrom('oneroster_sources').select(['sourced_id', 'entity_id', 'hash'])
    .where('importer_organization_id', '=', importer).where('kind', '=', kind)
    .where(sql<boolean>`sourced_id = any(${[...sourcedIds]}::text[])`).execute();
  return new Map(rows.map((r) => [r.sourced_id, { sourcedId: r.sourced_id, entityId: r.entity_id, hash: r.hash }]));
}

/** Inserts or replaces mappings. */
export async function writeSources(trx: Trx, importer: string, kind: Kind, sources: readonly Source[]): Promise<void> {
  if (sources.length === 0) return;
  await sql`insert into oneroster_sources (importer_organization_id, kind, sourced_id, entity_id, hash)
    select ${importer}::uuid, ${kind}, v.sourced_id, v.entity_id, v.hash
    from unnest(${sources.map((s) => s.sourcedId)}::text[], ${sources.map((s) => s.entityId)}::uuid[], ${sources.map((s) => s.hash)}::text[]) as v(sourced_id, entity_id, hash)
    on conflict (importer_organization_id, kind, sourced_id) do update set entity_id = excluded.entity_id, hash = excluded.hash, updated_at = now()`.execute(trx);
}

/** `list` in slices of `size`: each statement carries at most that many rows. */
export function chunks<T>(list: readonly T[], size = 1000): T[][] {
  return Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));
}
