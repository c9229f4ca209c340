// The configuration: defaults, and a bad value stops start-up naming the variable.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('configuration', () => {
  test('defaults: port 3000, Iran profile in Persian, OWASP argon2id, demo on', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.profile, 'ir');
    assert.equal(config.defaultLocale, 'fa');
    assert.deepEqual(config.argon2, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
    assert.equal(config.demo, true);
    assert.equal(config.databaseUrl, undefined);
  });

  test('behind PgBouncer in transaction mode: LISTEN on a URL of its own, prepared statements off', () => {
    const defaults = loadConfig({ DATABASE_URL: 'postgres://db/kelid', KELID_SECRET: 'x'.repeat(32) });
    assert.equal(defaults.databaseListenUrl, undefined);
    assert.equal(defaults.databasePreparedStatements, true);
    const pooled = loadConfig({
      DATABASE_URL: 'postgres://pgbouncer:6432/kelid', KELID_SECRET: 'x'.repeat(32),
      KELID_DATABASE_LISTEN_URL: 'postgres://haproxy:5000/kelid', KELID_DB_PREPARED_STATEMENTS: '0',
    });
    assert.equal(pooled.databaseListenUrl, 'postgres://haproxy:5000/kelid');
    assert.equal(pooled.databasePreparedStatements, false);
  });

  test('the Israeli profile speaks Hebrew', () => {
    assert.equal(loadConfig({ KELID_PROFILE: 'il' }).defaultLocale, 'he');
  });

  test('KELID_WORKERS: one process on the embedded database, one per core on PostgreSQL, each with its share of the hashing', () => {
    assert.equal(loadConfig({}).workers, 1);
    const postgres = { DATABASE_URL: 'postgres://db/kelid', KELID_SECRET: 'x'.repeat(32) };
    assert.equal(loadConfig(postgres).workers, availableParallelism());
    assert.equal(loadConfig({ ...postgres, KELID_WORKERS: '1' }).workers, 1);
    const four = loadConfig({ ...postgres, KELID_WORKERS: '4' });
    assert.equal(four.workers, 4);
    assert.equal(four.hashConcurrency, Math.max(1, Math.round(availableParallelism() / 4)));
  });

  const bad: [Record<string, string>, RegExp][] = [
    [{ KELID_WORKERS: '2' }, /KELID_WORKERS must be 1 with the embedded database .*set DATABASE_URL/],
    [{ KELID_WORKERS: '0', DATABASE_URL: 'postgres://db/kelid', KELID_SECRET: 'x'.repeat(32) }, /KELID_WORKERS must be between 1 and 256/],
    [{ PORT: 'eighty' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be between/],
    [{ KELID_PROFILE: 'fr' }, /KELID_PROFILE must be one of ir, il/],
    [{ KELID_DEMO: 'maybe' }, /KELID_DEMO must be 1 or 0/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with postgres/],
    [{ DATABASE_URL: 'postgres://db/kelid' }, /KELID_SECRET is required when DATABASE_URL is set/],
    [{ KELID_SECRET: 'short' }, /KELID_SECRET must be at least 32 characters/],
    [{ KELID_DATABASE_LISTEN_URL: 'postgres://db/kelid' }, /KELID_DATABASE_LISTEN_URL needs DATABASE_URL/],
    [{ DATABASE_URL: 'postgres://pgbouncer/kelid', KELID_SECRET: 'x'.repeat(32), KELID_DATABASE_LISTEN_URL: 'http://db' }, /KELID_DATABASE_LISTEN_URL must start with postgres/],
    [{ KELID_DB_PREPARED_STATEMENTS: 'sometimes' }, /KELID_DB_PREPARED_STATEMENTS must be 1 or 0/],
    [{ KELID_CODE_TRIES: '0' }, /KELID_CODE_TRIES must be between 1 and 20/],
    [{ KELID_CODE_RESEND_SECONDS: 'soon' }, /KELID_CODE_RESEND_SECONDS must be a whole number/],
    [{ KELID_PASSWORD_REQUIRE: 'upper,emoji' }, /KELID_PASSWORD_REQUIRE takes a comma list/],
    [{ KELID_ARGON2_MEMORY_KIB: '1024' }, /KELID_ARGON2_MEMORY_KIB must be between/],
    [{ KELID_PUBLIC_URL: 'ftp://x' }, /KELID_PUBLIC_URL must be an http\(s\) URL/],
    [{ KELID_LOCKOUT_THRESHOLD: '3', KELID_LOCKOUT_DELAY_AFTER: '5' }, /KELID_LOCKOUT_DELAY_AFTER must be between 1 and 3/],
    [{ KELID_TRUST_PROXY: 'true' }, /KELID_TRUST_PROXY must be a hop count .* not "true"/],
    [{ KELID_TRUST_PROXY: 'yes' }, /KELID_TRUST_PROXY must be a hop count/],
    [{ KELID_TRUST_PROXY: '11' }, /KELID_TRUST_PROXY counts proxy hops \(1–10\)/],
    [{ KELID_TRUST_PROXY: '10.0.0.0/33' }, /KELID_TRUST_PROXY takes a hop count or IP addresses/],
    [{ KELID_TRUST_PROXY: '10.0.0.1, proxy.example' }, /got "proxy.example"/],
    [{ KELID_TRUST_PROXY: '10.0.0.0/8/8' }, /KELID_TRUST_PROXY takes/],
    [{ KELID_TRUST_PROXY: '0.0.0.0/0' }, /KELID_TRUST_PROXY takes the proxies' own addresses or ranges, not "0.0.0.0\/0"/],
    [{ KELID_TRUST_PROXY: '10.0.0.1, ::/0' }, /not "::\/0"/],
    [{ KELID_TRUST_PROXY: '128.0.0.0/1' }, /KELID_TRUST_PROXY takes the proxies' own/],
    [{ KELID_TRUST_PROXY: '10.0.0.0/7' }, /KELID_TRUST_PROXY takes the proxies' own/],
    [{ KELID_TRUST_PROXY: '2000::/3' }, /not "2000::\/3"/],
    [{ KELID_TRUST_PROXY: '2001:db8::/15' }, /KELID_TRUST_PROXY takes the proxies' own/],
    // IPv4 clients are matched as IPv4-mapped IPv6 addresses: these are 0.0.0.0/0 and 0.0.0.0/4 in disguise.
    [{ KELID_TRUST_PROXY: '::ffff:0:0/96' }, /not "::ffff:0:0\/96"/],
    [{ KELID_TRUST_PROXY: '::ffff:10.0.0.0/100' }, /KELID_TRUST_PROXY takes the proxies' own/],
    [{ KELID_TRUST_PROXY: '::/16' }, /not "::\/16"/],
    [{ KELID_TRUST_PROXY: '::/80' }, /not "::\/80"/],
    [{ KELID_HASH_QUEUE_MAX: '-1' }, /KELID_HASH_QUEUE_MAX must be a whole number/],
    [{ KELID_EVENT_LOOP_SAMPLE_MS: '5' }, /KELID_EVENT_LOOP_SAMPLE_MS must be between 20 and/],
  ];

  test('the hash queue holds about two seconds of hashing by default; event-loop shedding past a mean delay of 500 ms', () => {
    assert.equal(loadConfig({ KELID_HASH_CONCURRENCY: '2' }).hashQueueMax, 500);
    assert.equal(loadConfig({ KELID_HASH_CONCURRENCY: '2', KELID_ARGON2_ITERATIONS: '4' }).hashQueueMax, 250, 'slower hashes, fewer of them');
    assert.equal(loadConfig({ KELID_HASH_QUEUE_MAX: '0' }).hashQueueMax, 0, 'none may wait');
    assert.equal(loadConfig({ KELID_HASH_CONCURRENCY: '2' }).hashQueuePerAddress, 51, 'one address: a tenth of the 502 places');
    assert.equal(loadConfig({ KELID_HASH_CONCURRENCY: '2', KELID_HASH_QUEUE_MAX: '0' }).hashQueuePerAddress, 2, 'at least one per thread');
    assert.equal(loadConfig({ KELID_HASH_QUEUE_PER_ADDRESS: '7' }).hashQueuePerAddress, 7);
    assert.throws(() => loadConfig({ KELID_HASH_QUEUE_PER_ADDRESS: '0' }), /KELID_HASH_QUEUE_PER_ADDRESS/);
    assert.deepEqual(loadConfig({}).eventLoop, { maxDelayMs: 500, sampleMs: 1000 });
    assert.equal(loadConfig({ KELID_EVENT_LOOP_MAX_DELAY_MS: '0' }).eventLoop.maxDelayMs, 0);
  });

  test('KELID_TRUST_PROXY is off, a hop count, or a list of proxy addresses and ranges', () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(loadConfig({ KELID_TRUST_PROXY: '0' }).trustProxy, false);
    assert.equal(loadConfig({ KELID_TRUST_PROXY: '1' }).trustProxy, 1);
    assert.equal(loadConfig({ KELID_TRUST_PROXY: ' 2 ' }).trustProxy, 2);
    assert.deepEqual(loadConfig({ KELID_TRUST_PROXY: '10.0.0.0/8, 192.168.1.7 ,::1, fd00::/8, loopback' }).trustProxy,
      ['10.0.0.0/8', '192.168.1.7', '::1', 'fd00::/8', 'loopback']);
    // The shortest ranges taken: /8 for IPv4, /16 for IPv6, shorter ones only inside the private fc00::/7 and fe80::/10.
    assert.deepEqual(loadConfig({ KELID_TRUST_PROXY: '2001:db8::/16, fc00::/7, fe80::/10, 172.16.0.0/12' }).trustProxy,
      ['2001:db8::/16', 'fc00::/7', 'fe80::/10', '172.16.0.0/12']);
    assert.deepEqual(loadConfig({ KELID_TRUST_PROXY: '::ffff:10.0.0.0/104, ::ffff:192.168.1.7, 64:ff9b::/96' }).trustProxy,
      ['::ffff:10.0.0.0/104', '::ffff:192.168.1.7', '64:ff9b::/96'], 'an IPv4 /8 or narrower, as IPv4-mapped addresses');
  });
  for (const [env, message] of bad) {
    test(`refuses ${JSON.stringify(env)}`, () => {
      assert.throws(() => loadConfig(env), (error: unknown) => error instanceof ConfigError && message.test(error.message));
    });
  }

  test('npm start with several workers but no DATABASE_URL exits 1 saying why', () => {
    const run = spawnSync(process.execPath, ['src/main.ts'], { env: { ...process.env, DATABASE_URL: '', KELID_WORKERS: '2' }, encoding: 'utf8', timeout: 20_000 });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /KELID_WORKERS must be 1 with the embedded database/);
  });

  test('npm start with a bad value exits 1 with one line naming the variable, no stack trace', () => {
    const run = spawnSync(process.execPath, ['src/main.ts'], { env: { ...process.env, KELID_PROFILE: 'xx' }, encoding: 'utf8', timeout: 20_000 });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /KELID_PROFILE must be one of ir, il, got "xx"/);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });
});
