// User codes are random (31^8): at national scale a newly drawn code that is already taken is
// expected (once in ~85,000 new accounts at 10 million). Every place that makes an account
// goes through ensureAccounts or withFreshCode, which draw again; before, a taken code failed
// the whole import, registration or support request (a 100,000-user OneRoster import hit one).
// The codes are chosen here (the functions' `drawCode`), on PGlite and on PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { ensureAccounts, newUserCode, withFreshCode } from '../../src/identity/accounts.ts';
import { insertRequest } from '../../src/support/store.ts';
import { databaseKinds, openTestDatabase } from '../helpers/app.ts';
import { createTree, nationalIdFor } from '../helpers/fixtures.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';

/** Draws `codes` in order, then random ones; counts the draws. */
function scripted(codes: string[]) {
  const queue = [...codes];
  const drawn: string[] = [];
  return { drawn, draw: () => { const code = queue.shift() ?? newUserCode(); drawn.push(code); return code; } };
}

for (const kind of databaseKinds) {
  describe(`taken user codes are drawn again (${kind})`, () => {
    let database: { handle: DatabaseHandle; close(): Promise<void> };
    let serial = 0;
    before(async () => { database = await openTestDatabase(kind); });
    after(() => database.close());

    const newPeople = async (count: number) => {
      const rows = await database.handle.db.insertInto('people')
        .values(Array.from({ length: count }, () => ({ national_id: nationalIdFor(700_000 + serial++), first_name: 'سارا', last_name: 'کریمی', birth_date: '2010-01-01' })))
        .returning('id').execute();
      return rows.map((r) => r.id);
    };
    const codeOf = async (personId: string) =>
      (await database.handle.db.selectFrom('accounts').select('user_code').where('person_id', '=', personId).executeTakeFirstOrThrow()).user_code;

    test('accounts has the unique keys ensureAccounts knows of (its ON CONFLICT DO NOTHING has no target: a new one must be thought through there)', async () => {
      const { rows } = await sql<{ indexname: string }>`select indexname from pg_indexes where tablename = 'accounts' and indexdef like 'CREATE UNIQUE%' order by indexname`.execute(database.handle.db);
      assert.deepEqual(rows.map((r) => r.indexname), ['accounts_person_id_key', 'accounts_pkey', 'accounts_user_code_key']);
    });

    test('a batch whose codes collide with an existing account and with each other: everyone gets an account, each code once', async () => {
      const [owner] = await newPeople(1);
      const taken = (await ensureAccounts(database.handle.db, [owner!])).accounts;
      const takenCode = await codeOf(owner!);
      assert.ok(taken.has(owner!));
      const people = await newPeople(4);
      // Person 0 draws the owner's code; persons 1 and 2 draw the same code; 3 a free one.
      const codes = scripted([takenCode, 'SAMECOD2', 'SAMECOD2', 'FREECOD3']);
      const { accounts, created } = await ensureAccounts(database.handle.db, people, codes.draw);
      assert.equal(accounts.size, 4);
      assert.deepEqual([...created].sort(), [...people].sort());
      const got = await Promise.all(people.map(codeOf));
      assert.equal(new Set([...got, takenCode]).size, 5, 'five distinct codes');
      assert.ok(codes.drawn.length === 6, `two were drawn again: ${codes.drawn.join(' ')}`);
      assert.equal(await codeOf(owner!), takenCode, 'the owner keeps theirs');
    });

    test('someone who already has an account keeps it, is not counted as created, and draws nothing again', async () => {
      const [has, hasNot] = await newPeople(2);
      const first = await ensureAccounts(database.handle.db, [has!]);
      const codes = scripted([]);
      const { accounts, created } = await ensureAccounts(database.handle.db, [has!, hasNot!, hasNot!], codes.draw);
      assert.equal(accounts.get(has!), first.accounts.get(has!));
      assert.deepEqual([...created], [hasNot]);
      assert.equal(codes.drawn.length, 2, 'one round: both drawn once');
    });

    test('codes that stay taken end in an error after five draws, with nothing written', async () => {
      const [owner] = await newPeople(1);
      await ensureAccounts(database.handle.db, [owner!]);
      const takenCode = await codeOf(owner!);
      const [unlucky] = await newPeople(1);
      await assert.rejects(database.handle.db.transaction().execute((trx) => ensureAccounts(trx, [unlucky!], () => takenCode)), /no free user code in 5 draws/);
      assert.equal(await database.handle.db.selectFrom('accounts').select('id').where('person_id', '=', unlucky!).executeTakeFirst(), undefined);
      const attempts: string[] = [];
      await assert.rejects(withFreshCode(async (code) => { attempts.push(code); return undefined; }, () => takenCode), /no free code in 5 draws/);
      assert.equal(attempts.length, 5);
    });

    test('a support request whose reference is taken is stored under a new one', async () => {
      const tree = await createTree(database.handle.db);
      const row = (reference: string) => ({
        reference, accountId: null, membershipId: null, organizationId: tree.schoolA, category: 'other' as const,
        subject: 'ورود', text: 'رمز را فراموش کرده‌ام', from: null, contact: { channel: 'sms' as const, to: '+989121112233' }, locale: 'fa', now: new Date(),
      });
      const firstId = await insertRequest(database.handle.db, row('ABCD-EFGH'), null);
      assert.ok(firstId);
      const codes = scripted(['ABCDEFGH', 'ZXCVBNMQ']);
      const stored = await withFreshCode(async (code) => {
        const reference = `${code.slice(0, 4)}-${code.slice(4)}`;
        const id = await insertRequest(database.handle.db, row(reference), null);
        return id === undefined ? undefined : { id, reference };
      }, codes.draw);
      assert.equal(stored.reference, 'ZXCV-BNMQ');
      assert.notEqual(stored.id, firstId);
    });
  });
}
