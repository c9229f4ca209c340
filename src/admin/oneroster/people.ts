/**
 * users.csv → accounts, by national ID: the person must be in the civil registry (as in the
 * CSV import; nobody is made up from a file). An account is made, and the user's sourcedId
 * mapped to it, only once one of the user's appointments is valid: a user whose every row
 * is in error writes nothing. Users of earlier files that this one names only in enrollments
 * (a delta) are found through their mapping.
 */
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { actsOnAccount, type Scope } from '../scope.ts';
import type { RowError, UserRow } from './mapping.ts';
import { chunks, readSources, writeSources } from './sources.ts';

export type Counts = { created: number; updated: number; unchanged: number };
type Trx = Transaction<Database>;

/** The registry's person of each user row (by national ID); a person the registry lacks is a row error. */
export async function findPeople(trx: Trx, rows: readonly UserRow[], errors: RowError[]): Promise<Map<string, string>> {
  const people = new Map<string, string>();
  for (const chunk of chunks(rows.filter((u) => !u.deleted))) {
    const found = new Map((await trx.selectFrom('people').select(['id', 'national_id'])
      .where('national_id', 'in', [...new Set(chunk.map((u) => u.nationalId))]).execute()).map((p) => [p.national_id!, p.id]));
    for (const u of chunk) {
      const personId = found.get(u.nationalId);
      if (personId) people.set(u.sourcedId, personId);
      else errors.push({ file: 'users.csv', line: u.line, field: 'userIds', code: 'registry.not_found' });
    }
  }
  return people;
}

/** Users the file does not list but names elsewhere (a delta's enrollments): the person of their earlier mapping. */
export async function mappedPeople(trx: Trx, importer: string, sourcedIds: readonly string[]): Promise<Map<string, string>> {
  const people = new Map<string, string>();
  for (const chunk of chunks(sourcedIds)) {
    const sources = await readSources(trx, importer, 'user', chunk);
    if (sources.size === 0) continue;
    const accounts = new Map((await trx.selectFrom('accounts').select(['id', 'person_id'])
      .where('id', 'in', [...new Set([...sources.values()].map((s) => s.entityId))]).execute()).map((a) => [a.id, a.person_id]));
    for (const s of sources.values()) {
      const personId = accounts.get(s.entityId);
      if (personId) people.set(s.sourcedId, personId);
    }
  }
  return people;
}

/**
 * Maps the file's users to their accounts, counting each as created (its account made by this
 * import), updated (its row changed since this importer last read it) or unchanged (the rest: a
 * person who had an account already, first seen by this importer, is not "created").
 */
export async function recordUsers(trx: Trx, importer: string, users: readonly { row: UserRow; accountId: string; newAccount: boolean }[], counts: Counts): Promise<void> {
  const sources = await readSources(trx, importer, 'user', users.map((u) => u.row.sourcedId));
  const changed = [];
  for (const { row, accountId, newAccount } of users) {
    const before = sources.get(row.sourcedId);
    if (before && before.entityId === accountId && before.hash === row.hash) { counts.unchanged++; continue; }
    if (newAccount) counts.created++; else if (before) counts.updated++; else counts.unchanged++;
    changed.push({ sourcedId: row.sourcedId, entityId: accountId, hash: row.hash });
  }
  await writeSources(trx, importer, 'user', changed);
}

/**
 * The file's email addresses, for people with none on record and wholly the importer's, as
 * the CSV import does (import.ts says why); unproven until a link sent to it is used.
 */
export async function emailsOnRecord(trx: Trx, scope: Scope, users: readonly UserRow[], people: ReadonlyMap<string, string>): Promise<void> {
  const withEmail = users.filter((u) => u.email !== undefined && people.has(u.sourcedId));
  for (const chunk of chunks(withEmail)) {
    await sql`update accounts a set email = v.email, email_verified_at = null
      from unnest(${chunk.map((u) => people.get(u.sourcedId)!)}::uuid[], ${chunk.map((u) => u.email!)}::text[]) as v(person_id, email)
      where a.person_id = v.person_id and a.email is null and ${actsOnAccount(scope, sql.ref('a.id'))}`.execute(trx);
  }
}
