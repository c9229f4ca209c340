// Set password from an emailed link (F19) in tests: the messages of the dev outbox, the newest
// link sent to an address, and a person invited by a school (no password of their own yet).
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../src/db/database.ts';
import type { Role } from '../../src/db/schema.ts';
import { newUserCode } from '../../src/identity/accounts.ts';

export type Outboxed = { id: string; to: string; template: string; text: string; createdAt: string };

export const outbox = async (app: FastifyInstance): Promise<Outboxed[]> => (await app.inject('/dev/outbox.json')).json();

/** The newest message of `template` to `to`, if any. */
export async function newestTo(app: FastifyInstance, to: string, template: string): Promise<Outboxed | undefined> {
  return (await outbox(app)).find((m) => m.to === to && m.template === template);
}

/** The link of the newest set-password email to `to`: its URL and token. */
export async function linkFor(app: FastifyInstance, to: string): Promise<{ url: string; token: string; path: string }> {
  const message = await newestTo(app, to, 'invitation.email');
  assert.ok(message, `a set-password email went to ${to}`);
  const match = /(https?:\/\/\S+\/set-password\?token=([A-Za-z0-9_-]{43}))/.exec(message.text);
  assert.ok(match, 'the email holds the link');
  const url = match[1]!;
  return { url, token: match[2]!, path: new URL(url).pathname + new URL(url).search };
}

/** A person appointed at a school by an import or the console: an account with an address, no password yet. */
export async function invitedPerson(db: Db, input: {
  nationalId: string; email: string | null; organizationId: string; role?: Role; firstName?: string; lastName?: string; withPassword?: string; hash?: (p: string) => Promise<string>;
}) {
  const person = await db.insertInto('people').values({
    national_id: input.nationalId, first_name: input.firstName ?? 'نرگس', last_name: input.lastName ?? 'امینی', birth_date: '1985-03-01',
  }).returning('id').executeTakeFirstOrThrow();
  const userCode = newUserCode();
  const account = await db.insertInto('accounts').values({ person_id: person.id, user_code: userCode, status: 'active', email: input.email })
    .returning('id').executeTakeFirstOrThrow();
  if (input.withPassword && input.hash) await db.insertInto('credentials').values({ account_id: account.id, password_hash: await input.hash(input.withPassword) }).execute();
  await db.insertInto('memberships').values({ account_id: account.id, organization_id: input.organizationId, role: input.role ?? 'father', starts_on: '2025-09-23', ends_on: '2026-09-22' }).execute();
  return { accountId: account.id, userCode, personId: person.id };
}
