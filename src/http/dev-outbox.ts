/**
 * The dev outbox (DESIGN.md Contracts): with the `dev` channel, every SMS, call and email
 * appears at /dev/outbox (a page) and /dev/outbox.json (`[{id, channel, to, template, text,
 * createdAt}]`), newest first, read straight from the outbox table. Registered only when a
 * dev channel is configured; otherwise both paths are 404s like any unknown page. Each
 * message is shown in its own language's direction, whatever the page's.
 */
import type { Locale } from '../config.ts';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.ts';
import { assetUrl } from './asset-table.ts';
import { direction } from '../i18n/catalogs.ts';
import { listNewest, type OutboxListing } from '../notify/store.ts';
import type { MessageChannel } from '../notify/templates.ts';
import { html } from '../views/html.ts';
import './types.ts';

export type DevOutboxOptions = { db: Db; channels: readonly MessageChannel[] };

const LIMIT = 200;

export type DevOutboxEntry = { id: string; channel: MessageChannel; to: string; template: string; text: string; createdAt: string };

function entry(row: OutboxListing): DevOutboxEntry {
  return { id: row.id, channel: row.channel, to: row.recipient, template: row.template, text: row.text, createdAt: row.created_at.toISOString() };
}

function page(rows: OutboxListing[], locale: Locale) {
  return html`<!doctype html>
<html lang="${locale}" dir="${direction(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dev outbox · Kelid</title>
<link rel="stylesheet" href="${assetUrl('site.css')}">
</head>
<body>
<main id="main">
<section class="card">
<h1 lang="en" dir="ltr">Dev outbox</h1>
<p lang="en" dir="ltr">Messages are not sent: the dev channel is configured. Newest first; <a href="/dev/outbox.json">JSON</a>.</p>
${rows.length === 0 ? html`<p lang="en" dir="ltr">No messages yet.</p>` : html`<ol class="outbox">
${rows.map((row) => html`<li>
  <p dir="ltr"><time datetime="${row.created_at.toISOString()}">${row.created_at.toISOString()}</time> · ${row.channel} · <bdi>${row.recipient}</bdi> · ${row.template} · ${row.status}</p>
  <article lang="${row.locale}" dir="${direction(row.locale)}">
    ${row.subject !== null && html`<h2>${row.subject}</h2>`}
    <pre>${row.text}</pre>
  </article>
</li>`)}
</ol>`}
</section>
</main>
</body>
</html>`;
}

export async function devOutboxRoutes(app: FastifyInstance, options: DevOutboxOptions): Promise<void> {
  app.get('/dev/outbox.json', async (_request, reply) => {
    const rows = await listNewest(options.db, options.channels, LIMIT);
    return reply.type('application/json; charset=utf-8').send(rows.map(entry));
  });
  app.get('/dev/outbox', async (request, reply) => {
    const rows = await listNewest(options.db, options.channels, LIMIT);
    return reply.type('text/html; charset=utf-8').send(page(rows, request.locale).value);
  });
}
