/**
 * A catalog sentence whose named values are drawn each in its own direction (`<bdi>`): an
 * organization's Persian name beside a date would otherwise pull the date into its right-to-left
 * run on an English page ("Answer from 03:38 01-12-2026 ,دبستان…"), or the reverse. Values named
 * in `leftToRight` (a mobile number, an email address) are drawn left to right whatever the page.
 */
import type { TextKey, Translate } from '../../i18n/catalogs.ts';
import { html, type SafeHtml } from '../html.ts';

export function isolated(t: Translate, key: TextKey, values: Record<string, string>, leftToRight: readonly string[] = []): SafeHtml {
  const names = Object.keys(values);
  // Private-use characters stand for the values while the catalog places them, then each becomes its <bdi>.
  const marks = Object.fromEntries(names.map((name, i) => [name, String.fromCharCode(0xe000 + i)]));
  const sentence = t(key, marks);
  return html`${sentence.split(/([\ue000-\ue0ff])/).map((part) => {
    const i = part.length === 1 ? part.charCodeAt(0) - 0xe000 : -1;
    if (i < 0 || i >= names.length) return html`${part}`;
    const name = names[i]!;
    // A phone number has no letter to tell its direction: «+98…» would lose its plus to the far end in a right-to-left line.
    return leftToRight.includes(name) ? html`<bdi dir="ltr">${values[name]!}</bdi>` : html`<bdi>${values[name]!}</bdi>`;
  })}`;
}
