// Someone else's text on its way to the logs (domain/text.ts withoutPersonalData).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { withoutPersonalData } from '../../src/domain/text.ts';

describe('text for the logs', () => {
  test('numbers of six digits or more, in any script and as people write them, and email addresses go', () => {
    assert.equal(withoutPersonalData('invalid destination +989121234567'), 'invalid destination [number]');
    assert.equal(withoutPersonalData('to +98 (912) 123-4567.'), 'to [number].');
    assert.equal(withoutPersonalData('code 123 456'), 'code [number]');
    assert.equal(withoutPersonalData('کد ورود: ۶۵۴۳۲۱'), 'کد ورود: [number]');
    assert.equal(withoutPersonalData('رمز: ٦٥٤٣٢١'), 'رمز: [number]');
    assert.equal(withoutPersonalData('national ID 0045678911 unknown'), 'national ID [number] unknown');
    assert.equal(withoutPersonalData('550 <Someone.Else+x@example.org>: Recipient address rejected'), '550 <[email]>: Recipient address rejected');
    assert.equal(withoutPersonalData('to=%2B989121234567&email=ali%40example.org'), 'to=[number]&email=[email]', 'a form body quoted');
    assert.equal(withoutPersonalData('0912.123.4567 or 0912/123/4567'), '[number] or [number]');
  });

  test('what says what went wrong stays: statuses, reply and error codes, words', () => {
    for (const text of ['webhook 400: {"error":"bad"}', 'kavenegar 418: credit', '21211 Invalid To', 'ETIMEDOUT after 5000 ms', '']) assert.equal(withoutPersonalData(text), text);
  });
});
