/**
 * The guides (F31): the index, and one guide drawn from its content (guides/guide.ts). The
 * content is plain text escaped like everything else; a quoted label is drawn in the page's
 * words (the catalog) between the locale's quotation marks, marked `data-label` with its key.
 */
import type { Locale } from '../../config.ts';
import { guideTopics, isConsoleTopic, type Guide, type GuideTopic, type Line } from '../../guides/guide.ts';
import type { Translate } from '../../i18n/catalogs.ts';
import { html, type SafeHtml } from '../html.ts';
import { layout, type PageFrame } from '../layout.ts';

/** How each language quotes a label: Persian and Arabic guillemets, Hebrew and English double quotes. */
const quotes: Record<Locale, readonly [string, string]> = { fa: ['«', '»'], he: ['"', '"'], ar: ['«', '»'], en: ['“', '”'] };

function drawLine(parts: Line, t: Translate, locale: Locale): SafeHtml {
  const [open, close] = quotes[locale];
  return html`${parts.map((part) => (typeof part === 'string' ? part : html`${open}<b class="ui-label" data-label="${part.label}">${t(part.label)}</b>${close}`))}`;
}

/** The index: one's own flows, then the console's tasks, each linked by its title in the reader's language. */
export function guidesIndexPage(frame: PageFrame, titles: Record<GuideTopic, string>): SafeHtml {
  const { t } = frame;
  const list = (console: boolean) => html`<ul class="guides">${guideTopics.filter((topic) => isConsoleTopic(topic) === console)
    .map((topic) => html`<li><a href="/guides/${topic}">${titles[topic]}</a></li>`)}</ul>`;
  return layout(frame, html`<section class="card narrow guide">
    <h1>${t('guides.title')}</h1>
    <p class="lead">${t('guides.intro')}</p>
    <h2>${t('guides.for_everyone')}</h2>
    ${list(false)}
    <h2>${t('guides.for_admins')}</h2>
    ${list(true)}
  </section>`);
}

/** One guide: intro, before you start, the numbered steps, problems and fixes, help; then a link back to the index. */
export function guidePage(frame: PageFrame, guide: Guide): SafeHtml {
  const { t, locale } = frame;
  const draw = (parts: Line) => drawLine(parts, t, locale);
  return layout(frame, html`<article class="card narrow guide">
    <h1>${guide.title}</h1>
    <p class="lead">${draw(guide.intro)}</p>
    <h2>${t('guides.before')}</h2>
    <ul>${guide.before.map((item) => html`<li>${draw(item)}</li>`)}</ul>
    <h2>${t('guides.steps')}</h2>
    <ol class="steps-list">${guide.steps.map((step) => html`<li>${draw(step)}</li>`)}</ol>
    <h2>${t('guides.problems')}</h2>
    <dl class="problems">${guide.problems.map((p) => html`<div><dt>${draw(p.problem)}</dt><dd>${draw(p.fix)}</dd></div>`)}</dl>
    <h2>${t('guides.help')}</h2>
    <p>${draw(guide.help)}</p>
    <p><a href="/guides">${t('guides.all')}</a></p>
  </article>`);
}
