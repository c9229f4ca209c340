// The guides' pages (F31): every topic in fa, he and en, right to left where it should be,
// in the page frame with working language links; the index lists them all; an unknown or
// hostile topic is the localized 404 page, never a 500 nor the address drawn unescaped.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { guideTopics } from '../../src/guides/guide.ts';
import { guides } from '../../src/guides/guides.ts';
import { createAgent } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

const locales = [['fa', 'rtl'], ['he', 'rtl'], ['en', 'ltr']] as const;
const notFound = { fa: 'صفحه مورد نظر پیدا نشد.', he: 'הדף המבוקש לא נמצא.', en: 'The page was not found.' } as const;
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

describe('guide pages', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp('pglite'); });
  after(() => t.close());

  test('every topic renders in fa, he and en: its language and direction, title, numbered steps and problems', async () => {
    for (const [locale, dir] of locales) {
      for (const topic of guideTopics) {
        const page = await t.app.inject(`/guides/${topic}?lang=${locale}`);
        assert.equal(page.statusCode, 200, `${locale} ${topic}`);
        assert.match(page.headers['content-type'] as string, /^text\/html/);
        assert.match(page.body, new RegExp(`<html lang="${locale}" dir="${dir}">`), `${locale} ${topic}`);
        const guide = guides[locale][topic];
        assert.ok(page.body.includes(`<h1>${escape(guide.title)}</h1>`), `${locale} ${topic}: the title`);
        const steps = /<ol class="steps-list">([\s\S]*?)<\/ol>/.exec(page.body)?.[1] ?? '';
        assert.equal((steps.match(/<li>/g) ?? []).length, guide.steps.length, `${locale} ${topic}: one item per step`);
        assert.ok(guide.steps.length >= 2 && guide.problems.length >= 1 && guide.before.length >= 1, `${locale} ${topic}: short but complete`);
        assert.equal((page.body.match(/<dt>/g) ?? []).length, guide.problems.length, `${locale} ${topic}: every problem`);
      }
    }
  });

  test('the guides are the same shape in every language: as many steps, as many problems', () => {
    for (const topic of guideTopics) {
      assert.equal(guides.he[topic].steps.length, guides.fa[topic].steps.length, `he ${topic}`);
      assert.equal(guides.en[topic].steps.length, guides.fa[topic].steps.length, `en ${topic}`);
      assert.equal(guides.he[topic].problems.length, guides.fa[topic].problems.length, `he ${topic}`);
      assert.equal(guides.en[topic].problems.length, guides.fa[topic].problems.length, `en ${topic}`);
    }
  });

  test('content is plain text: no markup, no direction controls, nothing that would need raw HTML', () => {
    for (const [locale] of locales) {
      for (const topic of guideTopics) {
        const guide = guides[locale][topic];
        const texts = [guide.title, ...[guide.intro, ...guide.before, ...guide.steps, ...guide.problems.flatMap((p) => [p.problem, p.fix]), guide.help].flat()
          .filter((part): part is string => typeof part === 'string')];
        for (const text of texts) {
          assert.doesNotMatch(text, /<[a-z/!]/i, `${locale} ${topic}: ${text}`);
          assert.doesNotMatch(text, /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/, `${locale} ${topic}: direction controls`);
        }
      }
    }
  });

  test('the index lists every topic under its heading, in the request\'s language, linked from the footer', async () => {
    const agent = createAgent(t.app);
    const signIn = await agent.get('/sign-in?lang=he');
    assert.match(signIn.body, /<footer class="foot"><a href="\/guides">מדריכים למערכת<\/a><\/footer>/);
    const index = await agent.get('/guides');
    assert.equal(index.statusCode, 200);
    assert.match(index.body, /<html lang="he" dir="rtl">/, 'the remembered language');
    assert.match(index.body, /<h1>מדריכים<\/h1>/);
    for (const topic of guideTopics) assert.ok(index.body.includes(`<a href="/guides/${topic}">${escape(guides.he[topic].title)}</a>`), topic);
    const everyone = index.body.indexOf('כניסה וחשבון');
    const console = index.body.indexOf('ניהול משתמשים');
    assert.ok(everyone > 0 && console > everyone);
    assert.ok(index.body.indexOf('/guides/admin-reset') > console, 'console tasks under the console heading');
    assert.ok(index.body.indexOf('/guides/recovery') < console, 'one\'s own flows under the first heading');
  });

  test('the language links of a guide lead to the same guide in the other languages', async () => {
    const page = await t.app.inject('/guides/set-password?lang=fa');
    assert.match(page.body, /<a lang="he" hreflang="he" href="\/guides\/set-password\?lang=he">/);
    assert.match(page.body, /<a lang="en" hreflang="en" href="\/guides\/set-password\?lang=en">/);
    const hebrew = await t.app.inject('/guides/set-password?lang=he');
    assert.match(hebrew.body, /<h1>קביעת סיסמה מהקישור שבמייל<\/h1>/);
    assert.match(hebrew.body, /&quot;<b class="ui-label" data-label="common.save">שמירה<\/b>&quot;/, 'seed 3\'s «שמירה», quoted');
    const persian = await t.app.inject('/guides/admin-bulk-passwords?lang=fa');
    assert.match(persian.body, /«<b class="ui-label" data-label="admin.change_passwords">تغییر رمز<\/b>»/, 'seed 1\'s «تغییر رمز», in guillemets');
  });

  test('an unknown or hostile topic is the localized 404 page, never a 500, nothing of the address unescaped', async () => {
    const hostile = [
      'nope', 'SIGN-IN', 'sign-in%E2%80%AE', 'sign-in%E2%80%8E', '%3Cscript%3Ealert(1)%3C%2Fscript%3E', '..%2F..%2Fadmin', 'x'.repeat(5000),
      '%D9%88%D8%B1%D9%88%D8%AF', 'sign-in%00', '%FF%FE', 'constructor', '__proto__', 'toString',
    ];
    for (const [locale, dir] of locales) {
      for (const topic of hostile) {
        const page = await t.app.inject(`/guides/${topic}?lang=${locale}`);
        assert.ok([400, 404, 414].includes(page.statusCode), `${topic.slice(0, 40)}: ${page.statusCode}`);
        // An over-long or malformed address is refused (414, 400) before any route runs, in a
        // localized error page all the same; a topic that is not one is the page's own 404.
        if (page.statusCode === 404) assert.match(page.body, new RegExp(`<html lang="${locale}" dir="${dir}">`), topic.slice(0, 40));
        else assert.match(page.body, /<html lang="(fa|he|en)" dir="(rtl|ltr)">/);
        assert.doesNotMatch(page.body, /<script>|\u202e/i);
        if (page.statusCode === 404) assert.ok(page.body.includes(notFound[locale]), `${locale} ${topic.slice(0, 40)}`);
      }
      assert.equal((await t.app.inject(`/guides/nope?lang=${locale}`)).statusCode, 404);
    }
  });
});
