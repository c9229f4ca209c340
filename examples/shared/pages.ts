/** The pages every app has: not found, error, expired form, and what went wrong signing in. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { html } from './html.ts';
import { messagePage, signInLink } from './layout.ts';
import type { SignInFailure } from './oidc.ts';
import { commonTexts, type CommonTexts } from './texts.ts';

const words = (request: FastifyRequest) => commonTexts[request.appLocale];

export function notFound(request: FastifyRequest, reply: FastifyReply) {
  const common = words(request);
  return reply.code(404).page(common.notFoundTitle, messagePage(common.notFoundTitle, [common.notFoundBody], html`<a href="/">${common.home}</a>`));
}

/** The body of the error page: something went wrong, and the way home. */
export const errorBody = (common: CommonTexts) => messagePage(common.errorTitle, [common.errorBody], html`<a href="/">${common.home}</a>`);

export function errorPage(request: FastifyRequest, reply: FastifyReply, status: number) {
  const common = words(request);
  return reply.code(status).page(common.errorTitle, errorBody(common));
}

export function formExpired(request: FastifyRequest, reply: FastifyReply) {
  const common = words(request);
  return reply.code(403).page(common.formExpiredTitle, messagePage(common.formExpiredTitle, [common.formExpiredBody], html`<a href="/">${common.home}</a>`));
}

/** `audience` is the app's sentence on who it is for ("This service is for students."). */
export function signInProblemPage(request: FastifyRequest, reply: FastifyReply, reason: SignInFailure, audience: string) {
  const common = words(request);
  switch (reason) {
    case 'refused':
      return reply.code(403).page(common.refusedTitle, messagePage(
        common.refusedTitle,
        [common.refusedBody, audience],
        html`<a class="button" href="/sign-in?another=1">${common.tryAnotherAccount}</a>`,
      ));
    case 'unavailable':
      return reply.code(503).header('retry-after', '60')
        .page(common.unavailableTitle, messagePage(common.unavailableTitle, [common.unavailableBody], signInLink(common)));
    case 'failed':
      return reply.code(400)
        .page(common.failedTitle, messagePage(common.failedTitle, [common.failedBody], html`<a class="button" href="/sign-in">${common.tryAgain}</a>`));
  }
}
