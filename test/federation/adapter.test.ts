// oidc-provider's models in PostgreSQL (src/federation/adapter.ts), on PGlite and PostgreSQL:
// what is stored is found until it expires, consumed models say so, a grant's family goes at
// once, sessions are found by uid, expired rows are cleaned up, ids that could never have been
// stored (NUL, lone surrogates) are simply not found.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { deleteExpiredModels, postgresAdapter } from '../../src/federation/adapter.ts';
import { databaseKinds, openTestDatabase } from '../helpers/app.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';

for (const kind of databaseKinds) {
  describe(`OpenID adapter on ${kind}`, () => {
    let handle: DatabaseHandle;
    let close: () => Promise<void>;
    let Adapter: ReturnType<typeof postgresAdapter>;
    before(async () => {
      ({ handle, close } = await openTestDatabase(kind));
      Adapter = postgresAdapter(handle.db, async (id) => (id === 'known-app' ? { client_id: id } : undefined));
    });
    after(() => close());

    test('upsert, find, consume, destroy; a model of one kind is not found as another', async () => {
      const codes = new Adapter('AuthorizationCode');
      await codes.upsert('c1', { accountId: 'a1', grantId: 'g1' }, 60);
      assert.deepEqual(await codes.find('c1'), { accountId: 'a1', grantId: 'g1' });
      assert.equal(await new Adapter('AccessToken').find('c1'), undefined);
      await codes.upsert('c1', { accountId: 'a2', grantId: 'g1' }, 60);
      assert.equal((await codes.find('c1'))?.accountId, 'a2', 'an upsert replaces');
      await codes.consume('c1');
      assert.ok(typeof (await codes.find('c1'))?.consumed === 'number', 'consumed says when');
      await codes.destroy('c1');
      assert.equal(await codes.find('c1'), undefined);
    });

    test('a code or refresh token is spent once: of two requests that found it unspent, one spends it; the other is refused and its family revoked', async () => {
      for (const [model, racing] of [['AuthorizationCode', true], ['RefreshToken', true], ['RefreshToken', false]] as const) {
        const grant = `g-race-${model}-${racing}`;
        await new Adapter('Grant').upsert(grant, { accountId: 'a' }, 600);
        await new Adapter('AccessToken').upsert(`at-${grant}`, { grantId: grant }, 600);
        await new Adapter('AccessToken').upsert(`at-other-${grant}`, { grantId: 'other-grant' }, 600);
        const tokens = new Adapter(model);
        await tokens.upsert(`t-${grant}`, { grantId: grant }, 600);
        // Both found it unspent (the provider checks `consumed` on what it found, then consumes).
        assert.equal((await tokens.find(`t-${grant}`))?.consumed, undefined);
        const results = racing
          ? await Promise.allSettled([tokens.consume(`t-${grant}`), new Adapter(model).consume(`t-${grant}`)])
          : [...await Promise.allSettled([tokens.consume(`t-${grant}`)]), ...await Promise.allSettled([tokens.consume(`t-${grant}`)])];
        assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected'], `${model}: one spends it`);
        const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
        assert.equal(refused.reason.name, 'InvalidGrant');
        assert.equal(refused.reason.message, 'invalid_grant');
        for (const [kind, id] of [['Grant', grant], ['AccessToken', `at-${grant}`], [model, `t-${grant}`]]) {
          assert.equal(await new Adapter(kind!).find(id!), undefined, `${kind} of the family is revoked`);
        }
        assert.ok(await new Adapter('AccessToken').find(`at-other-${grant}`), 'another grant stays');
      }
      // A token revoked meanwhile (gone) is not spent either.
      await assert.rejects(new Adapter('RefreshToken').consume('never-stored'), (error: Error) => error.name === 'InvalidGrant');
    });

    test('revoking a grant removes every model of its family at once', async () => {
      await new Adapter('Grant').upsert('g2', { accountId: 'a' }, 600);
      await new Adapter('AccessToken').upsert('at2', { grantId: 'g2' }, 600);
      await new Adapter('RefreshToken').upsert('rt2', { grantId: 'g2' }, 600);
      await new Adapter('AccessToken').upsert('at3', { grantId: 'other' }, 600);
      await new Adapter('RefreshToken').revokeByGrantId('g2');
      assert.equal(await new Adapter('AccessToken').find('at2'), undefined);
      assert.equal(await new Adapter('RefreshToken').find('rt2'), undefined);
      assert.ok(await new Adapter('AccessToken').find('at3'), 'another grant stays');
    });

    test('sessions by uid; clients from the clients table, read-only', async () => {
      const sessions = new Adapter('Session');
      await sessions.upsert('s-jti', { uid: 'u-1', accountId: 'a' }, 600);
      assert.equal((await sessions.findByUid('u-1'))?.accountId, 'a');
      assert.deepEqual(await new Adapter('Client').find('known-app'), { client_id: 'known-app' });
      assert.equal(await new Adapter('Client').find('unknown-app'), undefined);
    });

    test('expired models are not found, and the clean-up removes them', async () => {
      const tokens = new Adapter('AccessToken');
      await tokens.upsert('short', { grantId: 'g' }, 1);
      await handle.db.updateTable('oidc_models').set({ expires_at: new Date(Date.now() - 120_000) }).where('id', '=', 'short').execute();
      assert.equal(await tokens.find('short'), undefined);
      assert.ok(await deleteExpiredModels(handle.db, new Date()) >= 1);
      assert.equal(await handle.db.selectFrom('oidc_models').select('id').where('id', '=', 'short').executeTakeFirst(), undefined);
    });

    test('many requests at once: each finds, saves and consumes its own, and a payload PostgreSQL refuses fails only its own save', async () => {
      const ids = Array.from({ length: 40 }, (_, i) => `many-${i}`);
      const models = ['AccessToken', 'RefreshToken', 'Session', 'Grant'];
      const modelOf = (i: number) => models[i % models.length]!;
      const saves = ids.map((id, i) => new Adapter(modelOf(i)).upsert(id, { n: i, uid: `uid-${id}` }, 600));
      // Among them, a payload PostgreSQL refuses (jsonb has no NUL): it shares a statement with others.
      const refused = assert.rejects(new Adapter('AccessToken').upsert('refused', { text: 'a\u0000b' }, 600));
      const alongside = new Adapter('AccessToken').upsert('alongside', { text: 'fine' }, 600);
      await Promise.all([...saves, refused, alongside]);
      // The same model saved twice at once: it ends as one of the two saves, whole.
      await Promise.all([new Adapter('Session').upsert('many-2', { n: 'a', uid: 'uid-many-2' }, 600), new Adapter('Session').upsert('many-2', { n: 'b', uid: 'uid-many-2' }, 600)]);
      const found = await Promise.all(ids.map((id, i) => new Adapter(modelOf(i)).find(id)));
      assert.deepEqual(found.map((p) => p?.n), ids.map((_, i) => (i === 2 ? found[2]?.n : i)));
      assert.ok(['a', 'b'].includes(String(found[2]?.n)));
      assert.deepEqual(await Promise.all(ids.map((id, i) => new Adapter(modelOf(i)).findByUid(`uid-${id}`).then((p) => p?.uid))), ids.map((id) => `uid-${id}`));
      assert.equal(await new Adapter('Grant').find('many-0'), undefined, 'an id of one model is not found as another');
      assert.equal((await new Adapter('AccessToken').find('alongside'))?.text, 'fine');
      await Promise.all(ids.slice(0, 20).map((id, i) => new Adapter(modelOf(i)).consume(id)));
      const after = await Promise.all(ids.map((id, i) => new Adapter(modelOf(i)).find(id)));
      assert.deepEqual(after.map((p) => typeof p?.consumed === 'number'), ids.map((_, i) => i < 20));
    });

    test('a token brings its grant and session to the same request\'s next lookup of each, once; another request reads them afresh', async () => {
      let request: object | undefined;
      const Along = postgresAdapter(handle.db, async () => undefined, () => request);
      await new Along('Grant').upsert('g-along', { accountId: 'a', n: 1 }, 600);
      await new Along('Session').upsert('s-along', { uid: 'u-along', accountId: 'a' }, 600);
      await new Along('RefreshToken').upsert('rt-along', { grantId: 'g-along', sessionUid: 'u-along', accountId: 'a' }, 600);
      const first = {};
      request = first;
      assert.equal((await new Along('RefreshToken').find('rt-along'))?.accountId, 'a');
      // Changed behind the request's back after the token was read: the request goes on with what it read with the token.
      await handle.db.deleteFrom('oidc_models').where('id', 'in', ['g-along', 's-along']).execute();
      assert.equal((await new Along('Grant').find('g-along'))?.n, 1);
      assert.equal((await new Along('Session').findByUid('u-along'))?.accountId, 'a');
      assert.equal(await new Along('Grant').find('g-along'), undefined, 'once: a second lookup reads the database');
      assert.equal(await new Along('Session').findByUid('u-along'), undefined);

      await new Along('Grant').upsert('g-along', { accountId: 'a', n: 2 }, 600);
      await new Along('RefreshToken').find('rt-along');
      request = {};
      assert.equal((await new Along('Grant').find('g-along'))?.n, 2, 'another request: from the database');
      await handle.db.updateTable('oidc_models').set({ payload: JSON.stringify({ accountId: 'a', n: 3 }) }).where('id', '=', 'g-along').execute();
      request = first;
      await new Along('AccessToken').upsert('at-along', { grantId: 'g-along' }, 600);
      assert.equal((await new Along('Grant').find('g-along'))?.n, 3, 'a request that saved a model reads afresh');
      request = undefined;
      await new Along('RefreshToken').find('rt-along');
      assert.equal((await new Along('Grant').find('g-along'))?.n, 3, 'outside a request: from the database');
    });

    test('a session found by id brings the grants of the apps it signed in to, for the same request', async () => {
      let request: object | undefined = {};
      const Along = postgresAdapter(handle.db, async () => undefined, () => request);
      await new Along('Grant').upsert('g-app-1', { accountId: 'a', n: 1 }, 600);
      await new Along('Session').upsert('s-apps', { uid: 'u-apps', authorizations: { 'app-1': { grantId: 'g-app-1' }, 'app-2': { grantId: 'g-gone' } } }, 600);
      request = {};
      assert.ok(await new Along('Session').find('s-apps'));
      await handle.db.deleteFrom('oidc_models').where('id', '=', 'g-app-1').execute();
      assert.equal((await new Along('Grant').find('g-app-1'))?.n, 1);
      assert.equal(await new Along('Grant').find('g-gone'), undefined);
      request = {};
      assert.equal(await new Along('Grant').find('g-app-1'), undefined, 'another request: from the database');
    });

    test('an id that could never have been stored is simply not found, never a database error', async () => {
      const tokens = new Adapter('AccessToken');
      for (const id of ['a\u0000b', '\ud800', 'x'.repeat(5000)]) {
        assert.equal(await tokens.find(id), undefined);
        assert.equal(await tokens.findByUid(id), undefined);
        await assert.rejects(tokens.consume(id), (error: Error) => error.name === 'InvalidGrant');
        await tokens.destroy(id);
        await tokens.revokeByGrantId(id);
        assert.equal(await new Adapter('Client').find(id), undefined);
      }
    });
  });
}
