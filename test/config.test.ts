// The configuration: defaults, and a bad value stops start-up naming the variable.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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

  test('the Israeli profile speaks Hebrew', () => {
    assert.equal(loadConfig({ KELID_PROFILE: 'il' }).defaultLocale, 'he');
  });

  const bad: [Record<string, string>, RegExp][] = [
    [{ PORT: 'eighty' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be between/],
    [{ KELID_PROFILE: 'fr' }, /KELID_PROFILE must be one of ir, il/],
    [{ KELID_DEMO: 'maybe' }, /KELID_DEMO must be 1 or 0/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with postgres/],
    [{ DATABASE_URL: 'postgres://db/kelid' }, /KELID_SECRET is required when DATABASE_URL is set/],
    [{ KELID_SECRET: 'short' }, /KELID_SECRET must be at least 32 characters/],
    [{ KELID_PASSWORD_REQUIRE: 'upper,emoji' }, /KELID_PASSWORD_REQUIRE takes a comma list/],
    [{ KELID_ARGON2_MEMORY_KIB: '1024' }, /KELID_ARGON2_MEMORY_KIB must be between/],
    [{ KELID_PUBLIC_URL: 'ftp://x' }, /KELID_PUBLIC_URL must be an http\(s\) URL/],
    [{ KELID_LOCKOUT_THRESHOLD: '3', KELID_LOCKOUT_DELAY_AFTER: '5' }, /KELID_LOCKOUT_DELAY_AFTER must be between 1 and 3/],
  ];
  for (const [env, message] of bad) {
    test(`refuses ${JSON.stringify(env)}`, () => {
      assert.throws(() => loadConfig(env), (error: unknown) => error instanceof ConfigError && message.test(error.message));
    });
  }

  test('npm start with a bad value exits 1 with one line naming the variable, no stack trace', () => {
    const run = spawnSync(process.execPath, ['src/main.ts'], { env: { ...process.env, KELID_PROFILE: 'xx' }, encoding: 'utf8', timeout: 20_000 });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /KELID_PROFILE must be one of ir, il, got "xx"/);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });
});
