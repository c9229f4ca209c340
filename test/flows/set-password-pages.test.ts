// Set password from an emailed link (F19) through the pages, in Hebrew on the Israeli profile
// (seed 3's own wizard): the link starts a flow bound to the browser and leaves the address bar
// at once, the step bar and the seed's words, the policy page from the configured policy,
// "your details were saved successfully!", and a used link that offers a new one.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { ilCheckDigit } from '../../src/domain/national-id.ts';
import { createAgent, csrfTokenOf } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, type Tree } from '../helpers/fixtures.ts';
import { invitedPerson, linkFor, newestTo } from '../helpers/set-password.ts';

const PASSWORD = 'Shir-Hadash-2026!';
const israeliId = (n: number) => { const first8 = String(20_000_000 + n); return `${first8}${ilCheckDigit(first8)}`; };
const he = { 'accept-language': 'he' };

describe('set password from an emailed link: the pages, in Hebrew', () => {
  let t: TestApp;
  let tree: Tree;
  let principalToken: string;
  let n = 0;

  before(async () => {
    t = await startTestApp('pglite', { KELID_PROFILE: 'il', KELID_ADMIN_MFA: 'optional', KELID_SMS: 'dev', KELID_EMAIL: 'dev', KELID_PASSWORD_MIN_LENGTH: '10' });
    tree = await createTree(t.handle.db);
    await createAccount(t.handle.db, t.hasher, { nationalId: israeliId(1), password: 'Menahelet-Beit-Sefer-1!', memberships: [{ organizationId: tree.schoolA, role: 'principal' }] });
    principalToken = (await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: israeliId(1), password: 'Menahelet-Beit-Sefer-1!' } })).json().token;
  });
  after(() => t.close());

  async function invite() {
    const nationalId = israeliId(100 + n++);
    const email = `horim${n}@example.org`;
    const person = await invitedPerson(t.handle.db, { nationalId, email, organizationId: tree.schoolA, firstName: 'תמר', lastName: 'שפירא' });
    const sent = await t.app.inject({ method: 'POST', url: `/api/v1/admin/users/${person.accountId}/invitations`, headers: { authorization: `Bearer ${principalToken}` } });
    assert.equal(sent.statusCode, 202, sent.body);
    return { ...person, nationalId, email, link: await linkFor(t.app, email) };
  }

  test('an account that already has a password gets a link to set a new one, not news of an account opened for it', async () => {
    const nationalId = israeliId(190);
    const email = 'kvar-yesh@example.org';
    const person = await invitedPerson(t.handle.db, { nationalId, email, organizationId: tree.schoolA, withPassword: 'Sisma-Yeshana-2024!', hash: (p) => t.hasher.hash(p) });
    const sent = await t.app.inject({ method: 'POST', url: `/api/v1/admin/users/${person.accountId}/invitations`, headers: { authorization: `Bearer ${principalToken}` } });
    assert.equal(sent.statusCode, 202, sent.body);
    const message = await newestTo(t.app, email, 'invitation.email');
    assert.doesNotMatch(message!.text, /נפתח עבורך חשבון/);
    assert.match(message!.text, /נשלח אליך קישור לקביעת סיסמה חדשה לחשבונך במערכות משרד החינוך/);
  });

  test('the email and the wizard in Hebrew, from the link to "פרטיך נשמרו בהצלחה!" and a sign-in with the user code', async () => {
    const person = await invite();
    const email = await newestTo(t.app, person.email, 'invitation.email');
    assert.match(email!.text, /שלום תמר שפירא,\n\nנפתח עבורך חשבון במערכות משרד החינוך\. כדי לקבוע סיסמה לחץ על הקישור:/);
    const stored = (await sql<{ subject: string; html: string }>`select subject, html from outbox where id = ${email!.id}`.execute(t.handle.db)).rows[0]!;
    assert.equal(stored.subject, 'סיסמה למערכות משרד החינוך באינטרנט', 'the subject of seed 3 (002:35)');
    assert.match(stored.html, />לקביעת סיסמה לחץ כאן<\/a>/);

    const browser = createAgent(t.app);
    const opened = await browser.get(person.link.path, he);
    assert.equal(opened.statusCode, 303);
    assert.equal(opened.headers['referrer-policy'], 'no-referrer');
    const flowPath = String(opened.headers.location);
    assert.match(flowPath, /^\/set-password\/[0-9a-f-]{36}$/, 'the token leaves the address bar');

    const identify = await browser.get(flowPath, he);
    assert.equal(identify.statusCode, 200);
    assert.match(identify.body, /<h1>קביעת סיסמה<\/h1>/);
    assert.match(identify.body, /<li class="done">פרטי זיהוי<\/li><li aria-current="step">אימות<\/li><li>בחירת סיסמה<\/li><li>סיום<\/li>/);
    assert.match(identify.body, /לצורך קביעת סיסמה יש להזין מספר זהות\./);
    assert.match(identify.body, /<label for="nationalId">מספר הזהות שלך/);
    assert.match(identify.body, /value="confirm"[^>]*>אישור<\/button>/);
    assert.ok(!identify.body.includes(person.email) && !identify.body.includes('תמר'), 'nothing about the person before the ID');

    const stranger = createAgent(t.app);
    assert.equal((await stranger.get(flowPath, he)).statusCode, 404, 'the flow is this browser\'s');

    const wrong = await browser.post(flowPath, { _csrf: csrfTokenOf(identify.body), action: 'confirm', nationalId: israeliId(9999) }, he);
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /מספר הזהות אינו תואם את הקישור\. נותרו 4 ניסיונות\./);
    const right = await browser.post(flowPath, { _csrf: csrfTokenOf(wrong.body), action: 'confirm', nationalId: ` ${person.nationalId.slice(0, 4)}-${person.nationalId.slice(4)} ` }, he);
    assert.equal(right.statusCode, 303);

    const choose = await browser.get(flowPath, he);
    assert.match(choose.body, /<li aria-current="step">בחירת סיסמה<\/li>/);
    assert.match(choose.body, /<a href="\/password-policy"[^>]*>למדיניות הסיסמה לחצו כאן<\/a>/);
    assert.match(choose.body, /<label for="repeat">הסיסמה בשנית/);
    assert.match(choose.body, /<label for="question">שאלת זיהוי/);
    assert.match(choose.body, /<option value="father_birth_city">באיזו עיר נולד אביך\?<\/option>/);
    assert.match(choose.body, /<label for="answer">תשובה תואמת לשאלה/);
    assert.match(choose.body, new RegExp(`id="email" name="email" type="email" value="${person.email}"`));
    assert.match(choose.body, /value="save"[^>]*>שמירה<\/button>/);

    const short = await browser.post(flowPath, { _csrf: csrfTokenOf(choose.body), action: 'save', password: 'Short-1!', repeat: 'Short-1!', question: 'first_school', answer: 'אורט', email: person.email }, he);
    assert.equal(short.statusCode, 422);
    assert.match(short.body, /הסיסמה צריכה להכיל לפחות 10 תווים/, 'the configured policy');
    assert.match(short.body, /<option value="first_school" selected>/, 'the question chosen is kept');
    const saved = await browser.post(flowPath, { _csrf: csrfTokenOf(short.body), action: 'save', password: PASSWORD, repeat: PASSWORD, question: 'first_school', answer: 'אורט', email: person.email }, he);
    assert.equal(saved.statusCode, 303);
    const done = await browser.get(flowPath, he);
    assert.match(done.body, /פרטיך נשמרו בהצלחה!/);
    assert.match(done.body, /קוד המשתמש שלכם הנו קבוע ואינו ניתן לשינוי!/);
    assert.ok(done.body.includes(`${person.userCode.slice(0, 4)}-${person.userCode.slice(4)}`), 'the user code is shown');
    assert.match(done.body, /<a class="button" href="\/sign-in">סגירה<\/a>/);
    const confirmation = await newestTo(t.app, person.email, 'set_password.done.email');
    assert.match(confirmation!.text, /קוד המשתמש שלכם הנו קבוע ואינו ניתן לשינוי!/);

    const signIn = await createAgent(t.app).submit('/sign-in', { identifier: person.userCode, password: PASSWORD });
    assert.equal(signIn.statusCode, 303);
    assert.notEqual(signIn.headers.location, '/sign-in');

    // The link again, in the same browser: it says it was used and offers a new one.
    const again = await browser.get(person.link.path, he);
    const used = await browser.get(String(again.headers.location), he);
    assert.match(used.body, /כבר נקבעה סיסמה באמצעות קישור זה/);
    assert.match(used.body, /value="new_link"[^>]*>שלחו לי קישור חדש<\/button>/);
    const asked = await browser.post(String(again.headers.location), { _csrf: csrfTokenOf(used.body), action: 'new_link' }, he);
    assert.equal(asked.statusCode, 303);
    const told = await browser.get(String(again.headers.location), he);
    assert.match(told.body, /אם רשומה בחשבון כתובת דוא&quot;ל, נשלח אליה קישור חדש\./);
    assert.notEqual((await linkFor(t.app, person.email)).token, person.link.token);
  });

  test('a link that is no link: the page says so at once, with no referrer and no redirect', async () => {
    const browser = createAgent(t.app);
    const bad = await browser.get(`/set-password?token=${'A'.repeat(43)}`, he);
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.headers['referrer-policy'], 'no-referrer');
    assert.match(bad.body, /הקישור אינו תקין/);
    assert.ok(!bad.body.includes('A'.repeat(43)), 'the token is not written back into the form');
    const hostile = await browser.get(`/set-password?token=${'%F0%9F%98%80'.repeat(2000)}`, he);
    assert.ok(hostile.statusCode < 500);
    const none = await browser.get('/set-password', he);
    assert.equal(none.statusCode, 303, 'without a token, the first step asks for it');
    assert.match((await browser.get(String(none.headers.location), he)).body, /הקוד מהקישור שבמייל/);
  });

  test('the password policy page tells the configured policy in fa, he and en', async () => {
    const page = await t.app.inject({ url: '/password-policy?lang=he' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1>מדיניות הסיסמה<\/h1>/);
    assert.match(page.body, /להכיל לפחות 10 תווים/);
    assert.match(page.body, /להכיל תו מיוחד/);
    assert.match((await t.app.inject({ url: '/password-policy?lang=fa' })).body, /دست کم ۱۰ کاراکتر/);
    assert.match((await t.app.inject({ url: '/password-policy?lang=en' })).body, /have at least 10 characters/);
  });
});
