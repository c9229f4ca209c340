// The announcement's text rules, pure (src/domain/announcement.ts): what is stored, what is
// refused, and how the text is cut into words, links and line breaks for the view.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addDays, normalizeText, normalizeTitle, parseApiDate, showingPeriod, textPieces } from '../../src/domain/announcement.ts';
import { announcementText } from '../../src/views/components/news.ts';

describe('announcement text', () => {
  test('every bidi embedding, override and isolate control is refused, in the title and the text', () => {
    for (let code = 0x202a; code <= 0x202e; code++) assert.deepEqual(normalizeText(`a${String.fromCharCode(code)}b`), { ok: false, code: 'announcement.bidi_control' });
    for (let code = 0x2066; code <= 0x2069; code++) assert.deepEqual(normalizeTitle(`a${String.fromCharCode(code)}b`), { ok: false, code: 'announcement.bidi_control' });
  });

  test('other invisibles go, ZWNJ stays, lines are kept, at most one empty line in a row', () => {
    assert.deepEqual(normalizeText('می\u200cروم\u200b \u200e\r\n\r\n\r\n\tدوم  سطر \u0007'), { ok: true, value: 'می\u200cروم\n\nدوم سطر' });
    assert.deepEqual(normalizeTitle('  عنوان\nدو خطی  '), { ok: true, value: 'عنوان دو خطی' });
    assert.equal(normalizeText('x'.repeat(4000)).ok, true);
    assert.deepEqual(normalizeText('x'.repeat(4001)), { ok: false, code: 'announcement.text_too_long' });
    assert.equal(normalizeText('😀'.repeat(4000)).ok, true, 'counted in characters, not UTF-16 units');
  });

  test('only http(s) addresses become links; punctuation after one stays text; nothing else is a link', () => {
    assert.deepEqual(textPieces('see https://example.org/a?b=1, then (http://x.example/).\nok'), [
      { kind: 'text', text: 'see ' }, { kind: 'link', text: 'https://example.org/a?b=1', href: 'https://example.org/a?b=1' }, { kind: 'text', text: ', then (' },
      { kind: 'link', text: 'http://x.example/', href: 'http://x.example/' }, { kind: 'text', text: ').' }, { kind: 'break' }, { kind: 'text', text: 'ok' },
    ]);
    for (const text of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'vbscript:x', 'ftp://example.org/', '//example.org', 'https://user:pw@example.org/', 'https://']) {
      assert.ok(textPieces(text).every((p) => p.kind !== 'link'), text);
    }
  });

  test('the view escapes every piece: markup typed in is shown as text, a link\'s address is quoted', () => {
    const out = announcementText('<b>x</b> https://example.org/"onmouseover="alert(1) <img onerror=alert(1)>').value;
    assert.doesNotMatch(out, /<b>|<img|"onmouseover/);
    assert.match(out, /&lt;b&gt;x&lt;\/b&gt;/);
    assert.match(out, /<a href="https:\/\/example.org\/" rel="noopener noreferrer nofollow" dir="ltr">https:\/\/example.org\/<\/a>/);
  });

  test('dates: ISO with any digits; the period defaults to thirty days from today and is at most 366', () => {
    assert.deepEqual(parseApiDate('۲۰۲۶-۱۱-۲۵'), { ok: true, value: '2026-11-25' });
    assert.deepEqual(parseApiDate(''), { ok: true, value: undefined });
    assert.deepEqual(parseApiDate('2026-11-31'), { ok: false, code: 'announcement.date_invalid' });
    assert.deepEqual(parseApiDate('25.11.2026'), { ok: false, code: 'announcement.date_invalid' });
    assert.deepEqual(showingPeriod({ startsOn: undefined, endsOn: undefined }, '2026-11-25'), { ok: true, value: { startsOn: '2026-11-25', endsOn: '2026-12-24' } });
    assert.equal(showingPeriod({ startsOn: '2026-11-25', endsOn: addDays('2026-11-25', 365) }, '2026-11-25').ok, true);
    assert.deepEqual(showingPeriod({ startsOn: '2026-11-25', endsOn: addDays('2026-11-25', 366) }, '2026-11-25'), { ok: false, code: 'announcement.too_long_period' });
    assert.equal(addDays('2028-02-28', 1), '2028-02-29');
  });
});
