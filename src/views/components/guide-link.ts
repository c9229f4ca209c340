/** The small "guide" link beside a page's form (F31): the topic comes from the one table in guides/pages.ts. */
import { guideHref, type GuidedPage } from '../../guides/pages.ts';
import type { Translate } from '../../i18n/catalogs.ts';
import { html, type SafeHtml } from '../html.ts';

export function guideLink(t: Translate, page: GuidedPage): SafeHtml {
  return html`<p class="guide-link"><a href="${guideHref(page)}" rel="help">${t('guides.link')}</a></p>`;
}
