/**
 * Spent captcha challenges. Spending is one atomic statement: of two requests racing with
 * the same solution, exactly one inserts the row and gets it back.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/** True if this challenge had not been spent before (and now is); expired rows go on the way. */
export async function spendChallenge(db: Db, signature: string, expiresAt: Date, now: Date): Promise<boolean> {
  // The purge rides along so the table stays as small as the challenges still alive; it
  // cannot touch the row being inserted, which has not expired (the caller checked).
  const result = await sql<{ signature: string }>`
    with purged as (delete from captcha_spent where expires_at < ${now})
    insert into captcha_spent (signature, expires_at) values (${signature}, ${expiresAt})
    on conflict (signature) do nothing
    returning signature`.execute(db);
  return result.rows.length === 1;
}

/** Removes every spent challenge that has expired; for scheduled clean-up. */
export async function purgeSpentChallenges(db: Db, now: Date): Promise<number> {
  const result = await sql`delete from captcha_spent where expires_at < ${now}`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
