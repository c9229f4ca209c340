// The provider's signing keys (issue 10): made on first start, sealed in the database,
// published at jwks_uri; `keys rotate` publishes new ones first, signs with them from their
// activation, and keeps the old ones published until what they signed has expired, so tokens
// signed by the old key still verify.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as jose from 'jose';
import { openDatabase } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { deleteExpiredKeys, ensureSigningKeys, KEY_ACTIVATION_SECONDS, KEY_REFRESH_SECONDS, KEY_RETENTION_SECONDS, loadKeySet, rotateSigningKeys } from '../../src/federation/keys.ts';
import { deriveKeys } from '../../src/secrets.ts';
import { databaseKinds, startListeningApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor } from '../helpers/fixtures.ts';
import { createTestDatabase } from '../helpers/postgres.ts';
import { authorizationRequest, authorize, configFor, cookieBrowser, exchange, registerClient, type TestClient } from '../helpers/oidc.ts';

for (const kind of databaseKinds) {
  describe(`signing keys on ${kind}`, () => {
    let t: TestApp & { baseUrl: string };
    let app: TestClient;
    const person = { identifier: nationalIdFor(5301), password: 'Sahar-Mehr-1404!' };
    before(async () => {
      t = await startListeningApp(kind);
      const tree = await createTree(t.handle.db);
      await createAccount(t.handle.db, t.hasher, { nationalId: person.identifier, password: person.password, memberships: [{ organizationId: tree.schoolA, role: 'teacher' }] });
      app = await registerClient(t, { clientId: 'keys-app' });
    });
    after(() => t.close());

    const idToken = async () => {
      const config = await configFor(t.baseUrl, app);
      const request = await authorizationRequest(config);
      return (await exchange(config, await authorize(cookieBrowser(), request, person), request)).id_token!;
    };
    const published = async () => ((await (await fetch(`${t.baseUrl}/oidc/jwks`)).json()) as { keys: { kid: string; d?: string }[] }).keys;

    test('keys are made on first start and stored sealed; only public halves are published', async () => {
      const rows = await t.handle.db.selectFrom('oidc_keys').select(['kid', 'alg', 'private_jwk']).execute();
      assert.deepEqual(rows.map((r) => r.alg).sort(), ['ES256', 'RS256']);
      assert.ok(rows.every((r) => !r.private_jwk.includes('"d"')), 'the private key is not stored in clear');
      const keys = await published();
      assert.deepEqual(keys.map((k) => k.kid).sort(), rows.map((r) => r.kid).sort());
      assert.ok(keys.every((k) => k.d === undefined));
    });

    test('rotation: the new key is published at once and signs from its activation; the old one still verifies what it signed, then goes', async () => {
      const before = await idToken();
      const oldKid = jose.decodeProtectedHeader(before).kid!;
      const rotated = await rotateSigningKeys(t.handle.db, deriveKeys(t.config.secret!).secretBox, t.clock.now());
      t.clock.advance(KEY_REFRESH_SECONDS * 1000 + 1);
      const pending = await published();
      assert.ok(rotated.kids.every((kid) => pending.some((k) => k.kid === kid)), 'published before it signs');
      assert.equal(jose.decodeProtectedHeader(await idToken()).kid, oldKid, 'not signing yet');
      t.clock.advance(KEY_ACTIVATION_SECONDS * 1000);
      const after = await idToken();
      assert.ok(rotated.kids.includes(jose.decodeProtectedHeader(after).kid!), 'the new key signs');
      const jwks = jose.createRemoteJWKSet(new URL(`${t.baseUrl}/oidc/jwks`));
      await jose.jwtVerify(before, jwks, { issuer: `${t.baseUrl}/oidc`, audience: 'keys-app', currentDate: new Date(jose.decodeJwt(before).iat! * 1000) });
      await jose.jwtVerify(after, jwks, { issuer: `${t.baseUrl}/oidc`, audience: 'keys-app' });
      assert.ok((await published()).some((k) => k.kid === oldKid), 'the old key is still published');
      t.clock.advance(KEY_RETENTION_SECONDS * 1000 + 1);
      assert.equal(await deleteExpiredKeys(t.handle.db, t.clock.now()), 2);
      t.clock.advance(KEY_REFRESH_SECONDS * 1000 + 1);
      assert.ok(!(await published()).some((k) => k.kid === oldKid), 'past the retention it is gone');
    });
  });

  describe(`keys sealed under another secret than the server's, on ${kind}`, () => {
    let t: TestApp & { baseUrl: string };
    const errors: { msg: string; kids?: string[] }[] = [];
    before(async () => {
      const stream = { write: (line: string) => { const entry = JSON.parse(line) as { level: number; msg: string; kids?: string[] }; if (entry.level >= 50) errors.push(entry); } };
      t = await startListeningApp(kind, {}, { logger: { level: 'info', stream } });
    });
    after(() => t.close());

    test('a rotation under a wrong secret (keys rotate --new-secret mistyped) is logged as an error at every reload, naming the kids, while the old key goes on signing', async () => {
      const app = await registerClient(t, { clientId: 'wrong-secret-app' });
      const person = { identifier: nationalIdFor(5302), password: 'Sahar-Mehr-1404!' };
      const tree = await createTree(t.handle.db);
      await createAccount(t.handle.db, t.hasher, { nationalId: person.identifier, password: person.password, memberships: [{ organizationId: tree.schoolA, role: 'teacher' }] });
      const idToken = async () => {
        const config = await configFor(t.baseUrl, app);
        const request = await authorizationRequest(config);
        return (await exchange(config, await authorize(cookieBrowser(), request, person), request)).id_token!;
      };
      const oldKid = jose.decodeProtectedHeader(await idToken()).kid!;
      const wrong = await rotateSigningKeys(t.handle.db, deriveKeys('a-mistyped-secret-'.padEnd(48, 'q')).secretBox, t.clock.now());
      assert.equal(errors.length, 0);
      t.clock.advance(KEY_REFRESH_SECONDS * 1000 + 1);
      await fetch(`${t.baseUrl}/oidc/jwks`);
      assert.equal(errors.length, 1, 'said at the reload');
      assert.deepEqual(errors[0]!.kids!.sort(), wrong.kids.sort());
      assert.match(errors[0]!.msg, /KELID_SECRET cannot open.*keys rotate --new-secret/);
      t.clock.advance(KEY_ACTIVATION_SECONDS * 1000);
      assert.equal(jose.decodeProtectedHeader(await idToken()).kid, oldKid, 'the retired key, the only one it can open, still signs');
      assert.equal(errors.length, 2, 'and said again at the next reload, not once only');
    });
  });
}

test('the keys said unopened are those a wrong secret sealed, not the old secret\'s that a change on purpose is retiring', async () => {
  const database = await createTestDatabase();
  const handle = await openDatabase({ databaseUrl: database.url, dataDir: '', poolSize: 2 });
  try {
    await migrate(handle);
    const box = (name: string) => deriveKeys(`${name}-`.padEnd(48, 'k')).secretBox;
    const now = new Date();
    await ensureSigningKeys(handle.db, box('old'), now);
    await rotateSigningKeys(handle.db, box('new'), now);
    for (const at of [now, new Date(now.getTime() + KEY_ACTIVATION_SECONDS * 1000 + 1)]) {
      assert.deepEqual((await loadKeySet(handle.db, box('new'), at)).unopened, [], `a server given the new secret, ${at === now ? 'before' : 'after'} the activation`);
    }
    const wrong = await rotateSigningKeys(handle.db, box('typo'), now);
    assert.deepEqual((await loadKeySet(handle.db, box('new'), now)).unopened.sort(), wrong.kids.sort());
  } finally {
    await handle.close();
    await database.drop();
  }
});
