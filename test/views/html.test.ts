// Escaping by default: whatever a person types comes out as text, never as markup.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { html, raw, SafeHtml } from '../../src/views/html.ts';

describe('html templates', () => {
  test('interpolated strings never open a tag or close an attribute', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => {
      const out = html`<p title="${text}">${text}</p>`.value;
      const escaped = html`${text}`.value;
      assert.doesNotMatch(escaped, /[<>"']/);
      assert.equal(out, `<p title="${escaped}">${escaped}</p>`);
    }));
  });

  test('nested templates and arrays of them are kept as markup; their values still escaped', () => {
    const items = ['<b>', 'x"y'].map((item) => html`<li>${item}</li>`);
    assert.equal(html`<ul>${items}</ul>`.value, '<ul><li>&lt;b&gt;</li><li>x&quot;y</li></ul>');
  });

  test('null, undefined and false render nothing; numbers render as text', () => {
    assert.equal(html`${null}${undefined}${false}${0}`.value, '0');
  });

  test('raw is the only way to pass markup through', () => {
    assert.ok(raw('<br>') instanceof SafeHtml);
    assert.equal(html`${raw('<br>')}`.value, '<br>');
    assert.equal(html`${'<br>'}`.value, '&lt;br&gt;');
  });
});
