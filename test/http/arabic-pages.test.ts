// Arabic pages in both profiles: offered by the switcher, chosen by Accept-Language, right to
// left; the digits switch and its cookie; dates in the profile's calendar and the chosen
// digits, typed back in any digits; sign-in and registration typed in Arabic-Indic digits.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { toLatinDigits } from '../../src/domain/digits.ts';
import { chooseLocale, negotiate } from '../../src/http/plugins/i18n.ts';
import { easyCaptcha, solvedPayload } from '../captcha/solve.ts';
import { createAgent } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';

const PASSWORD = 'Layla-Haddad-1404!';
/** Latin digits → Arabic-Indic, as an Arabic keyboard types them. */
const arabicIndic = (text: string) => text.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));

const profiles = [
  // Iran: Solar Hijri; Arabic-Indic digits unless the person chooses Latin.
  { profile: 'ir', nationalId: nationalIdFor(301), defaultDigits: '٠١٢', otherDigits: 'latn', home: /من ١٤٠٤\/٠٧\/٠١ إلى ١٤٠٥\/٠٦\/٣١/, homeOther: /من 1404\/07\/01 إلى 1405\/06\/31/ },
  // Israel: Gregorian day first; Latin digits unless the person chooses Arabic-Indic.
  { profile: 'il', nationalId: '039337423', defaultDigits: '012', otherDigits: 'arab', home: /من 23\/09\/2025 إلى 22\/09\/2026/, homeOther: /من ٢٣\/٠٩\/٢٠٢٥ إلى ٢٢\/٠٩\/٢٠٢٦/ },
] as const;

test('Accept-Language: ar and its regions bring Arabic, in the order of preference', () => {
  for (const header of ['ar', 'ar-IL', 'AR-sa', 'ar-EG;q=0.9, en;q=0.5', 'fr, ar-JO;q=0.7']) assert.equal(negotiate(header), 'ar', header);
  assert.equal(negotiate('he-IL, ar;q=0.5'), 'he');
  const page = (acceptLanguage: string, cookie?: string) => chooseLocale({ url: '/sign-in', lang: undefined, cookie, acceptLanguage }, 'he');
  assert.equal(page('ar-IL'), 'ar');
  assert.equal(page('ar-IL', 'he'), 'he', 'a language chosen here wins over the phone\'s');
});

for (const p of profiles) {
  describe(`Arabic pages (${p.profile} profile)`, () => {
    let t: TestApp;
    let tree: Tree;
    before(async () => {
      t = await startTestApp('postgres', { KELID_PROFILE: p.profile, KELID_ADMIN_MFA: 'optional', ...easyCaptcha, KELID_SMS: 'dev', KELID_EMAIL: 'dev' });
      tree = await createTree(t.handle.db);
    });
    after(() => t.close());

    test('the switcher offers العربية on the profile\'s default page, without a digits switch there', async () => {
      const page = await createAgent(t.app).get('/sign-in');
      assert.match(page.body, new RegExp(`<html lang="${p.profile === 'ir' ? 'fa' : 'he'}" dir="rtl">`));
      assert.match(page.body, /<a lang="ar" hreflang="ar" href="\/sign-in\?lang=ar">العربية<\/a>/);
      assert.doesNotMatch(page.body, /\?digits=/, 'the digits switch is for Arabic pages only');
    });

    for (const header of ['ar', 'ar-IL', 'ar-SA,ar;q=0.9,en;q=0.8']) {
      test(`Accept-Language ${header} gives the Arabic page, right to left, with the digits switch`, async () => {
        const page = await createAgent(t.app).get('/sign-in', { 'accept-language': header });
        assert.match(page.body, new RegExp(`<html lang="ar" dir="rtl" data-digits="${p.profile === 'ir' ? 'arab' : 'latn'}">`));
        assert.match(page.body, /<span lang="ar" aria-current="true">العربية<\/span>/);
        assert.match(page.body, /<title>تسجيل الدخول · كليد<\/title>/);
        assert.match(page.body, /<nav class="langs digits" aria-label="الأرقام">/);
        assert.match(page.body, new RegExp(`<span aria-current="true">${p.defaultDigits}</span>`));
      });
    }

    test('the digits chosen are remembered in a cookie and written in every date of the page', async () => {
      const { nationalId } = p;
      await createAccount(t.handle.db, t.hasher, { nationalId, password: PASSWORD, firstName: 'ليلى', lastName: 'حداد', memberships: [{ organizationId: tree.schoolA, role: 'teacher' }] });
      const agent = createAgent(t.app);
      // Signed in with the national ID typed in Arabic-Indic digits.
      const signedIn = await agent.submit('/sign-in?lang=ar', { identifier: arabicIndic(nationalId), password: PASSWORD });
      assert.equal(signedIn.statusCode, 303, signedIn.body.slice(0, 300));
      assert.equal(signedIn.headers.location, '/');
      const home = await agent.get('/');
      assert.match(home.body, /<html lang="ar" dir="rtl" data-digits="(arab|latn)">/);
      assert.match(home.body, /أهلًا بك، ليلى حداد/);
      assert.match(home.body, p.home, 'the appointment in the profile\'s calendar and default digits');

      const switched = await agent.get(`/?digits=${p.otherDigits}`);
      assert.ok(switched.cookies.some((c) => c.name === 'kelid_digits' && c.value === p.otherDigits && c.httpOnly));
      assert.match((await agent.get('/')).body, p.homeOther, 'the choice stays for the next page');
      const nonsense = await agent.get('/?digits=roman');
      assert.equal(nonsense.statusCode, 200);
      assert.match(nonsense.body, p.homeOther, 'an unknown choice changes nothing');
    });

    test('a registration in Arabic takes Arabic-Indic digits and sends its codes in Arabic', async () => {
      const nationalId = p.profile === 'ir' ? '0076229645' : '000000018';
      const birth = p.profile === 'ir' ? '١٣٨٤/٠٦/١٥' : '٠٦/٠٩/٢٠٠٥';
      await t.handle.db.insertInto('people').values({ national_id: nationalId, first_name: 'سارا', last_name: 'خوري', birth_date: '2005-09-06' }).execute();
      const agent = createAgent(t.app);
      const start = await agent.get('/register?lang=ar');
      const flowUrl = String(start.headers.location);
      const rules = await agent.get(flowUrl);
      assert.match(rules.body, /أوافق على القواعد المذكورة/);
      await agent.submit(flowUrl, { accept: 'yes' });
      const details = await agent.get(flowUrl);
      assert.match(details.body, p.profile === 'ir' ? /تاريخ الميلاد \(مثلًا ١٣٨٦\/١١\/٣٠\)/ : /تاريخ الميلاد \(مثلًا 19\/02\/2008\)/, 'the example in the calendar and digits typed');
      const chosen = await agent.get(`${flowUrl}?digits=${p.otherDigits}`);
      assert.match(chosen.body, p.profile === 'ir' ? /\(مثلًا 1386\/11\/30\)/ : /\(مثلًا ١٩\/٠٢\/٢٠٠٨\)/, 'and in the digits chosen');
      const mobile = p.profile === 'ir' ? '٠٩١٢٣٤٥٦٧٨٩' : '٠٥٢٨١٢٣٤٥٦';
      const filled = await agent.submit(flowUrl, {
        nationality: 'citizen', firstName: 'سارا', lastName: 'خوري', nationalId: arabicIndic(nationalId), birthDate: birth,
        mobile, email: `sara-${p.profile}@example.org`, password: PASSWORD, repeat: PASSWORD, captcha: await solvedPayload(t.app),
      });
      assert.equal(filled.statusCode, 303, [...filled.body.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => m[1]).join(' | '));
      await agent.submit(flowUrl, { action: 'send_sms' });
      const messages: { to: string; text: string }[] = (await t.app.inject('/dev/outbox.json')).json();
      const to = p.profile === 'ir' ? '+989123456789' : '+972528123456';
      const sms = messages.find((m) => m.to === to);
      assert.match(sms?.text ?? '', /رمز التفعيل الخاص بك: \d{6}/, 'the SMS in Arabic');
      const email = messages.find((m) => m.to === `sara-${p.profile}@example.org`);
      const code = (text: string | undefined) => arabicIndic(/\d{6}/.exec(toLatinDigits(text ?? ''))![0]);
      const done = await agent.submit(flowUrl, { action: 'verify', mobileCode: code(sms?.text), emailCode: code(email?.text) });
      assert.equal(done.statusCode, 303, done.body.slice(0, 600));
      assert.match((await agent.get(flowUrl)).body, /جارٍ إنشاء حسابك/);
    });

    test('a date typed in Arabic-Indic digits on an admin form is read in the profile\'s calendar', async () => {
      const adminId = p.profile === 'ir' ? nationalIdFor(302) : '000000026';
      await createAccount(t.handle.db, t.hasher, { nationalId: adminId, password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'principal' }] });
      const agent = createAgent(t.app);
      assert.equal((await agent.submit('/sign-in?lang=ar&digits=arab', { identifier: adminId, password: PASSWORD })).statusCode, 303);
      const form = await agent.get('/admin/users/new');
      assert.match(form.body, p.profile === 'ir' ? /١٤٠٤\/٠٧\/٠١/ : /٢٣\/٠٩\/٢٠٢٥/, 'the date hint in the chosen digits');
      const teacherId = p.profile === 'ir' ? nationalIdFor(303) : '000000034';
      await t.handle.db.insertInto('people').values({ national_id: teacherId, first_name: 'يوسف', last_name: 'عودة', birth_date: '1990-03-04' }).execute();
      const [start, end] = p.profile === 'ir' ? ['١٤٠٥/٠٦/١٠', '١٤٠٦/٠٤/٠٩'] : ['٠١/٠٩/٢٠٢٦', '٣٠/٠٦/٢٠٢٧'];
      const saved = await agent.submit('/admin/users/new', { action: 'save', nationalId: arabicIndic(teacherId), role: 'teacher', start, end, childNationalId: '', organizationId: '' });
      assert.equal(saved.statusCode, 303, [...saved.body.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => m[1]).join(' | '));
      const added = await t.handle.db.selectFrom('memberships as m').innerJoin('accounts as a', 'a.id', 'm.account_id').innerJoin('people as pe', 'pe.id', 'a.person_id')
        .select(['m.starts_on', 'm.ends_on']).where('pe.national_id', '=', teacherId).executeTakeFirstOrThrow();
      assert.deepEqual([added.starts_on, added.ends_on], ['2026-09-01', '2027-06-30']);
    });
  });
}
