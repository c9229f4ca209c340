// The pure rules of a support request (domain/support-request.ts): the page it came from,
// the screenshot's magic bytes, the text's hidden characters, a signed-out person's contact.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normalizeMessage, parseContact, parseFromPath, parseSupportInput, screenshotType, SUPPORT_LIMITS } from '../../src/domain/support-request.ts';

describe('support request rules', () => {
  test('the page it came from is a path of this site, canonical, or nothing', () => {
    assert.deepEqual(parseFromPath('/register?lang=fa'), { ok: true, value: '/register?lang=fa' });
    assert.deepEqual(parseFromPath('/a/../admin/users'), { ok: true, value: '/admin/users' });
    assert.deepEqual(parseFromPath('/ثبت'), { ok: true, value: '/%D8%AB%D8%A8%D8%AA' });
    assert.deepEqual(parseFromPath(undefined), { ok: true, value: null });
    assert.deepEqual(parseFromPath('  '), { ok: true, value: null });
    for (const hostile of [
      'https://evil.example/', 'http:/evil.example', '//evil.example', '///evil.example', '/\\evil.example', '\\\\evil.example', 'javascript:alert(1)',
      'data:text/html,<script>', 'evil.example/x', '/\u202e/x', '/a\u0000b', '/a\nb', `/${'a'.repeat(SUPPORT_LIMITS.from)}`,
      // Dot segments that the URL parser folds into a network-path reference (`//evil.example`).
      '/.//evil.example', '/a/..//evil.example/x', '/./\u002f/evil.example',
    ]) {
      assert.deepEqual(parseFromPath(hostile), { ok: false, code: 'support.from_invalid' }, JSON.stringify(hostile));
    }
  });

  test('a screenshot is a PNG or a JPEG by its first bytes, whatever its name or claimed type', () => {
    assert.equal(screenshotType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0])), 'image/png');
    assert.equal(screenshotType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0])), 'image/jpeg');
    assert.equal(screenshotType(Buffer.from('<!doctype html><html>')), undefined);
    assert.equal(screenshotType(Buffer.from('GIF89a')), undefined);
    assert.equal(screenshotType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')), undefined);
    assert.equal(screenshotType(Buffer.from([0x89, 0x50, 0x4e, 0x47])), undefined, 'a truncated signature');
    assert.equal(screenshotType(Buffer.alloc(0)), undefined);
  });

  test('free text loses direction overrides, zero-width characters and controls, keeps ZWNJ and its lines', () => {
    assert.equal(normalizeMessage('\u202Eسلام\u202C می\u200cروم\u200b\r\nخط\u0007 دو\n\n\n\nپایان\u2066  '), 'سلام می\u200cروم\nخط دو\n\nپایان');
    const parsed = parseSupportInput({ category: 'other', subject: '  عنوان\n\tدو  ', text: 'متن' });
    assert.ok(parsed.ok);
    assert.equal(parsed.value.subject, 'عنوان دو');
    const bad = parseSupportInput({ category: 'root', subject: '\u200f', text: 'x'.repeat(SUPPORT_LIMITS.text + 1), from: '//x' });
    assert.ok(!bad.ok);
    assert.deepEqual(bad.errors.map((e) => e.code), ['support.category_invalid', 'support.subject_required', 'support.text_too_long', 'support.from_invalid']);
  });

  test('a contact is an email or a mobile of the profile\'s country, in any digits', () => {
    assert.deepEqual(parseContact(' Ali@Example.ORG ', 'ir'), { ok: true, value: { channel: 'email', to: 'ali@example.org' } });
    assert.deepEqual(parseContact('۰۹۱۲ ۱۲۳ ۴۵۶۷', 'ir'), { ok: true, value: { channel: 'sms', to: '+989121234567' } });
    assert.deepEqual(parseContact('050-234-5678', 'il'), { ok: true, value: { channel: 'sms', to: '+972502345678' } });
    assert.deepEqual(parseContact('', 'ir'), { ok: false, code: 'support.contact_required' });
    assert.deepEqual(parseContact('021 8888 0000', 'ir'), { ok: false, code: 'support.contact_invalid' });
    assert.deepEqual(parseContact('not@an', 'ir'), { ok: false, code: 'support.contact_invalid' });
  });
});
