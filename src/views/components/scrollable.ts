import { html, type SafeHtml } from '../html.ts';

/**
 * The attributes of a box that scrolls sideways on a narrow screen (a wide table in
 * `.table-wrap`, a long sample in `pre.sample`): `role="region"`, `tabindex="0"` and an
 * `aria-label`, so a keyboard can reach and scroll it (WCAG 2.1.1; axe-core's
 * `scrollable-region-focusable`) and a screen reader names what it holds. `label` is text the
 * page already shows (its heading), escaped. Use: `<div class="table-wrap" ${scrollable(label)}>`.
 */
export function scrollable(label: string): SafeHtml {
  return html`role="region" tabindex="0" aria-label="${label}"`;
}
