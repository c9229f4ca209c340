// The language and digits links repeat the page's own address (layout.ts pageLink). Whatever
// the request's path, they stay on this origin: a path starting `//` or `/\` (a browser reads
// `/\evil.example` as `//evil.example`) is a link to another site.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translator } from '../../src/i18n/catalogs.ts';
import { formattingFor } from '../../src/i18n/format.ts';
import { html } from '../../src/views/html.ts';
import { layout } from '../../src/views/layout.ts';

test('language and digits links never leave the origin, whatever the path', () => {
  for (const path of ['/\\evil.example/x?a=1', '//evil.example/x', '/\\/evil.example', '\\\\evil.example', '/%5Cevil.example']) {
    const formatting = formattingFor('ar', 'ir');
    const page = layout({ locale: 'ar', formatting, t: translator(formatting), title: 'x', path, csrfToken: '', user: null }, html`<p></p>`).value;
    const links = [...page.matchAll(/<a [^>]*href="([^"]*)"/g)].map((match) => match[1]!.replaceAll('&amp;', '&'));
    const switches = links.filter((href) => /[?&](lang|digits)=/.test(href));
    assert.equal(switches.length, 4, `three languages and one digit choice for ${path}`);
    for (const href of switches) {
      assert.ok(href.startsWith('/') && !/^[/\\]{2}/.test(href) && !href.startsWith('/\\'), `${path} → ${href}`);
      assert.equal(new URL(href, 'https://kelid.example/').origin, 'https://kelid.example', `${path} → ${href}`);
    }
  }
});
