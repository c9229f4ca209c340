// The account and its claims read for the provider (src/federation/claims.ts readAccount), on
// PGlite and PostgreSQL: requests at the same time share statements, and each still gets its
// own person, the role chosen for its own grant, and nothing for a disabled or unknown account.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { recordActing } from '../../src/federation/acting.ts';
import { claimsFrom, readAccount } from '../../src/federation/claims.ts';
import type { PasswordHasher } from '../../src/identity/passwords.ts';
import { databaseKinds, openTestDatabase } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor } from '../helpers/fixtures.ts';

const hasher = { hash: async () => 'not a password hash' } as unknown as PasswordHasher;
const scopes = new Set(['openid', 'profile', 'roles']);

for (const kind of databaseKinds) {
  describe(`Claims read for the provider on ${kind}`, () => {
    let handle: DatabaseHandle;
    let close: () => Promise<void>;
    before(async () => {
      ({ handle, close } = await openTestDatabase(kind));
    });
    after(() => close());

    test('many at once: each gets its own person and the role chosen for its own grant; a disabled or unknown account gets nothing', async () => {
      const tree = await createTree(handle.db);
      const people = await Promise.all(Array.from({ length: 8 }, async (_, i) => {
        const account = await createAccount(handle.db, hasher, {
          nationalId: nationalIdFor(900 + i), password: 'unused', firstName: `نام${i}`, status: i === 5 ? 'disabled' : 'active',
          memberships: [{ organizationId: tree.schoolA, role: 'teacher' }, { organizationId: tree.schoolB, role: i % 2 === 0 ? 'teacher' : 'principal' }],
        });
        const grantId = `grant-${i}-${randomUUID()}`;
        // Half chose their first membership for this app, half their second.
        await recordActing(handle.db, grantId, account.accountId, account.membershipIds[i % 2]!, randomUUID());
        return { ...account, grantId, i };
      }));
      const deps = { db: handle.db, today: '2025-11-20', defaultLocale: 'fa' };

      const [read, unknown] = await Promise.all([
        Promise.all(people.map((p) => readAccount(deps, p.accountId, scopes, p.grantId))),
        readAccount(deps, randomUUID(), scopes, undefined),
      ]);
      assert.equal(unknown, undefined);
      for (const person of people) {
        const source = read[person.i];
        if (person.i === 5) {
          assert.equal(source, undefined, 'a disabled account');
          continue;
        }
        assert.ok(source);
        const claims = claimsFrom(source, scopes, 'fa');
        assert.equal(claims.given_name, `نام${person.i}`);
        assert.equal((claims.roles as unknown[]).length, 2);
        const chosen = person.i % 2 === 0 ? tree.schoolA : tree.schoolB;
        assert.deepEqual(claims.acting_as, { role: person.i % 2 === 0 ? 'teacher' : 'principal', organization: person.i % 2 === 0 ? 'دبستان الف' : 'دبیرستان ب', organization_id: chosen });
      }
      // Without a grant: no role chosen, the rest the same.
      const alone = await readAccount(deps, people[0]!.accountId, scopes, undefined);
      assert.ok(alone);
      assert.equal(claimsFrom(alone, scopes, 'fa').acting_as, undefined);
    });
  });
}
