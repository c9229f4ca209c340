/**
 * Periodic clean-up, run by serve.ts on a timer: dead sessions, old flows, stale counters, spent
 * captcha challenges, the OpenID provider's expired models and retired keys, the roles chosen
 * for grants that are gone, withheld messages, set-password links long expired, and the
 * pre-registrations' reminders and deletions (F14). Every step is safe to run in several
 * processes at once (single atomic statements per row); `housekeepingAlone` still runs it in
 * one process at a time, so N processes on M machines do not all sweep the same tables.
 */
import { purgeSpentChallenges } from './captcha/store.ts';
import type { Config } from './config.ts';
import type { Db, TryLock } from './db/database.ts';
import { deleteExpiredModels, deleteOrphanedActing } from './federation/adapter.ts';
import { deleteExpiredKeys } from './federation/keys.ts';
import { deleteOldFlows } from './flows/store.ts';
import type { Clock } from './identity/clock.ts';
import { deleteOldInvitations } from './identity/invitations.ts';
import type { Notifier } from './identity/notifier.ts';
import { sweepPreRegistrations } from './identity/pre-registrations.ts';
import { deleteStaleCounters } from './identity/rate-limits.ts';
import { deleteDeadSessions } from './identity/sessions.ts';
import { deleteOldWithheld } from './notify/store.ts';

export type HousekeepingDeps = { db: Db; clock: Clock; config: Config; notifier: Notifier };
export type Swept = { reminded: number; deleted: number };

/** housekeeping() under the database's lock: answers `undefined` (and does nothing) while another process runs it. */
export async function housekeepingAlone(deps: HousekeepingDeps & { tryLock: TryLock }): Promise<Swept | undefined> {
  const release = await deps.tryLock('kelid housekeeping');
  if (!release) return undefined;
  try {
    return await housekeeping(deps);
  } finally {
    await release();
  }
}

export async function housekeeping(deps: HousekeepingDeps): Promise<Swept> {
  const now = deps.clock.now();
  await deleteDeadSessions(deps.db, now, deps.config.session);
  await deleteOldFlows(deps.db, now);
  await deleteStaleCounters(deps.db, now);
  await purgeSpentChallenges(deps.db, now);
  await deleteExpiredModels(deps.db, now);
  await deleteExpiredKeys(deps.db, now);
  await deleteOrphanedActing(deps.db);
  await deleteOldWithheld(deps.db, now);
  await deleteOldInvitations(deps.db, now);
  return sweepPreRegistrations(deps.db, deps.notifier, {
    deleteAfterDays: deps.config.registration.deleteAfterDays,
    remindBeforeDays: deps.config.registration.remindBeforeDays,
    signInUrl: `${deps.config.publicUrl}/sign-in`,
  }, now);
}
