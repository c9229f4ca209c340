/**
 * oidc-provider's storage adapter on PostgreSQL (the interface: upstream's example/my_adapter.js).
 * Every model (Session, Interaction, Grant, AuthorizationCode, AccessToken, RefreshToken,
 * ClientCredentials, ReplayDetection…) is one row of `oidc_models`, keyed by model and id, with
 * the columns the provider looks models up by (grant id, session uid). Expired rows are never
 * found, and `deleteExpiredModels` removes them (housekeeping). Clients are not stored here:
 * clients.ts hands the provider the ministry's apps from `oidc_clients`.
 *
 * Every operation is one statement, so any process of any machine serves any step of a flow;
 * under load, one statement serves the same operation of several requests.
 */
import { CompiledQuery, sql } from 'kysely';
import Provider, { errors } from 'oidc-provider';
import { batched } from '../db/batched.ts';
import type { Db } from '../db/database.ts';
import { keyed } from '../db/keyed.ts';
import { textProblem } from '../domain/text.ts';

type Payload = Record<string, unknown> & { grantId?: string; uid?: string; userCode?: string };
type Found = { model: string; key: string; payload: Payload; consumed_at: Date | null };
type Key = { model: string; key: string };

// An id, a uid or a code from a request (a cookie, a token, a form) that could never have been
// stored is simply not found: a NUL or a lone surrogate must not reach PostgreSQL and fail there.
const storable = (value: unknown): value is string => typeof value === 'string' && value.length <= 1024 && textProblem(value) === undefined;

/**
 * Whether every string in a model's payload can be stored (no NUL, no lone surrogate: PostgreSQL's
 * jsonb refuses both, and the request would end in a 500). Parameters reach payloads by ways the
 * query string's check (http/oidc.ts) does not see: a pushed authorization request's body, read
 * back at /auth through its request_uri, and any body the provider parses itself.
 */
function storablePayload(value: unknown): boolean {
  if (typeof value === 'string') return textProblem(value) === undefined;
  if (Array.isArray(value)) return value.every(storablePayload);
  if (typeof value === 'object' && value !== null) return Object.entries(value).every(([key, inner]) => textProblem(key) === undefined && storablePayload(inner));
  return true;
}

// The statements every grant runs, each for many requests at once (db/batched.ts: under load the
// requests waiting on one kind of statement share the next one) and keyed (constant text, planned once: db/keyed.ts).
// Keys travel as arrays, rows to save as one JSON array; a key matches its model and id (or uid) as a pair.
// Each key's row is a lateral subquery with `limit 1`: run once per key, by the key, in every
// plan. A join would let a generic plan made while the table had next to no rows read the whole
// table for the keys instead, and keep doing so as it grows (test/federation/adapter-plans.test.ts).
// Each key's live row as `m`, the key ($2) matched against `column`: the finds by id
// (FIND_BY_ID, FIND_TOKEN, FIND_SESSION) and by uid (FIND_BY_UID).
const eachKey = (column: 'id' | 'uid') => `unnest($1::text[], $2::text[]) as k(model, key) cross join lateral (select m.model, m.${column}, m.payload, m.consumed_at, m.grant_id
    from oidc_models m where m.model = k.model and m.${column} = k.key and (m.expires_at is null or m.expires_at > $3) limit 1) m`;
const EACH_KEY = eachKey('id');
export const FIND_BY_ID = keyed(`select m.model, m.id as key, m.payload, m.consumed_at
  from ${EACH_KEY}`);
const FIND_BY_UID = keyed(`select m.model, m.uid as key, m.payload, m.consumed_at
  from ${eachKey('uid')}`);
const UPSERT = keyed(`insert into oidc_models (model, id, payload, grant_id, uid, user_code, expires_at)
  select model, id, payload, grant_id, uid, user_code, expires_at from jsonb_to_recordset($1::jsonb)
    as r(model text, id text, payload jsonb, grant_id text, uid text, user_code text, expires_at timestamptz)
  on conflict (model, id) do update set payload = excluded.payload, grant_id = excluded.grant_id, uid = excluded.uid,
    user_code = excluded.user_code, expires_at = excluded.expires_at`);
// A token found with the grant it belongs to and the session it expires with (by uid), which
// the provider looks up next in the same request (a code or refresh token at /token, an access
// token at userinfo): one statement for three, the three read at one moment. The grant and the
// session are subqueries run for each token found, by its keys, as the token is: a join would
// let a plan made while the table was small read every grant once instead (the generic plan
// expects ten tokens from the arrays and a hundred authorizations from a session's JSON).
export const FIND_TOKEN = keyed(`select m.model, m.id as key, m.payload, m.consumed_at,
    (select g.payload from oidc_models g where g.model = 'Grant' and g.id = m.grant_id and (g.expires_at is null or g.expires_at > $3)) as grant_payload,
    s.payload as session_payload
  from ${EACH_KEY}
  left join lateral (select s.payload from oidc_models s where s.model = 'Session' and s.uid = m.payload->>'sessionUid'
    and (s.expires_at is null or s.expires_at > $3) limit 1) s on true`);
// A session (by id, from its cookie at /auth) found with the grants of the apps it signed in
// to, which the provider looks up next (loadExistingGrant in provider.ts).
export const FIND_SESSION = keyed(`select m.model, m.id as key, m.payload, m.consumed_at,
    (select jsonb_object_agg(signed_in.grant_id, signed_in.payload) from (
        select a.signed_in->>'grantId' as grant_id, (select g.payload from oidc_models g
          where g.model = 'Grant' and g.id = a.signed_in->>'grantId' and (g.expires_at is null or g.expires_at > $3)) as payload
        from jsonb_each(case when jsonb_typeof(m.payload->'authorizations') = 'object' then m.payload->'authorizations' else '{}' end) as a(client, signed_in)
      ) signed_in where signed_in.payload is not null) as grants
  from ${EACH_KEY}`);
// Spends a code or refresh token only if nothing spent it before: the provider checks `consumed`
// on what it found, then consumes, so two requests racing with one code both find it unspent;
// the row says which of them spent it (RFC 6749 §4.1.2, §10.4). The rows to spend are found as
// the finds find them, each key's by the key in a lateral subquery, so that every plan goes
// through the primary key whatever the table's size when it was made (comparing the key columns
// with the arrays, `= any()`, does that on PostgreSQL 17 and later only: 15 reads one of them
// as a filter, and Debian's 15 is what deploy/patroni runs).
export const CONSUME = keyed(`update oidc_models m set consumed_at = $3
  where (m.model, m.id) in (select x.model, x.id from unnest($1::text[], $2::text[]) as k(model, id)
      cross join lateral (select x.model, x.id from oidc_models x where x.model = k.model and x.id = k.id limit 1) x)
    and m.consumed_at is null and (m.expires_at is null or m.expires_at > $3)
  returning m.model, m.id`);
// A code or refresh token spent twice: its whole family goes, the grant with it, so that tokens
// the other request is still issuing are dead on arrival (userinfo, introspection and refresh
// all look the grant up), as upstream's reuse detection does (helpers/revoke.js).
const DESTROY = keyed('delete from oidc_models where model = $1 and id = $2');
const REVOKE_FAMILY = keyed(`with source as (select grant_id from oidc_models where model = $1 and id = $2 and grant_id is not null)
  delete from oidc_models where grant_id in (select grant_id from source) or (model = 'Grant' and id in (select grant_id from source))`);

const pairKey = (model: string, key: string) => `${model}\u0000${key}`;

/** The models found with their grant and session (FIND_TOKEN); grants and sessions are never consumed. */
const TOKEN_MODELS = new Set(['AuthorizationCode', 'RefreshToken', 'AccessToken']);
type FoundToken = Found & { grant_payload: Payload | null; session_payload: Payload | null };
type FoundSession = Found & { grants: Record<string, Payload> | null };

/** Finds by (model, id) or (model, uid) pairs: one statement, answers in the order asked. */
function finder<Row extends Found>(db: Db, statement: string) {
  return batched(async (keys: readonly Key[]) => {
    const { rows } = await db.executeQuery<Row>(CompiledQuery.raw(statement, [keys.map((k) => k.model), keys.map((k) => k.key), new Date()]));
    const found = new Map(rows.map((row) => [pairKey(row.model, row.key), row]));
    return keys.map((k) => found.get(pairKey(k.model, k.key)));
  });
}

type Row = { model: string; id: string; payload: Payload; grant_id: string | null; uid: string | null; user_code: string | null; expires_at: string | null };

/**
 * The adapter class oidc-provider instantiates once per model name. Clients come from
 * `clientLoader` (clients.ts): the `Client` model is read-only here. `requestOf` names the
 * request being served (upstream's `Provider.ctx`): the grant and session found with a token
 * answer that request's next lookup of each, once, and no other request's.
 */
export function postgresAdapter(
  db: Db,
  clientLoader: (clientId: string) => Promise<Record<string, unknown> | undefined>,
  requestOf: () => object | undefined = () => Provider.ctx,
) {
  const findById = finder<Found>(db, FIND_BY_ID);
  const findByUid = finder<Found>(db, FIND_BY_UID);
  const findToken = finder<FoundToken>(db, FIND_TOKEN);
  const findSession = finder<FoundSession>(db, FIND_SESSION);
  // Per request: `Grant\0id` and `Session\0uid` → payload, found with a token or a session, taken by the next lookup.
  const foundAlong = new WeakMap<object, Map<string, Payload>>();
  const keepAlong = (found: [model: string, key: unknown, payload: Payload | null | undefined][]) => {
    const request = requestOf();
    if (!request) return;
    const along = foundAlong.get(request) ?? new Map<string, Payload>();
    foundAlong.set(request, along);
    for (const [model, key, payload] of found) if (payload && typeof key === 'string') along.set(pairKey(model, key), payload);
  };
  const takeAlong = (model: string, key: string): Payload | undefined => {
    const request = requestOf();
    const along = request ? foundAlong.get(request) : undefined;
    const payload = along?.get(pairKey(model, key));
    along?.delete(pairKey(model, key));
    return payload;
  };
  // A request that writes models reads them afresh afterwards.
  const forgetAlong = () => {
    const request = requestOf();
    if (request) foundAlong.delete(request);
  };
  const upsert = batched(async (rows: readonly Row[]) => {
    // The same model saved twice in one batch (two requests of one browser): the later one, as one after the other would leave it.
    const last = new Map(rows.map((row) => [pairKey(row.model, row.id), row]));
    await db.executeQuery(CompiledQuery.raw(UPSERT, [JSON.stringify([...last.values()])]));
    return rows.map(() => undefined);
  });
  // Whether each key was spent by this request: of two asking in one batch, the first.
  const consume = batched(async (keys: readonly Key[]) => {
    const { rows } = await db.executeQuery<{ model: string; id: string }>(CompiledQuery.raw(CONSUME, [keys.map((k) => k.model), keys.map((k) => k.key), new Date()]));
    const spent = new Set(rows.map((row) => pairKey(row.model, row.id)));
    return keys.map((k) => spent.delete(pairKey(k.model, k.key)));
  });
  const payloadOf = (row: Found | undefined): Payload | undefined => {
    if (!row) return undefined;
    // The provider treats any truthy `consumed` as spent (a used code, a rotated refresh token).
    return row.consumed_at ? { ...row.payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) } : row.payload;
  };

  return class PostgresAdapter {
    readonly model: string;

    constructor(model: string) {
      this.model = model;
    }

    async upsert(id: string, payload: Payload, expiresIn: number | undefined): Promise<void> {
      // The provider answers this as any refusal: an OAuth error to the app (or its page, in the person's language).
      if (!storablePayload(payload)) throw new errors.InvalidRequest('a parameter holds text that cannot be stored (a NUL or a broken character)');
      forgetAlong();
      await upsert({
        model: this.model, id, payload, grant_id: payload.grantId ?? null, uid: payload.uid ?? null, user_code: payload.userCode ?? null,
        expires_at: expiresIn ? new Date(Date.now() + expiresIn * 1000).toISOString() : null,
      });
    }

    async find(id: string): Promise<Payload | undefined> {
      if (!storable(id)) return undefined;
      if (this.model === 'Client') return clientLoader(id) as Promise<Payload | undefined>;
      if (TOKEN_MODELS.has(this.model)) {
        const token = await findToken({ model: this.model, key: id });
        if (token) keepAlong([['Grant', token.payload.grantId, token.grant_payload], ['Session', token.payload['sessionUid'], token.session_payload]]);
        return payloadOf(token);
      }
      if (this.model === 'Session') {
        const session = await findSession({ model: this.model, key: id });
        if (session) keepAlong(Object.entries(session.grants ?? {}).map(([grantId, grant]) => ['Grant', grantId, grant]));
        return payloadOf(session);
      }
      return takeAlong(this.model, id) ?? payloadOf(await findById({ model: this.model, key: id }));
    }

    async findByUid(uid: string): Promise<Payload | undefined> {
      if (!storable(uid)) return undefined;
      return takeAlong(this.model, uid) ?? payloadOf(await findByUid({ model: this.model, key: uid }));
    }

    async findByUserCode(userCode: string): Promise<Payload | undefined> {
      if (!storable(userCode)) return undefined;
      const result = await sql<Found>`
        select model, user_code as key, payload, consumed_at from oidc_models
        where model = ${this.model} and user_code = ${userCode} and (expires_at is null or expires_at > ${new Date()})
        limit 1`.execute(db);
      return payloadOf(result.rows[0]);
    }

    /**
     * Spends a code or refresh token. Throws InvalidGrant, having revoked its family, when another
     * request spent it first (the provider found it unspent a moment before: a race of two
     * redemptions, one of them likely stolen) or it is gone (revoked meanwhile).
     */
    async consume(id: string): Promise<void> {
      if (storable(id)) {
        if (await consume({ model: this.model, key: id })) return;
        forgetAlong();
        await db.executeQuery(CompiledQuery.raw(REVOKE_FAMILY, [this.model, id]));
      }
      throw new errors.InvalidGrant(`${this.model === 'RefreshToken' ? 'refresh token' : 'grant'} already used`);
    }

    async destroy(id: string): Promise<void> {
      if (!storable(id)) return;
      forgetAlong();
      await db.executeQuery(CompiledQuery.raw(DESTROY, [this.model, id]));
    }

    /** Every model of the grant goes, whatever this adapter's model: one statement for the family. */
    async revokeByGrantId(grantId: string): Promise<void> {
      if (!storable(grantId)) return;
      forgetAlong();
      await db.deleteFrom('oidc_models').where('grant_id', '=', grantId).execute();
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
