/**
 * An account's identification question and its answer (F19; seed 3 lets a parent "identify in
 * the system when needed" with it). The answer is normalized (domain/identification-answer.ts)
 * and hashed with argon2id like a password, never stored or shown as typed. The only place
 * that knows the `identification_answers` table.
 */
import type { Db } from '../db/database.ts';
import { answerForms, isIdentificationQuestion, normalizeAnswer, type IdentificationQuestion } from '../domain/identification-answer.ts';
import type { Executor } from './audit.ts';
import type { PasswordHasher } from './passwords.ts';

/** The hash to store for an answer (hashing runs off the event loop: do it before a transaction). */
export const hashIdentificationAnswer = (hasher: PasswordHasher, answer: string): Promise<string> => hasher.hash(normalizeAnswer(answer));

/** Sets (or replaces) the account's question and answer, in the caller's transaction. */
export async function saveIdentificationAnswer(db: Executor, accountId: string, question: IdentificationQuestion, answerHash: string, now: Date): Promise<void> {
  await db.insertInto('identification_answers').values({ account_id: accountId, question, answer_hash: answerHash, set_at: now })
    .onConflict((oc) => oc.column('account_id').doUpdateSet({ question, answer_hash: answerHash, set_at: now })).execute();
}

/** The question the account chose, to ask it; undefined when it chose none. */
export async function identificationQuestion(db: Db, accountId: string): Promise<IdentificationQuestion | undefined> {
  const row = await db.selectFrom('identification_answers').select('question').where('account_id', '=', accountId).executeTakeFirst();
  return row && isIdentificationQuestion(row.question) ? row.question : undefined;
}

/**
 * Whether `answer` is the account's answer. An account with no answer on record spends the
 * same hashing time and answers false, so the time says nothing about who chose a question.
 * Tries are the caller's to count (as for a password: identity/rate-limits.ts).
 */
export async function checkIdentificationAnswer(db: Db, hasher: PasswordHasher, accountId: string, answer: string): Promise<boolean> {
  const row = await db.selectFrom('identification_answers').select('answer_hash').where('account_id', '=', accountId).executeTakeFirst();
  // Each form is hashed whether or not there is an answer on record: the same work either way.
  const forms = answerForms(answer);
  if (!row || forms[0] === '') {
    for (const form of forms) await hasher.verifyNothing(form);
    return false;
  }
  for (const form of forms) if ((await hasher.check(row.answer_hash, form)).valid) return true;
  return false;
}
