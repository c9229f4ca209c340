/**
 * A catalog sentence whose named values are drawn each in its own direction (`<bdi>`): an
 * organization's Persian name beside a date would otherwise pull the date into its right-to-left
 * run on an English page ("Answer from 03:38 01-12-2026 ,دبستان…"), or the reverse.
 */
import type { TextKey, Translate } from '../../i18n/catalogs.ts';
import { html, type SafeHtml } from '../html.ts';

export function isolated(t: Translate, key: TextKey, values: Record<string, string>): SafeHtml {
  const names = Object.keys(values);
  // Private-use characters stand for the values while the catalog places them, then each becomes its <bdi>.
  const marks = Object.fromEntries(names.map((name, i) => [name, String.fromCharCode(0xe000 + i)]));
  const sentence = t(key, marks);
  return html`${sentence.split(/([\ue000-\ue0ff])/).map((part) => {
    const i = part.length === 1 ? part.charCodeAt(0) - 0xe000 : -1;
    return i >= 0 && i < names.length ? html`<bdi>${values[names[i]!]!}</bdi>` : html`${part}`;
  })}`;
}
