// A guide names only what its pages show (F31): every label a guide quotes is a catalog key
// that the files drawing that flow's or task's pages pass to the translator (so a guide can
// never name a button its page lacks, and renaming or dropping a button fails here), it has
// no placeholder left unfilled, and the guide draws it in exactly the catalog's words. Every
// guide's help line sends the reader to System support (F29) by the label its entrances show.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { userTypesFor } from '../../src/admin/permissions.ts';
import type { SupportState } from '../../src/db/schema.ts';
import { supportCategories } from '../../src/domain/support-request.ts';
import { guideTopics, isConsoleTopic, quotedLabels, type Guide, type GuideTopic } from '../../src/guides/guide.ts';
import { guides } from '../../src/guides/guides.ts';
import { catalogs, locales as allLocales, type TextKey } from '../../src/i18n/catalogs.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

/** The files that draw each topic's pages: their forms (flows/*\/form.ts) and views, and the links that lead there. */
const drawnBy: Record<GuideTopic, readonly string[]> = {
  'sign-in': ['src/flows/login/form.ts', 'src/views/pages/sign-in.ts'],
  'one-time-code': ['src/flows/otp-login/form.ts', 'src/views/pages/otp-login.ts', 'src/views/pages/sign-in.ts'],
  registration: ['src/flows/registration/form.ts', 'src/views/pages/registration.ts', 'src/views/pages/sign-in.ts'],
  recovery: ['src/flows/recovery/form.ts', 'src/views/pages/recovery.ts', 'src/views/pages/sign-in.ts'],
  'set-password': ['src/flows/set-password/form.ts', 'src/views/pages/set-password.ts'],
  'change-password': ['src/flows/change-password/form.ts', 'src/views/pages/change-password.ts', 'src/views/layout.ts', 'src/views/pages/sign-in.ts'],
  'role-choice': ['src/flows/role-choice/form.ts', 'src/views/pages/role-choice.ts', 'src/views/layout.ts'],
  support: ['src/views/pages/support.ts', 'src/views/pages/home.ts', 'src/views/pages/sign-in.ts'],
  'admin-new-user': ['src/views/pages/admin/new-user.ts', 'src/views/pages/admin/users.ts'],
  'admin-appointments': ['src/views/pages/admin/users.ts', 'src/views/pages/admin/user.ts', 'src/http/pages/admin-appointments.ts', 'src/views/pages/admin/renew.ts'],
  'admin-reset': ['src/views/pages/admin/users.ts', 'src/views/pages/admin/user.ts', 'src/views/pages/sign-in.ts'],
  'admin-bulk-passwords': ['src/views/pages/admin/passwords.ts'],
  'admin-import': ['src/views/pages/admin/import.ts'],
  'admin-oneroster': ['src/views/pages/admin/import.ts', 'src/views/pages/admin/oneroster.ts'],
  'admin-invitations': ['src/views/pages/admin/users.ts', 'src/views/pages/admin/user.ts', 'src/views/pages/admin/invitations.ts', 'src/views/pages/admin/passwords.ts'],
  'admin-approvals': ['src/http/pages/admin-approvals.ts'],
  'admin-announcements': ['src/views/pages/admin/announcements.ts'],
  'admin-clients': ['src/views/pages/admin/clients.ts', 'src/views/pages/admin/client-form.ts'],
  'admin-support': ['src/views/pages/admin/support.ts', 'src/views/pages/admin/users.ts', 'src/views/pages/support.ts'],
};

/** Where System support is reached (F29): the services on the home page, and the sign-in page's link. */
const supportEntrances = ['src/views/pages/home.ts', 'src/views/pages/sign-in.ts'];

/** Every state a support request can be in (a state added to the schema's type and not here does not compile). */
const supportStates: Record<SupportState, true> = { open: true, answered: true, closed: true };

/**
 * Keys the pages make at run time: `admin.type_${key}` (http/pages/admin-bulk.ts), a principal's
 * user types; `support.category_${c}` and `support.state_${s}` (views/pages/support.ts,
 * views/pages/admin/support.ts), from the real tables.
 */
const madeAtRunTime = new Set<string>([
  ...userTypesFor('principal').map((type) => `admin.type_${type}`),
  ...supportCategories.map((category) => `support.category_${category}`),
  ...Object.keys(supportStates).map((state) => `support.state_${state}`),
]);

/** The labels a guide's help line quotes, and those of the rest of it. */
const helpLabels = (guide: Guide) => quotedLabels({ ...guide, intro: [], before: [], steps: [], problems: [] });
const bodyLabels = (guide: Guide) => quotedLabels({ ...guide, help: [] });

const source = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const locales = allLocales;
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

describe('the labels a guide quotes', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp('pglite'); });
  after(() => t.close());

  test('each quoted label is drawn by the pages the guide describes (the help line\'s, by them or by System support\'s entrances)', () => {
    for (const topic of guideTopics) {
      const files = drawnBy[topic].map(source).join('\n');
      const entrances = supportEntrances.map(source).join('\n');
      for (const locale of locales) {
        const guide = guides[locale][topic];
        for (const key of bodyLabels(guide)) {
          assert.ok(files.includes(`'${key}'`) || madeAtRunTime.has(key), `${locale} ${topic} quotes «${key}», which ${drawnBy[topic].join(', ')} never draw`);
        }
        for (const key of helpLabels(guide)) {
          assert.ok(files.includes(`'${key}'`) || entrances.includes(`'${key}'`), `${locale} ${topic}'s help quotes «${key}», which neither its pages nor ${supportEntrances.join(', ')} draw`);
        }
      }
    }
  });

  test('every guide\'s help line points to System support by its label, in fa, he and en; one\'s own flows also name the sign-in page\'s link', async () => {
    for (const locale of locales) {
      for (const topic of guideTopics) {
        const quoted = helpLabels(guides[locale][topic]);
        assert.ok(quoted.includes('support.menu'), `${locale} ${topic}: help names ${catalogs[locale]['support.menu']}`);
        // The support guide's own steps already take the signed-out reader to that link.
        if (!isConsoleTopic(topic) && topic !== 'support') assert.ok(quoted.includes('support.ask_signed_out'), `${locale} ${topic}: help names the way in for someone who cannot sign in`);
        const body = (await t.app.inject(`/guides/${topic}?lang=${locale}`)).body;
        const help = /<h2>[^<]+<\/h2>\s*<p>((?:(?!<\/p>)[\s\S])*)<\/p>\s*<p><a href="\/guides">/.exec(body)?.[1] ?? '';
        assert.ok(help.includes(`data-label="support.menu">${escape(catalogs[locale]['support.menu'])}</b>`), `${locale} ${topic}: the help paragraph draws the label`);
      }
    }
  });

  test('the three languages quote the same labels, so no translation names a button the others do not', () => {
    for (const topic of guideTopics) {
      const fa = quotedLabels(guides.fa[topic]).sort();
      assert.ok(fa.length >= 2, `${topic} quotes the page's words`);
      assert.deepEqual(quotedLabels(guides.he[topic]).sort(), fa, `he ${topic}`);
      assert.deepEqual(quotedLabels(guides.en[topic]).sort(), fa, `en ${topic}`);
    }
  });

  test('a quoted label has no placeholder: it reads on the page exactly as in the guide', () => {
    for (const locale of locales) {
      for (const topic of guideTopics) {
        for (const key of quotedLabels(guides[locale][topic])) assert.doesNotMatch(catalogs[locale][key], /\{\w+\}/, `${locale} ${key}`);
      }
    }
  });

  test('the guide draws each label in the catalog\'s words of the reader\'s language, marked with its key', async () => {
    for (const locale of locales) {
      for (const topic of guideTopics) {
        const body = (await t.app.inject(`/guides/${topic}?lang=${locale}`)).body;
        const drawn = [...body.matchAll(/<b class="ui-label" data-label="([^"]+)">([^<]*)<\/b>/g)];
        assert.deepEqual([...new Set(drawn.map((m) => m[1]))].sort(), quotedLabels(guides[locale][topic]).sort(), `${locale} ${topic}`);
        for (const [, key, text] of drawn) assert.equal(text, escape(catalogs[locale][key as TextKey]), `${locale} ${topic} ${key}`);
      }
    }
  });

  test('the seeds\' own words are what the Persian and Hebrew guides quote', () => {
    // Seed 1 (GLOSSARY.md §7–§9) and seed 3 (§19–§20): the buttons the official guides name.
    const text = (locale: 'fa' | 'he', topic: GuideTopic) => quotedLabels(guides[locale][topic]).map((key) => catalogs[locale][key]);
    assert.ok(text('fa', 'admin-reset').includes('جستجو') && text('fa', 'admin-reset').includes('آیا از بازنشانی رمز عبور اطمینان دارید؟'));
    assert.ok(text('fa', 'admin-bulk-passwords').includes('دریافت رمز گروهی') && text('fa', 'admin-bulk-passwords').includes('تغییر رمز'));
    assert.ok(text('fa', 'change-password').includes('تغییر کلمه عبور') && text('fa', 'change-password').includes('ذخیره'));
    assert.ok(text('fa', 'sign-in').includes('رمز ورود را نمیدانم'));
    assert.ok(text('he', 'set-password').includes('אישור') && text('he', 'set-password').includes('שמירה') && text('he', 'set-password').includes('סגירה'));
    assert.ok(text('he', 'one-time-code').includes('שלחו לי SMS'));
    // Seed 1's «پشتیبانی سامانه» and its Hebrew «מוקד תמיכה» (GLOSSARY.md §22), in every guide's help.
    for (const topic of guideTopics) {
      assert.ok(text('fa', topic).includes('پشتیبانی سامانه'), `fa ${topic}`);
      assert.ok(text('he', topic).includes('מוקד תמיכה'), `he ${topic}`);
    }
  });
});
