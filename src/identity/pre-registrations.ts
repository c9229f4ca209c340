/**
 * The life of a pre-registration (F14, seed 2 rule 35): a self-registered account whose
 * profile is not completed is warned `remindBeforeDays` before its deadline and deleted
 * after `deleteAfterDays`, with an audit event each. Every step is one atomic statement per
 * row, so several processes may run the sweep at once without double reminders.
 */
import { parseLocale } from '../config.ts';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { auditRow } from './audit.ts';
import type { Notifier } from './notifier.ts';

export type PreRegistrationPolicy = { deleteAfterDays: number; remindBeforeDays: number };

const DAY = 86_400_000;

export async function sweepPreRegistrations(
  db: Db, notifier: Notifier, policy: PreRegistrationPolicy & { signInUrl: string }, now: Date,
): Promise<{ reminded: number; deleted: number }> {
  const deadlineFor = (created: Date) => new Date(created.getTime() + policy.deleteAfterDays * DAY);
  const remindBefore = new Date(now.getTime() - (policy.deleteAfterDays - policy.remindBeforeDays) * DAY);
  const deleteBefore = new Date(now.getTime() - policy.deleteAfterDays * DAY);

  const reminded = await db.transaction().execute(async (trx) => {
    const rows = await trx.updateTable('accounts').set({ registration_reminded_at: now })
      .where('status', '=', 'pending').where('profile_completed_at', 'is', null)
      .where('registration_reminded_at', 'is', null).where('created_at', '<=', remindBefore)
      .returning(['id', 'person_id', 'mobile', 'email', 'locale', 'created_at']).execute();
    for (const row of rows) {
      const locale = parseLocale(row.locale) ?? 'fa';
      const person = await trx.selectFrom('people').select(['first_name', 'last_name']).where('id', '=', row.person_id).executeTakeFirstOrThrow();
      const params = { name: `${person.first_name} ${person.last_name}`, deadline: deadlineFor(row.created_at).toISOString().slice(0, 10), url: policy.signInUrl };
      if (row.mobile) await notifier.enqueue(trx, { channel: 'sms', to: row.mobile, template: 'registration.reminder', locale, params });
      if (row.email) await notifier.enqueue(trx, { channel: 'email', to: row.email, template: 'registration.reminder', locale, params });
      await trx.insertInto('audit_events').values(auditRow({ type: 'registration.reminded', subjectAccountId: row.id, data: params })).execute();
    }
    return rows.length;
  });

  const deleted = await db.transaction().execute(async (trx) => {
    const rows = await trx.deleteFrom('accounts')
      .where('status', '=', 'pending').where('profile_completed_at', 'is', null).where('created_at', '<=', deleteBefore)
      .returning(['id', 'person_id']).execute();
    for (const row of rows) {
      await trx.insertInto('audit_events').values(auditRow({ type: 'registration.expired', subjectAccountId: row.id, data: { days: policy.deleteAfterDays } })).execute();
    }
    // The person's own declaration goes too; what the civil registry holds stays.
    const ids = rows.map((row) => row.person_id);
    if (ids.length > 0) {
      await trx.deleteFrom('people').where('id', 'in', ids).where('registry_status', '=', 'self_declared')
        .where(sql<boolean>`not exists (select 1 from accounts a where a.person_id = people.id)`).execute();
    }
    return rows.length;
  });
  return { reminded, deleted };
}
