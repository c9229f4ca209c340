/**
 * The news box (F30, seed 2's «اخبار»): announcements as plain text, escaped piece by piece,
 * their http(s) addresses as links that neither tell the site where the reader came from nor
 * give it a handle on this page, their lines kept. No HTML an author typed is ever markup here.
 */
import { textPieces, type TextPiece } from '../../domain/announcement.ts';
import type { Translate } from '../../i18n/catalogs.ts';
import { formatDate, type Formatting } from '../../i18n/format.ts';
import { html, type SafeHtml } from '../html.ts';
import { isolated } from './isolated.ts';

export type NewsItem = { id: string; title: string; text: string; organization: string; startsOn: string };

const piece = (p: TextPiece): SafeHtml => p.kind === 'break' ? html`<br>`
  : p.kind === 'link' ? html`<a href="${p.href}" rel="noopener noreferrer nofollow" dir="ltr">${p.text}</a>`
  : html`${p.text}`;

/** An announcement's text as HTML: escaped text, safe links, line breaks. */
export const announcementText = (text: string): SafeHtml => html`${textPieces(text).map(piece)}`;

/** The box with its items, newest first as given; nothing at all when there are none. */
export function newsBox(t: Translate, formatting: Formatting, items: readonly NewsItem[]): SafeHtml | '' {
  if (items.length === 0) return '';
  return html`<section class="card news" aria-labelledby="news-title">
    <h2 id="news-title">${t('announcements.news')}</h2>
    ${items.map((item) => html`<article class="news-item" id="announcement-${item.id}">
      <h3 dir="auto">${item.title}</h3>
      <p class="hint">${isolated(t, 'announcements.from', { organization: item.organization, date: formatDate(item.startsOn, formatting) })}</p>
      <p dir="auto">${announcementText(item.text)}</p>
    </article>`)}
  </section>`;
}
