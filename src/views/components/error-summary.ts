/**
 * The error summary at the top of a refused form, as GOV.UK draws it (issue 14 §3): a title
 * ("Please correct the following"), then every problem, each a link to the field it is about
 * (`#id`: following it moves focus there) or plain words when it is about no field. Every
 * page draws its form errors through this one component: the flows' forms (form.ts), the
 * console's (their one-sentence refusals too), the support form, the second factor.
 *
 * It is announced twice over, as GOV.UK's is: `role="alert"` makes screen readers read it as
 * the page loads, and `autofocus` (a global attribute: no script, so the CSP and a page
 * without JavaScript lose nothing) puts the keyboard on it, so the next Tab is its first link.
 * A page that draws it gets "Error: " before its title (layout.ts reads `drawsErrorSummary`).
 */
import type { TextKey, Translate } from '../../i18n/catalogs.ts';
import { html, type SafeHtml } from '../html.ts';

/** One problem: its words (markup: a link it offers), and the id of the field it is about (none: not tied to a field). */
export type Problem = { text: string | SafeHtml; target?: string | undefined };

/**
 * The summary's mark in the page. Escaping turns every `"` of a person's text into `&quot;`,
 * so no text typed into a page can forge it.
 */
const MARK = 'class="alert error error-summary"';

/** The summary of `problems`, or nothing when there are none. */
export function errorSummary(t: Translate, problems: readonly Problem[]): SafeHtml {
  if (problems.length === 0) return html``;
  // Its first attribute is MARK, word for word.
  return html`<div class="alert error error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus>
      <h2 id="error-summary-title">${t('common.errors_above')}</h2>
      <ul>${problems.map((p) => html`<li>${p.target === undefined ? p.text : html`<a href="#${p.target}">${p.text}</a>`}</li>`)}</ul>
    </div>`;
}

/** Whether a page's body holds an error summary: its title then begins with the locale's "Error: " (GOV.UK's pattern). */
export const drawsErrorSummary = (body: SafeHtml): boolean => body.value.includes(MARK);

/**
 * A form's errors as problems, in their order: one about a field the page draws links to the
 * id `targetOf` gives it (a field's name is its input's id, or a group's first input's); the
 * rest (a field not drawn, a hidden one's, the form's own) are plain words.
 */
export function problemsOf(
  t: Translate,
  errors: readonly { code: TextKey; field?: string | undefined; params?: Record<string, string | number> | undefined }[],
  targetOf: (field: string) => string | undefined,
): Problem[] {
  return errors.map((e) => ({ text: t(e.code, e.params), target: e.field === undefined ? undefined : targetOf(e.field) }));
}
