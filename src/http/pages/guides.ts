/**
 * The guides' pages (F31): `GET /guides` (the index) and `GET /guides/{topic}`, in the
 * request's language like every page; an unknown topic is the localized 404 page. Nothing is
 * personal here: anyone may read them, signed in or not (the frame still shows who is signed in).
 */
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../errors.ts';
import { guideTopics, isGuideTopic, type GuideTopic } from '../../guides/guide.ts';
import { guides } from '../../guides/guides.ts';
import { guidePage, guidesIndexPage } from '../../views/pages/guides.ts';
import { frameFor, sendPage } from './frame.ts';

/** Registers `GET /guides` and `GET /guides/:topic` (no session needed, nothing written). */
export async function guidePages(app: FastifyInstance) {
  app.get('/guides', async (request, reply) => {
    const content = guides[request.locale];
    const titles = Object.fromEntries(guideTopics.map((topic) => [topic, content[topic].title])) as Record<GuideTopic, string>;
    return sendPage(reply, guidesIndexPage(frameFor(request, reply, request.t('guides.title')), titles));
  });

  app.get<{ Params: { topic: string } }>('/guides/:topic', async (request, reply) => {
    const { topic } = request.params;
    if (!isGuideTopic(topic)) throw notFound();
    const guide = guides[request.locale][topic];
    return sendPage(reply, guidePage(frameFor(request, reply, guide.title), guide));
  });
}
