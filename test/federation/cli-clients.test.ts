// `npm run kelid -- clients …` and `keys rotate` as an operator runs them: real processes
// against a real database. A secret is printed once and stored only as an HMAC; every change
// is audited; bad input is one clear line and exit code 1, a wrong flag or a missing CLIENT_ID
// the usage and exit code 2 (test/cli.test.ts: before any database is opened).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { clientSecretKey, clientSecretMatches } from '../../src/federation/client-secrets.ts';
import { deriveKeys } from '../../src/secrets.ts';
import { kelidTestEnv } from '../helpers/kelid-process.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';

const exec = promisify(execFile);
const cli = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
const SECRET = 'cli-clients-secret-'.padEnd(48, 'x');

describe('the clients and keys commands', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  const kelidWith = async (secret: string, ...args: string[]) => {
    try {
      const { stdout, stderr } = await exec(process.execPath, [cli, ...args], { env: { ...process.env, DATABASE_URL: database.url, KELID_SECRET: secret }, encoding: 'utf8' });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };
  const kelid = (...args: string[]) => kelidWith(SECRET, ...args);
  before(async () => {
    database = await createTestDatabase();
    handle = await openDatabase({ databaseUrl: database.url, dataDir: '', poolSize: 2 });
  });
  after(async () => { await handle.close(); await database.drop(); });

  test('add prints the secret once and stores its HMAC; list shows the app; rotate replaces it; remove removes it; all audited', async () => {
    const added = await kelid('clients', 'add', 'grades-app', '--name', 'Grades', '--redirect-uri', 'https://grades.example.org/callback',
      '--post-logout-uri', 'https://grades.example.org/', '--roles', 'teacher,principal', '--scope', 'openid profile roles');
    assert.equal(added.code, 0, added.stderr);
    const secret = /Client secret \(shown once.*\): (\S+)/.exec(added.stdout)?.[1];
    assert.ok(secret && secret.length >= 40);
    const row = await handle.db.selectFrom('oidc_clients').selectAll().where('client_id', '=', 'grades-app').executeTakeFirstOrThrow();
    assert.notEqual(row.secret_hmac, secret);
    assert.ok(clientSecretMatches(clientSecretKey(deriveKeys(SECRET).federation), row.secret_hmac!, secret));
    assert.deepEqual(row.roles, ['teacher', 'principal']);
    const listed = await kelid('clients', 'list');
    assert.match(listed.stdout, /grades-app\s+first-party\s+confidential\s+Grades/);
    assert.doesNotMatch(listed.stdout, new RegExp(secret), 'the secret is never listed');
    const rotated = await kelid('clients', 'rotate-secret', 'grades-app');
    const next = /: (\S+)$/m.exec(rotated.stdout)?.[1];
    assert.ok(next && next !== secret);
    const after = await handle.db.selectFrom('oidc_clients').select('secret_hmac').where('client_id', '=', 'grades-app').executeTakeFirstOrThrow();
    assert.ok(!clientSecretMatches(clientSecretKey(deriveKeys(SECRET).federation), after.secret_hmac!, secret), 'the old secret no longer matches');
    assert.equal((await kelid('clients', 'remove', 'grades-app')).code, 0);
    assert.equal(await handle.db.selectFrom('oidc_clients').select('client_id').where('client_id', '=', 'grades-app').executeTakeFirst(), undefined);
    const events = await handle.db.selectFrom('audit_events').select('type').where('type', 'like', 'client.%').orderBy('id').execute();
    assert.deepEqual(events.map((e) => e.type), ['client.added', 'client.secret_rotated', 'client.removed']);
  });

  test('bad input is one line naming the problem, exit 1, nothing written', async () => {
    for (const args of [
      ['clients', 'add', 'Bad Id!', '--name', 'x', '--redirect-uri', 'https://a.example/cb'],
      ['clients', 'add', 'app-x', '--name', 'x', '--redirect-uri', 'http://evil.example/cb'],
      ['clients', 'add', 'app-y', '--name', 'x', '--redirect-uri', 'javascript:alert(1)'],
      ['clients', 'add', 'app-z', '--name', 'x', '--redirect-uri', 'https://a.example/cb#frag'],
      ['clients', 'add', 'app-w', '--name', 'x', '--grant', 'password'],
      ['clients', 'add', 'app-v', '--name', 'x', '--redirect-uri', 'https://a.example/cb', '--roles', 'emperor'],
      ['clients', 'remove', 'nobody'],
      ['clients', 'rotate-secret', 'nobody'],
      ['clients', 'update', 'nobody', '--name', 'x'],
    ]) {
      const result = await kelid(...args);
      assert.equal(result.code, 1, `${args.join(' ')}: ${result.stdout}${result.stderr}`);
      assert.match(result.stderr, /^kelid: /);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    }
    for (const args of [['clients', 'add', 'app-u', '--bogus'], ['clients', 'update']]) {
      const result = await kelid(...args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stdout}${result.stderr}`);
      assert.match(result.stderr, /^kelid: .*\n\nUsage: /);
    }
    const count = await handle.db.selectFrom('oidc_clients').select('client_id').execute();
    assert.deepEqual(count, []);
  });

  test('update changes what is given and keeps the rest; a bad value or two contrary flags change nothing', async () => {
    assert.equal((await kelid('clients', 'add', 'marks-app', '--name', 'Marks', '--redirect-uri', 'https://marks.example.org/callback', '--roles', 'teacher')).code, 0);
    const stored = () => handle.db.selectFrom('oidc_clients').selectAll().where('client_id', '=', 'marks-app').executeTakeFirstOrThrow();
    const before = await stored();
    const updated = await kelid('clients', 'update', 'marks-app', '--name', 'Marks and reports', '--roles', 'teacher,principal', '--jwt', '--backchannel-logout-uri', 'https://marks.example.org/logout');
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(updated.stdout, /Changed marks-app: name, accessTokenFormat, backchannelLogoutUri, roles\./);
    const after = await stored();
    assert.deepEqual([after.name, after.roles, after.access_token_format, after.backchannel_logout_uri], ['Marks and reports', ['teacher', 'principal'], 'jwt', 'https://marks.example.org/logout']);
    assert.deepEqual([after.redirect_uris, after.secret_hmac, after.first_party], [before.redirect_uris, before.secret_hmac, before.first_party], 'the rest as it was');
    assert.match((await kelid('clients', 'update', 'marks-app', '--name', 'Marks and reports')).stdout, /Nothing to change in marks-app/);
    for (const args of [['--redirect-uri', 'http://evil.example/cb'], ['--jwt', '--opaque'], ['--no-backchannel-logout', '--backchannel-logout-uri', 'https://marks.example.org/x']]) {
      const refused = await kelid('clients', 'update', 'marks-app', ...args);
      assert.equal(refused.code, 1, args.join(' '));
      assert.match(refused.stderr, /^kelid: /);
    }
    assert.deepEqual(await stored(), after, 'nothing written');
    assert.equal((await kelid('clients', 'update', 'marks-app', '--no-backchannel-logout')).code, 0);
    assert.equal((await stored()).backchannel_logout_uri, null);
    // Its name in other languages: each given one set, an empty one taken away, the rest kept.
    assert.equal((await kelid('clients', 'update', 'marks-app', '--name-en', 'Marks', '--name-he', 'ציונים')).code, 0);
    assert.equal((await kelid('clients', 'update', 'marks-app', '--name-he', '')).code, 0);
    assert.deepEqual((await stored()).names, { en: 'Marks' });
    assert.match((await kelid('clients', 'list')).stdout, /marks-app .*Marks and reports\n\s+name \(en\) Marks\n/);
    const updates = await handle.db.selectFrom('audit_events').select('data').where('type', '=', 'client.updated').execute();
    assert.equal(updates.length, 4);
    assert.equal((await kelid('clients', 'remove', 'marks-app')).code, 0);
  });

  test('keys rotate publishes new keys, signing after a minute; the old ones stay, retired', async () => {
    const first = await kelid('keys', 'rotate');
    assert.equal(first.code, 0, first.stderr);
    const keys = await handle.db.selectFrom('oidc_keys').select(['kid', 'activates_at', 'retired_at']).orderBy('created_at').execute();
    assert.equal(keys.length, 4, 'on a database without keys, the first ones, then their replacements');
    const second = await kelid('keys', 'rotate');
    assert.match(second.stdout, /published by every server within 30 s, signing from/);
    const after = await handle.db.selectFrom('oidc_keys').select(['kid', 'activates_at', 'retired_at']).execute();
    assert.equal(after.length, 6);
    assert.equal(after.filter((k) => k.retired_at === null).length, 2);
    assert.ok(after.filter((k) => k.retired_at === null).every((k) => k.activates_at.getTime() > Date.now() + 30_000));
    assert.equal((await handle.db.selectFrom('audit_events').select('id').where('type', '=', 'keys.rotated').execute()).length, 2);
  });

  test('a KELID_SECRET that cannot open the current keys is refused, writing nothing, until keys rotate --new-secret', async () => {
    await kelid('keys', 'rotate');
    const other = 'a-different-secret-'.padEnd(48, 'y');
    const count = async () => Number((await handle.db.selectFrom('oidc_keys').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
      + Number((await handle.db.selectFrom('oidc_clients').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    for (const args of [['clients', 'add', 'wrong-secret-app', '--redirect-uri', 'https://w.example.org/cb'], ['clients', 'list'], ['keys', 'rotate'], ['demo']]) {
      const refused = await kelidWith(other, ...args);
      assert.equal(refused.code, 1, `${args.join(' ')}: ${refused.stdout}`);
      assert.match(refused.stderr, /^Configuration: KELID_SECRET is not the secret this database was written with: its signing keys cannot be opened with it\./m, args.join(' '));
      assert.doesNotMatch(refused.stderr, /\n\s+at /, 'no stack trace');
    }
    assert.equal(await count(), before, 'nothing written with the wrong secret');
    const changed = await kelidWith(other, 'keys', 'rotate', '--new-secret');
    assert.equal(changed.code, 0, changed.stderr);
    assert.equal((await kelidWith(other, 'clients', 'list')).code, 0, 'the new secret is taken once keys are made under it');
    const old = await kelid('clients', 'list');
    assert.equal(old.code, 1, 'and the old one is refused from then on');
    const audited = await handle.db.selectFrom('audit_events').select('data').where('type', '=', 'keys.rotated').orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal((audited.data as { newSecret?: boolean }).newSecret, true);
    assert.equal((await kelidWith(SECRET, 'keys', 'rotate', '--new-secret')).code, 0, 'changed back the same way');
    const keysNow = await count();
    const again = await kelid('keys', 'rotate', '--new-secret');
    assert.equal(again.code, 1, 'run twice by mistake: the secret opens the keys, nothing to replace');
    assert.match(again.stderr, /^kelid: --new-secret: this KELID_SECRET opens the current signing keys/m);
    assert.equal(await count(), keysNow, 'no key retired');
  });

  test('the first command that writes on a database with no keys binds it to its KELID_SECRET: another secret is refused afterwards', async () => {
    const fresh = await createTestDatabase();
    const on = (secret: string, ...args: string[]) => exec(process.execPath, [cli, ...args], { env: { ...process.env, DATABASE_URL: fresh.url, KELID_SECRET: secret }, encoding: 'utf8' })
      .then(() => 0, (error: { code: number; stderr: string }) => { assert.match(error.stderr, /^Configuration: KELID_SECRET is not the secret/m); return error.code; });
    try {
      const other = 'a-reader-s-secret-'.padEnd(48, 'v');
      assert.equal(await on(other, 'clients', 'list'), 0);
      assert.equal(await on(SECRET, 'clients', 'list'), 0, 'a command that only reads binds nothing');
      for (const args of [['demo'], ['clients', 'add', 'bound-app', '--name', 'Bound', '--redirect-uri', 'https://b.example.org/cb'], ['clients', 'list']]) {
        assert.equal(await on(SECRET, ...args), 0, args.join(' '));
        assert.equal(await on('not-the-first-secret-'.padEnd(48, 'w'), ...args), 1, `${args.join(' ')} with another secret`);
      }
    } finally {
      await fresh.drop();
    }
  });

  test('a server started with a KELID_SECRET that cannot open the keys refuses to start: one line, exit 1, alone or as a cluster', async () => {
    const other = 'yet-another-secret-'.padEnd(48, 'z');
    for (const workers of ['1', '2']) {
      const run = await exec(process.execPath, [fileURLToPath(new URL('../../src/main.ts', import.meta.url))], {
        env: { ...process.env, ...kelidTestEnv, DATABASE_URL: database.url, KELID_SECRET: other, KELID_WORKERS: workers, PORT: '0' }, encoding: 'utf8', timeout: 60_000,
      }).then(() => ({ code: 0, stderr: '' }), (error: { code: number; stderr: string }) => error);
      assert.equal(run.code, 1, `${workers} worker(s): ${run.stderr}`);
      assert.match(run.stderr, /^Configuration: KELID_SECRET is not the secret this database was written with/m);
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    }
  });
});
