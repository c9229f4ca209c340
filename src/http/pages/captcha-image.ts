/**
 * The security image (captcha/image-challenge.ts): `GET /captcha/{id}.svg` draws it, and
 * withSecurityImage gives a form's captcha field a fresh one when its page is drawn, for the
 * browsers that cannot run the proof of work. Never cached (security-headers.ts sets
 * no-store); an id that is not ours, or has expired, is a localized 404.
 */
import type { FastifyInstance } from 'fastify';
import type { Captcha } from '../../captcha/captcha.ts';
import { AppError } from '../../errors.ts';
import type { FormModel } from '../../flows/form.ts';

/** The form with a security image on its captcha field, if it has one (a form without one is returned as it is). */
export function withSecurityImage(form: FormModel, captcha: Pick<Captcha, 'imageChallenge'>): FormModel {
  if (!form.fields.some((f) => f.type === 'captcha')) return form;
  return {
    ...form,
    fields: form.fields.map((f) => {
      if (f.type !== 'captcha') return f;
      const issued = captcha.imageChallenge();
      return { ...f, image: { id: issued.id, src: issued.image, question: issued.question } };
    }),
  };
}

export async function captchaImageRoutes(app: FastifyInstance, deps: { captcha: Pick<Captcha, 'image'> }) {
  app.get<{ Params: { id: string } }>('/captcha/:id.svg', async (request, reply) => {
    const svg = deps.captcha.image(request.params.id);
    if (svg === undefined) throw new AppError(404, 'captcha.not_found');
    // Drawn by us, paths only; the policy also keeps a directly opened image from loading anything.
    return reply.type('image/svg+xml; charset=utf-8').header('content-security-policy', "default-src 'none'").send(svg);
  });
}
