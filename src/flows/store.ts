/**
 * Flow rows: create, load (refusing expired flows and flows of another browser), save with
 * optimistic concurrency, and clean up. The only place that knows the `flows` table.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { keyedQuery } from '../db/keyed.ts';
import { isUuid } from '../domain/uuid.ts';
import type { Executor } from '../identity/audit.ts';
import type { Flow } from './flow.ts';

export type FlowProblem = 'flow.not_found' | 'flow.expired' | 'flow.changed';

const bindingHash = (binding: string | null) => (binding === null ? null : createHash('sha256').update(binding).digest());

export async function createFlow<F extends Flow>(
  db: Executor, input: { kind: F['kind']; state: F['state']; data: F['data']; expiresAt: Date; binding: string | null },
): Promise<F> {
  const row = await db.insertInto('flows').values({
    kind: input.kind, state: input.state, data: JSON.stringify(input.data), binding: bindingHash(input.binding), expires_at: input.expiresAt,
  }).returning(['id', 'version']).executeTakeFirstOrThrow();
  return { id: row.id, kind: input.kind, state: input.state, data: input.data, version: row.version, expiresAt: input.expiresAt } as F;
}

/**
 * A flow by id, if it exists, is of this kind, belongs to this browser (page flows) and has
 * not expired. Another browser's flow answers exactly like one that does not exist.
 */
export async function loadFlow<F extends Flow>(
  db: Db, id: string, options: { kind?: F['kind']; binding: string | null; now: Date; anyBrowser?: boolean },
): Promise<F | FlowProblem> {
  if (!isUuid(id)) return 'flow.not_found';
  const row = await db.selectFrom('flows').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || (options.kind !== undefined && row.kind !== options.kind)) return 'flow.not_found';
  // `anyBrowser`: the caller holds proof of its own (an emailed link's secret), whatever browser opened it.
  if (row.binding !== null && options.anyBrowser !== true) {
    const given = bindingHash(options.binding);
    if (given === null || !given.equals(Buffer.from(row.binding))) return 'flow.not_found';
  }
  if (row.expires_at <= options.now) return 'flow.expired';
  return { id: row.id, kind: row.kind, state: row.state, data: row.data, version: row.version, expiresAt: row.expires_at } as F;
}

/**
 * Saves a transition; refuses (flow.changed) when another request moved the flow first.
 * `next.binding`: the flow is tied to this browser (null: to none, the API's) in the same
 * statement, so no request sees the new state under the old binding (an emailed link opened
 * in another browser: the first browser, or whoever started the flow through the API, no
 * longer sees it, not even for a moment).
 */
export async function saveFlow<F extends Flow>(db: Executor, flow: F, next: { state: F['state']; data: F['data']; binding?: string | null }, now: Date): Promise<F | 'flow.changed'> {
  const rebind = next.binding === undefined ? {} : { binding: bindingHash(next.binding) };
  // Every step of every flow saves here: a keyed statement, planned once per connection (db/keyed.ts).
  const result = await db.executeQuery(keyedQuery(db.updateTable('flows')
    .set({ state: next.state, data: JSON.stringify(next.data), version: sql`version + 1`, updated_at: now, ...rebind })
    .where('id', '=', flow.id).where('version', '=', flow.version)
    .returning('id')));
  if (result.rows.length === 0) return 'flow.changed';
  return { ...flow, state: next.state, data: next.data, version: flow.version + 1 };
}

/** A step's transition lost the race: another request (another tab) moved the flow first. */
export class FlowChanged extends Error {}

/**
 * Saves a transition in a step, or throws FlowChanged: this request's change is dropped, not
 * merged, and the step answers `flow.changed`.
 */
export async function advanceFlow<F extends Flow>(db: Executor, flow: F, next: { state: F['state']; data: F['data']; binding?: string | null }, now: Date): Promise<F> {
  const saved = await saveFlow(db, flow, next, now);
  if (saved === 'flow.changed') throw new FlowChanged();
  return saved;
}

/**
 * Removes a flow the request made a moment ago, when what it was made for was refused before
 * anything else was written (a sign-in shed for load): a refusal for load leaves nothing behind.
 */
export async function discardFlow(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('flows').where('id', '=', id).execute();
}

/** Flows kept a day past their expiry (so a late visitor still hears "expired"), then removed. */
export async function deleteOldFlows(db: Db, now: Date): Promise<number> {
  const result = await db.deleteFrom('flows').where('expires_at', '<', new Date(now.getTime() - 86_400_000)).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Whether this session was made by a sign-in (a password or code sign-in flow) that was going back to `returnTo`:
 * an app that asked for a fresh sign-in (prompt=login, max_age) got one for this request.
 */
export async function signedInFor(db: Db, returnTo: string, sessionId: string): Promise<boolean> {
  const row = await db.selectFrom('flows').select('id')
    .where('kind', 'in', ['login', 'otp-login']).where('state', '=', 'done')
    .where(sql<string>`data->>'sessionId'`, '=', sessionId).where(sql<string>`data->>'returnTo'`, '=', returnTo)
    .executeTakeFirst();
  return row !== undefined;
}
