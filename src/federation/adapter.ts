/**
 * oidc-provider's storage adapter on PostgreSQL (the interface: upstream's example/my_adapter.js).
 * Every model (Session, Interaction, Grant, AuthorizationCode, AccessToken, RefreshToken,
 * ClientCredentials, ReplayDetection…) is one row of `oidc_models`, keyed by model and id, with
 * the columns the provider looks models up by (grant id, session uid). Expired rows are never
 * found, and `deleteExpiredModels` removes them (housekeeping). Clients are not stored here:
 * clients.ts hands the provider the ministry's apps from `oidc_clients`.
 *
 * Every operation is one statement, so any process of any machine serves any step of a flow.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { textProblem } from '../domain/text.ts';

type Payload = Record<string, unknown> & { grantId?: string; uid?: string; userCode?: string };

// An id, a uid or a code from a request (a cookie, a token, a form) that could never have been
// stored is simply not found: a NUL or a lone surrogate must not reach PostgreSQL and fail there.
const storable = (value: unknown): value is string => typeof value === 'string' && value.length <= 1024 && textProblem(value) === undefined;

/**
 * The adapter class oidc-provider instantiates once per model name. Clients come from
 * `clientLoader` (clients.ts): the `Client` model is read-only here.
 */
export function postgresAdapter(db: Db, clientLoader: (clientId: string) => Promise<Record<string, unknown> | undefined>) {
  return class PostgresAdapter {
    readonly model: string;

    constructor(model: string) {
      this.model = model;
    }

    async upsert(id: string, payload: Payload, expiresIn: number | undefined): Promise<void> {
      const expiresAt = expiresIn ? new Date(Date.now() + expiresIn * 1000) : null;
      const row = {
        model: this.model, id, payload: JSON.stringify(payload),
        grant_id: payload.grantId ?? null, uid: payload.uid ?? null, user_code: payload.userCode ?? null, expires_at: expiresAt,
      };
      await db.insertInto('oidc_models').values(row)
        .onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet({
          payload: row.payload, grant_id: row.grant_id, uid: row.uid, user_code: row.user_code, expires_at: row.expires_at,
        }))
        .execute();
    }

    async find(id: string): Promise<Payload | undefined> {
      if (!storable(id)) return undefined;
      if (this.model === 'Client') return clientLoader(id) as Promise<Payload | undefined>;
      return this.#findBy(sql`id = ${id}`);
    }

    async findByUid(uid: string): Promise<Payload | undefined> {
      return storable(uid) ? this.#findBy(sql`uid = ${uid}`) : undefined;
    }

    async findByUserCode(userCode: string): Promise<Payload | undefined> {
      return storable(userCode) ? this.#findBy(sql`user_code = ${userCode}`) : undefined;
    }

    async consume(id: string): Promise<void> {
      if (!storable(id)) return;
      await db.updateTable('oidc_models').set({ consumed_at: new Date() })
        .where('model', '=', this.model).where('id', '=', id).execute();
    }

    async destroy(id: string): Promise<void> {
      if (!storable(id)) return;
      await db.deleteFrom('oidc_models').where('model', '=', this.model).where('id', '=', id).execute();
    }

    /** Every model of the grant goes, whatever this adapter's model: one statement for the family. */
    async revokeByGrantId(grantId: string): Promise<void> {
      if (!storable(grantId)) return;
      await db.deleteFrom('oidc_models').where('grant_id', '=', grantId).execute();
    }

    async #findBy(condition: ReturnType<typeof sql>): Promise<Payload | undefined> {
      const result = await sql<{ payload: Payload; consumed_at: Date | null }>`
        select payload, consumed_at from oidc_models
        where model = ${this.model} and ${condition} and (expires_at is null or expires_at > ${new Date()})
        limit 1`.execute(db);
      const row = result.rows[0];
      if (!row) return undefined;
      // The provider treats any truthy `consumed` as spent (a used code, a rotated refresh token).
      return row.consumed_at ? { ...row.payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) } : row.payload;
    }
  };
}

/** Rows that can no longer be found (expired a minute ago or more). Answers how many went. */
export async function deleteExpiredModels(db: Db, now: Date): Promise<number> {
  const result = await db.deleteFrom('oidc_models').where('expires_at', '<', new Date(now.getTime() - 60_000)).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The role chosen for a grant that no longer exists (expired, revoked) is nobody's business any more. */
export async function deleteOrphanedActing(db: Db): Promise<number> {
  const result = await sql`delete from oidc_acting a where not exists (select 1 from oidc_models m where m.model = 'Grant' and m.id = a.grant_id)`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
