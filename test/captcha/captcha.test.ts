// The captcha (F11): real ALTCHA challenges from GET /api/v1/captcha, solved here as the
// widget would; each solution counts once, for our challenges only, until it expires.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createCaptcha, type Captcha } from '../../src/captcha/captcha.ts';
import { purgeSpentChallenges } from '../../src/captcha/store.ts';
import { deriveKeys } from '../../src/secrets.ts';
import { databaseKinds, startTestApp, type TestApp } from '../helpers/app.ts';
import { easyCaptcha, encodePayload, fetchChallenge, solvedPayload } from './solve.ts';

type Decoded = { challenge: { parameters: Record<string, unknown>; signature: string }; solution: { counter: number; derivedKey: string } };
const decode = (payload: string) => JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as Decoded;

for (const kind of databaseKinds) {
  describe(`captcha (${kind})`, () => {
    let t: TestApp;
    let captcha: Captcha;
    before(async () => {
      t = await startTestApp(kind, easyCaptcha);
      // The app's own verifier, rebuilt from the same secret: as another process would be.
      captcha = createCaptcha({ db: t.handle.db, clock: t.clock, key: deriveKeys(t.config.secret!).captcha, settings: t.config.captcha });
    });
    after(() => t.close());

    test('GET /api/v1/captcha gives a signed challenge that expires in 10 minutes and is never cached', async () => {
      const response = await t.app.inject('/api/v1/captcha');
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^application\/json/);
      assert.equal(response.headers['cache-control'], 'no-store');
      const { parameters, signature } = response.json<Decoded['challenge']>();
      assert.equal(parameters.algorithm, 'PBKDF2/SHA-256');
      assert.equal(parameters.cost, 10);
      assert.match(signature, /^[0-9a-f]{64}$/);
      assert.match(String(parameters.keySignature), /^[0-9a-f]{64}$/);
      assert.deepEqual(parameters.data, { expires: t.clock.now().getTime() / 1000 + 600 });
      assert.equal(parameters.expiresAt, undefined, 'expiry is ours (data.expires), not checked by altcha-lib against the wall clock');
    });

    test('a solved challenge verifies once; the replay is refused', async () => {
      const payload = await solvedPayload(t.app);
      assert.equal(await captcha.verify(payload), true);
      assert.equal(await captcha.verify(payload), false);
    });

    test('of ten simultaneous submissions of one solution, exactly one counts', async () => {
      const payload = await solvedPayload(t.app);
      const results = await Promise.all(Array.from({ length: 10 }, () => captcha.verify(payload)));
      assert.equal(results.filter(Boolean).length, 1);
    });

    test('a tampered solution, signature or parameter is refused', async () => {
      const good = decode(await solvedPayload(t.app));
      const flipped = (hex: string) => (hex[0] === '0' ? '1' : '0') + hex.slice(1);
      // The derived key is the proof (checked against keySignature); the counter only found it.
      const variants = [
        { ...good, solution: { ...good.solution, derivedKey: flipped(good.solution.derivedKey) } },
        { ...good, challenge: { ...good.challenge, signature: flipped(good.challenge.signature) } },
        { ...good, challenge: { ...good.challenge, signature: good.challenge.signature.toUpperCase() } },
        { ...good, challenge: { ...good.challenge, parameters: { ...good.challenge.parameters, cost: 1 } } },
        { ...good, challenge: { ...good.challenge, parameters: { ...good.challenge.parameters, data: { expires: 4_000_000_000 } } } },
        { ...good, challenge: { ...good.challenge, parameters: { ...good.challenge.parameters, keySignature: flipped(String(good.challenge.parameters.keySignature)) } } },
      ];
      for (const variant of variants) assert.equal(await captcha.verify(encodePayload(variant)), false, JSON.stringify(variant));
      // Untouched, it still counts: the refusals above did not spend it.
      assert.equal(await captcha.verify(encodePayload(good)), true);
    });

    test('a challenge signed with another secret is refused', async () => {
      const stranger = createCaptcha({ db: t.handle.db, clock: t.clock, key: deriveKeys('another-secret-'.padEnd(48, 'y')).captcha, settings: t.config.captcha });
      assert.equal(await stranger.verify(await solvedPayload(t.app)), false);
    });

    test('a solution is refused once its challenge is 10 minutes old, by the injected clock', async () => {
      const early = await solvedPayload(t.app);
      const late = await solvedPayload(t.app);
      const issued = t.clock.now();
      assert.equal(await captcha.verify(early, new Date(issued.getTime() + 599_000)), true);
      assert.equal(await captcha.verify(late, new Date(issued.getTime() + 600_000)), false);
      t.clock.advance(601_000);
      try {
        assert.equal(await captcha.verify(late), false);
      } finally {
        t.clock.set(issued);
      }
    });

    test('garbage is refused without throwing', async () => {
      const challenge = await fetchChallenge(t.app);
      const inputs: unknown[] = [
        undefined, null, 42, {}, [], '', ' ', 'not base64 at all!', '%%%%', 'A'.repeat(1_000_000), '\u0000',
        encodePayload('a string'), encodePayload([1, 2]), encodePayload(null),
        Buffer.from('{"challenge": ').toString('base64'),
        encodePayload({ challenge: null, solution: null, test: true }), // the widget's test mode
        encodePayload({ challenge, solution: null }),
        encodePayload({ challenge, solution: { counter: -1, derivedKey: 'aa' } }),
        encodePayload({ challenge, solution: { counter: 1e300, derivedKey: 'aa' } }),
        encodePayload({ challenge, solution: { counter: '3', derivedKey: 'aa' } }),
        encodePayload({ challenge, solution: { counter: 3, derivedKey: 'zz' } }),
        encodePayload({ challenge: { ...challenge, parameters: { ...challenge.parameters, algorithm: 'SHA-1' } }, solution: { counter: 3, derivedKey: 'aa' } }),
        encodePayload({ challenge: { ...challenge, parameters: { ...challenge.parameters, nonce: 'xyz' } }, solution: { counter: 3, derivedKey: 'aa' } }),
        encodePayload({ challenge: { ...challenge, signature: ['a'] }, solution: { counter: 3, derivedKey: 'aa' } }),
        encodePayload({ algorithm: 'SHA-256', challenge: 'ab', number: 3, salt: 'x', signature: 'ab', took: 1 }), // ALTCHA v1 shape
        encodePayload({ challenge: { parameters: { __proto__: { algorithm: 'PBKDF2/SHA-256' } }, signature: 'ab' }, solution: { counter: 1, derivedKey: 'ab' } }),
      ];
      for (const input of inputs) assert.equal(await captcha.verify(input), false, String(input).slice(0, 80));
    });

    test('spent solutions are forgotten once their challenge has expired', async () => {
      const count = async () => Number((await sql<{ n: string }>`select count(*) as n from captcha_spent`.execute(t.handle.db)).rows[0]?.n);
      const start = t.clock.now();
      assert.equal(await captcha.verify(await solvedPayload(t.app)), true);
      assert.ok(await count() >= 1);
      t.clock.advance(601_000);
      try {
        assert.equal(await captcha.verify(await solvedPayload(t.app)), true);
        assert.equal(await count(), 1, 'the expired rows went with the next spend');
        t.clock.advance(601_000);
        assert.equal(await purgeSpentChallenges(t.handle.db, t.clock.now()), 1);
        assert.equal(await count(), 0);
      } finally {
        t.clock.set(start);
      }
    });
  });
}
