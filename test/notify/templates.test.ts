// Message templates: every template in every language, RTL email, escaping, typed parameters.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderTemplate, TemplateError } from '../../src/notify/templates.ts';
import type { Formatting } from '../../src/i18n/format.ts';

const account = { name: 'سارا احمدی', username: '0076229645', url: 'https://kelid.example/sign-in' };

describe('message templates', () => {
  test('the verification SMS carries the 6-digit code and says it lasts 5 minutes, in fa, he and en', () => {
    assert.match(renderTemplate('verification.sms', 'sms', 'fa', { code: '042917' }).text, /کد فعال سازی شما: 042917[\s\S]*۵ دقیقه/);
    assert.match(renderTemplate('verification.sms', 'sms', 'he', { code: '042917' }).text, /קוד האימות שלך: 042917[\s\S]*5 דקות/);
    assert.match(renderTemplate('verification.sms', 'sms', 'en', { code: '042917' }).text, /code: 042917[\s\S]*5 minutes/);
  });

  test('the voice text reads the code digit by digit, twice', () => {
    const fa = renderTemplate('verification.voice', 'voice', 'fa', { code: '042917' }).text;
    assert.equal(fa.split('صفر، چهار، دو، نه، یک، هفت').length - 1, 2);
    const he = renderTemplate('verification.voice', 'voice', 'he', { code: '042917' }).text;
    assert.ok(he.includes('אפס, ארבע, שתיים, תשע, אחת, שבע'));
    const en = renderTemplate('verification.voice', 'voice', 'en', { code: '042917' }).text;
    assert.ok(en.includes('zero, four, two, nine, one, seven'));
    assert.ok(!en.includes('042917'), 'never the number as a whole, which an engine would read as forty-two thousand…');
  });

  test('emails are RTL in Persian and Hebrew, LTR in English, with a subject and a text part', () => {
    for (const [locale, dir] of [['fa', 'rtl'], ['he', 'rtl'], ['en', 'ltr']] as const) {
      const email = renderTemplate('verification.email', 'email', locale, { code: '123456' });
      assert.ok(email.subject && email.subject.length > 0);
      assert.match(email.html ?? '', new RegExp(`<html lang="${locale}" dir="${dir}">`));
      assert.match(email.html ?? '', new RegExp(`<div lang="${locale}" dir="${dir}"`));
      assert.match(email.html ?? '', /<p dir="ltr"[^>]*>123456<\/p>/);
      assert.match(email.text, /123456/);
    }
  });

  test('the registration email greets with the seed wording and gives the username, never a password', () => {
    const fa = renderTemplate('registration.done.email', 'email', 'fa', account);
    assert.ok(fa.text.startsWith('با سلام'));
    assert.match(fa.text, /متقاضی گرامی، شما با نام کاربری 0076229645/);
    assert.ok(fa.text.trimEnd().endsWith('با تشکر'));
    const he = renderTemplate('registration.done.sms', 'sms', 'he', account);
    assert.match(he.text, /^חשבונך נוצר/);
    assert.match(he.text, /0076229645/);
    for (const rendered of [fa, he]) assert.doesNotMatch(rendered.text, /password:|کلمه عبور:|סיסמה:/i);
  });

  test('a name with HTML comes out escaped in the email and as plain text in the text part', () => {
    const name = '<script>alert("x")</script> & "Ali"';
    const email = renderTemplate('registration.done.email', 'email', 'en', { ...account, name });
    assert.ok(!email.html?.includes('<script>'));
    assert.ok(email.html?.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Ali&quot;'));
    assert.ok(email.text.includes(name));
    const subjectEscaped = renderTemplate('password.changed', 'email', 'he', { name: '<b>x</b>' });
    assert.ok(subjectEscaped.html?.includes('&lt;b&gt;x&lt;/b&gt;'));
  });

  test('the set-password link tells a new account it was opened and an existing one that this is a link to set its password; hours and minutes in Persian digits', () => {
    const link = { name: 'سارا احمدی', url: 'https://kelid.example/set-password?token=x', hours: '72' };
    const fresh = renderTemplate('invitation.email', 'email', 'fa', { ...link, account: 'new' }).text;
    assert.match(fresh, /برای شما در سامانه کلید حساب کاربری ساخته شده است/);
    assert.match(fresh, /این پیوند ۷۲ ساعت/);
    const existing = renderTemplate('invitation.email', 'email', 'fa', { ...link, account: 'existing' }).text;
    assert.doesNotMatch(existing, /حساب کاربری ساخته شده/);
    assert.match(existing, /برای حساب کاربری شما در سامانه کلید پیوند تعیین کلمه عبور فرستاده شده است/);
    assert.match(existing, /این پیوند ۷۲ ساعت/);
    const he = renderTemplate('invitation.email', 'email', 'he', { ...link, account: 'existing' }).text;
    assert.doesNotMatch(he, /נפתח עבורך חשבון/);
    assert.match(he, /קישור לקביעת סיסמה חדשה לחשבונך[\s\S]*בתוקף 72 שעות/);
    assert.doesNotMatch(renderTemplate('invitation.email', 'email', 'en', { ...link, account: 'existing' }).text, /has been opened/);
    assert.match(renderTemplate('recovery.link', 'email', 'fa', { url: link.url, minutes: '30' }).text, /تا ۳۰ دقیقه/);
  });

  test('the set-password link\'s hours agree with their number: one hour, Hebrew\'s and Arabic\'s dual, Arabic\'s 3–10 and 11+', () => {
    const hoursIn = (locale: Formatting, hours: string) =>
      renderTemplate('invitation.email', 'email', locale, { name: 'x', url: 'https://kelid.example/set-password?token=x', hours, account: 'new' }).text;
    const expected: [Formatting, string, RegExp][] = [
      ['en', '1', /works for 1 hour, once/], ['en', '2', /works for 2 hours, once/], ['en', '72', /works for 72 hours, once/],
      ['he', '1', /בתוקף שעה אחת וניתן/], ['he', '2', /בתוקף שעתיים וניתן/], ['he', '3', /בתוקף 3 שעות וניתן/], ['he', '72', /בתוקף 72 שעות וניתן/],
      ['ar-arab-gregory', '1', /لمدة ساعة واحدة\./], ['ar-arab-gregory', '2', /لمدة ساعتين\./], ['ar-arab-gregory', '3', /لمدة ٣ ساعات\./],
      ['ar-arab-gregory', '10', /لمدة ١٠ ساعات\./], ['ar-latn-gregory', '11', /لمدة 11 ساعة\./], ['ar-arab-persian', '72', /لمدة ٧٢ ساعة\./],
      ['ar-latn-persian', '100', /لمدة 100 ساعة\./],
      ['fa', '1', /این پیوند ۱ ساعت/], ['fa', '72', /این پیوند ۷۲ ساعت/],
    ];
    for (const [locale, hours, text] of expected) assert.match(hoursIn(locale, hours), text, `${locale} ${hours}`);
  });

  test('the reminder shows the deadline in the locale\'s calendar, by SMS or email', () => {
    const fa = renderTemplate('registration.reminder', 'sms', 'fa', { name: 'سارا', deadline: '2025-12-20', url: account.url });
    assert.match(fa.text, /۲۹ آذر ۱۴۰۴/);
    const en = renderTemplate('registration.reminder', 'email', 'en', { name: 'Sara', deadline: '2025-12-20', url: account.url });
    assert.match(en.text, /20 December 2025/);
    assert.ok(en.html?.includes('href="https://kelid.example/sign-in"'));
  });

  test('password changed uses the seed\'s Persian sentence', () => {
    assert.match(renderTemplate('password.changed', 'sms', 'fa', { name: 'x' }).text, /کلمه عبور شما با موفقیت تغییر یافت/);
  });

  test('a wrong channel, a missing parameter, a malformed code or a non-http link is refused', () => {
    assert.throws(() => renderTemplate('verification.sms', 'email', 'fa', { code: '123456' }), TemplateError);
    assert.throws(() => renderTemplate('verification.sms', 'sms', 'fa', {} as { code: string }), TemplateError);
    assert.throws(() => renderTemplate('verification.sms', 'sms', 'fa', { code: '12ab56' }), TemplateError);
    assert.throws(() => renderTemplate('registration.done.email', 'email', 'fa', { ...account, url: 'javascript:alert(1)' }), TemplateError);
  });
});
