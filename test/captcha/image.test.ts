// The security image (issue 11): where the proof of work cannot run, a page's captcha shows
// five digits drawn by the server, and a sum for those who cannot see them. Each image is
// answered once, right or wrong, until it expires; the digits count in any of the three scripts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createCaptcha, type Captcha } from '../../src/captcha/captcha.ts';
import { drawDigits } from '../../src/captcha/image.ts';
import { openImageChallenge, sealKey, type ImageChallenge } from '../../src/captcha/image-challenge.ts';
import { deriveKeys } from '../../src/secrets.ts';
import { createAgent } from '../helpers/agent.ts';
import { databaseKinds, startTestApp, type TestApp } from '../helpers/app.ts';
import { easyCaptcha } from './solve.ts';

const toPersian = (digits: string) => digits.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
const toArabicIndic = (digits: string) => digits.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)));

/** The SVG with every path's data and every number-valued attribute taken out: what is left is the picture's words, if any. */
const wordsOf = (svg: string) => svg.replace(/\s(xmlns|d|cx|cy|r|width|height|viewBox|stroke-width|fill|stroke)="[^"]*"/g, '');

for (const kind of databaseKinds) {
  describe(`security image (${kind})`, () => {
    let t: TestApp;
    let captcha: Captcha;
    let key: Buffer;
    before(async () => {
      t = await startTestApp(kind, { ...easyCaptcha, KELID_SMS: 'dev', KELID_EMAIL: 'dev' });
      // The app's own captcha, rebuilt from the same secret (as another process would be); the
      // test reads a challenge's digits by opening its id with that secret, as only the server can.
      const keys = deriveKeys(t.config.secret!);
      captcha = createCaptcha({ db: t.handle.db, clock: t.clock, key: keys.captcha, settings: t.config.captcha });
      key = sealKey(keys.captcha);
    });
    after(() => t.close());

    const issue = (): { id: string; challenge: ImageChallenge } => {
      const { id } = captcha.imageChallenge();
      return { id, challenge: openImageChallenge(key, id)! };
    };

    test('GET /api/v1/captcha?kind=image gives an id, the image URL, the sum in the asked language and the expiry', async () => {
      const response = await t.app.inject({ url: '/api/v1/captcha?kind=image', headers: { 'accept-language': 'fa' } });
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['cache-control'], 'no-store');
      const body = response.json<{ id: string; image: string; question: string; expiresAt: string }>();
      assert.equal(body.image, `${t.config.publicUrl}/captcha/${body.id}.svg`);
      assert.equal(body.expiresAt, new Date(t.clock.now().getTime() + 600_000).toISOString());
      const { question } = openImageChallenge(key, body.id)!;
      assert.equal(body.question, `اگر تصویر را نمی‌بینید، به جای آن حاصل جمع ${toPersian(String(question.a))} و ${toPersian(String(question.b))} را وارد کنید.`);
      assert.equal((await t.app.inject('/api/v1/captcha?kind=riddle')).statusCode, 400);
      assert.ok('signature' in (await t.app.inject('/api/v1/captcha?kind=altcha')).json(), 'the proof of work is still the default');
    });

    test('the image is paths only: no text, no font, no digit to copy out of it; the same at every fetch; never cached', async () => {
      const { id, challenge } = issue();
      const response = await t.app.inject(`/captcha/${id}.svg`);
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^image\/svg\+xml/);
      assert.equal(response.headers['cache-control'], 'no-store');
      assert.equal(response.headers['content-security-policy'], "default-src 'none'");
      const svg = response.body;
      assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.ok((svg.match(/<path /g) ?? []).length >= challenge.digits.length);
      assert.doesNotMatch(svg, /<(text|tspan|title|desc|font|glyph|image|use|foreignObject|script|style)\b/i);
      assert.doesNotMatch(wordsOf(svg), /\d/, 'outside the drawing numbers, the file holds no digit at all');
      assert.doesNotMatch(svg, /[۰-۹٠-٩]|aria-label|alt=/);
      assert.equal((await t.app.inject(`/captcha/${id}.svg`)).body, svg, 'the noise is the same at every fetch: averaging fetches cannot remove it');
    });

    test('every digit can be drawn, and every seed draws a different picture', () => {
      const a = drawDigits('0123456789', 1);
      const b = drawDigits('0123456789', 2);
      assert.notEqual(a, b);
      assert.equal(drawDigits('0123456789', 1), a);
      assert.throws(() => drawDigits('12a', 1), RangeError);
    });

    test('the digits count once, typed in Latin, Persian or Arabic-Indic digits, with spaces and direction marks', async () => {
      for (const typed of [(d: string) => d, toPersian, toArabicIndic, (d: string) => `\u200f ${toPersian(d.slice(0, 2))} ${d.slice(2)}\u200c\u200e `]) {
        const { id, challenge } = issue();
        assert.equal(await captcha.check({ captcha: typed(challenge.digits), captchaId: id }), true, typed(challenge.digits));
        assert.equal(await captcha.check({ captcha: challenge.digits, captchaId: id }), false, 'the second use is refused');
      }
    });

    test('a wrong answer is refused and spends the image: the right one after it is refused too', async () => {
      const { id, challenge } = issue();
      const wrong = challenge.digits.replace(/^./, (d) => String((Number(d) + 1) % 10));
      assert.equal(await captcha.check({ captcha: wrong, captchaId: id }), false);
      assert.equal(await captcha.check({ captcha: challenge.digits, captchaId: id }), false);
      const empty = issue();
      assert.equal(await captcha.check({ captcha: '', captchaId: empty.id }), false, 'nothing typed is a wrong answer too');
      assert.equal(await captcha.check({ captcha: empty.challenge.digits, captchaId: empty.id }), false);
    });

    test('of ten simultaneous answers to one image, at most one counts', async () => {
      const { id, challenge } = issue();
      const results = await Promise.all(Array.from({ length: 10 }, () => captcha.check({ captcha: challenge.digits, captchaId: id })));
      assert.equal(results.filter(Boolean).length, 1);
    });

    test('the sum is the accessible alternative, under the same single-use rule', async () => {
      const { id, challenge } = issue();
      const sum = String(challenge.question.a + challenge.question.b);
      assert.equal(await captcha.check({ captcha: toPersian(sum), captchaId: id }), true);
      assert.equal(await captcha.check({ captcha: sum, captchaId: id }), false);
      assert.equal(await captcha.check({ captcha: challenge.digits, captchaId: id }), false, 'answered once, whichever way');
    });

    test('the sum counts five an hour per client address (a program can work it out); the digits are not limited', async () => {
      const bySum = async (ip: string) => {
        const { id, challenge } = issue();
        return captcha.check({ captcha: String(challenge.question.a + challenge.question.b), captchaId: id, ip });
      };
      for (let i = 0; i < 5; i++) assert.equal(await bySum('203.0.113.90'), true, `sum ${i + 1}`);
      assert.equal(await bySum('203.0.113.90'), false, 'the sixth of the hour');
      const { id, challenge } = issue();
      assert.equal(await captcha.check({ captcha: challenge.digits, captchaId: id, ip: '203.0.113.90' }), true, 'who reads the image is not held back');
      assert.equal(await bySum('203.0.113.91'), true, 'another address has its own');
      t.clock.advance(61 * 60_000);
      assert.equal(await bySum('203.0.113.90'), true, 'an hour later, again');
    });

    test('an image is refused once 10 minutes old, by the injected clock, and is no longer drawn', async () => {
      const early = issue();
      const late = issue();
      const issued = t.clock.now();
      assert.equal(await captcha.check({ captcha: early.challenge.digits, captchaId: early.id }, new Date(issued.getTime() + 599_000)), true);
      assert.equal(await captcha.check({ captcha: late.challenge.digits, captchaId: late.id }, new Date(issued.getTime() + 600_000)), false);
      t.clock.advance(600_000);
      try {
        const gone = await t.app.inject(`/captcha/${late.id}.svg?lang=en`);
        assert.equal(gone.statusCode, 404);
        assert.match(gone.body, /This security image has expired or does not exist/);
        assert.equal(await captcha.check({ captcha: late.challenge.digits, captchaId: late.id }), false);
      } finally {
        t.clock.set(issued);
      }
    });

    test('unknown, forged and malformed ids are refused: a localized 404 for the image, a wrong answer for a form, never a 500', async () => {
      const { id, challenge } = issue();
      const tampered = id.slice(0, 20) + (id[20] === 'A' ? 'B' : 'A') + id.slice(21);
      const stranger = createCaptcha({ db: t.handle.db, clock: t.clock, key: deriveKeys('another-secret-'.padEnd(48, 'y')).captcha, settings: t.config.captcha });
      const foreign = stranger.imageChallenge().id;
      const ids = [tampered, foreign, 'x', 'A'.repeat(60), 'A'.repeat(90), '../../etc/passwd', '%00', 'تصویر', `${id}x`];
      for (const bad of [...ids, 'A'.repeat(5000)]) assert.equal(await captcha.check({ captcha: challenge.digits, captchaId: bad }), false, bad.slice(0, 20));
      for (const bad of ids) {
        for (const [locale, words] of [['fa', /این تصویر امنیتی منقضی شده/], ['he', /תמונת האבטחה פגה/]] as const) {
          const response = await t.app.inject(`/captcha/${encodeURIComponent(bad)}.svg?lang=${locale}`);
          assert.equal(response.statusCode, 404, bad);
          assert.match(response.body, words);
        }
      }
      assert.equal(await captcha.check({ captcha: challenge.digits, captchaId: id }), true, 'the refusals above spent nothing of the real one');
      const api = await t.app.inject({ method: 'POST', url: '/api/v1/flows/registration', headers: { 'accept-language': 'he' } });
      const flow = api.json<{ id: string }>().id;
      await t.app.inject({ method: 'POST', url: `/api/v1/flows/${flow}`, payload: { accept: 'yes' } });
      const answer = await t.app.inject({
        method: 'POST', url: `/api/v1/flows/${flow}`, headers: { 'accept-language': 'he' },
        payload: {
          nationality: 'citizen', firstName: 'رضا', lastName: 'کریمی', nationalId: '1583250689', birthDate: '2011-05-10', mobile: '09123456781',
          email: 'reza@example.org', password: 'Golnar-Baran-1405!', repeat: 'Golnar-Baran-1405!', captcha: '12345', captchaId: '<not-our-image>',
        },
      });
      assert.equal(answer.statusCode, 422, answer.body);
      const field = answer.json<{ form: { fields: { name: string; errors: { code: string; message: string }[] }[] } }>().form.fields.find((f) => f.name === 'captcha');
      assert.deepEqual(field?.errors.map((e) => e.code), ['captcha.invalid']);
    });

    test('the operator can turn the sum off: the page and the API no longer ask it, and it no longer counts', async () => {
      const quiet = createCaptcha({ db: t.handle.db, clock: t.clock, key: deriveKeys(t.config.secret!).captcha, settings: { ...t.config.captcha, question: false } });
      const issued = quiet.imageChallenge();
      assert.equal(issued.question, null);
      const { question, digits } = openImageChallenge(key, issued.id)!;
      assert.equal(await quiet.check({ captcha: String(question.a + question.b), captchaId: issued.id }), false);
      const again = quiet.imageChallenge();
      assert.equal(await quiet.check({ captcha: openImageChallenge(key, again.id)!.digits, captchaId: again.id }), true);
      assert.ok(digits.length === 5);
    });

    test('registration and recovery pages carry the image in <noscript>: its id, an input under the seed label, the sum', async () => {
      const agent = createAgent(t.app);
      const start = await agent.get('/register?lang=fa');
      const url = String(start.headers.location);
      assert.equal((await agent.submit(url, { accept: 'yes' })).statusCode, 303);
      const page = await agent.get(url);
      const noscript = /<noscript>([\s\S]*?)<\/noscript>/.exec(page.body)?.[1] ?? '';
      const id = /<input type="hidden" name="captchaId" value="([A-Za-z0-9_-]+)">/.exec(noscript)?.[1];
      assert.ok(id, noscript);
      assert.match(noscript, new RegExp(`<img src="/captcha/${id}.svg" width="220" height="80" alt="تصویر امنیتی: عددی پنج رقمی">`));
      assert.match(noscript, /<label for="captcha">تصویر امنیتی را وارد کنید:<\/label>\s*<input id="captcha" name="captcha" type="text" inputmode="numeric" autocomplete="off" maxlength="20" dir="ltr"\s+aria-describedby="captcha-question" required>/);
      assert.match(page.body, /<span class="label" id="captcha-label">بررسی امنیتی/, 'the check is named; the image only where one is shown');
      assert.doesNotMatch(page.body.replace(/<noscript>[\s\S]*?<\/noscript>/g, ''), /تصویر امنیتی/, 'with scripts on (a checkbox) nothing speaks of an image');
      const { question } = openImageChallenge(key, id)!;
      assert.match(noscript, new RegExp(`حاصل جمع ${toPersian(String(question.a))} و ${toPersian(String(question.b))}`));
      assert.equal((await agent.get(`/captcha/${id}.svg`)).statusCode, 200);
      const again = await agent.get(url);
      assert.notEqual(/name="captchaId" value="([^"]+)"/.exec(again.body)?.[1], id, 'every drawing of the page has a fresh image');

      const recovery = await agent.get(String((await agent.get('/recover?lang=he')).headers.location));
      assert.match(recovery.body, /<noscript><div class="security-image">/);
      assert.match(recovery.body, /alt="תמונת אבטחה: מספר בן חמש ספרות"/);
      assert.doesNotMatch((await agent.get('/sign-in')).body, /captchaId/, 'a form without a captcha gets no image');
    });
  });
}
