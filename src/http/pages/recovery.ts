/**
 * Password recovery pages (F18): `/recover` starts a flow bound to this browser (optionally
 * with the national ID filled in, as the duplicate-ID message links it; `?by=email` for the
 * email way), `/recover/{id}` shows its step and takes its submissions (flow-routes.ts), and
 * `/recover/link` is where the emailed link lands.
 */
import type { FastifyInstance } from 'fastify';
import { clip } from '../../domain/text.ts';
import { recoveryStepTitles } from '../../flows/recovery/form.ts';
import type { RecoveryFlow } from '../../flows/recovery/machine.ts';
import { loadFlow } from '../../flows/store.ts';
import { parseLinkToken } from '../../identity/codes.ts';
import { errorPage } from '../../views/pages/error.ts';
import { recoveryLinkPage, recoveryPage } from '../../views/pages/recovery.ts';
import type { RouteContext } from '../context.ts';
import { flowBinding, flowRequestOf } from './flow-pages.ts';
import { flowPages } from './flow-routes.ts';
import { formFields, frameFor, noStore, sendPage, withReturnTo } from './frame.ts';

export async function recoveryPages(app: FastifyInstance, ctx: RouteContext) {
  flowPages<RecoveryFlow>(app, ctx, {
    kind: 'recovery', path: '/recover', title: 'recovery.title', stepTitles: recoveryStepTitles, startAgain: 'recovery.start_again', startQuery: ['nationalId', 'by'],
    draw: (frame, view) => recoveryPage(frame, { ...view, signInHref: withReturnTo('/sign-in', view.returnTo) }),
  });

  // The emailed link. Opening it (GET) changes nothing, as mail scanners fetch links: the
  // person's "Continue" (POST) spends the link and ties the flow to this browser.
  app.get('/recover/link', async (request, reply) => {
    const token = (request.query as Record<string, unknown>).token;
    const frame = frameFor(request, reply, request.t('recovery.link_title'));
    return sendPage(noStore(reply).header('referrer-policy', 'no-referrer'), recoveryLinkPage(frame, { token: typeof token === 'string' ? clip(token, 120) : '' }));
  });

  app.post('/recover/link', { preValidation: app.csrfProtection }, async (request, reply) => {
    const fields = formFields(request.body, ['token'] as const);
    const token = 'invalid' in fields ? '' : fields.token;
    const parsed = parseLinkToken(token);
    const found = parsed && await loadFlow<RecoveryFlow>(ctx.db, parsed.flowId, { kind: 'recovery', binding: null, anyBrowser: true, now: ctx.clock.now() });
    const refuse = (code: 'recovery.link_invalid' | 'recovery.link_expired') => sendPage(noStore(reply), errorPage(frameFor(request, reply, request.t('recovery.link_title')), request.t(code), {
      href: '/recover?by=email', label: request.t('recovery.resend_link'),
    }), 410);
    if (!found || typeof found === 'string') return refuse(found === 'flow.expired' ? 'recovery.link_expired' : 'recovery.link_invalid');
    if (found.state !== 'link_sent') return refuse('recovery.link_invalid');
    // A binding of its own, unknown to anyone else (flow-pages.ts flowBinding `fresh`).
    const binding = flowBinding(request, reply, { fresh: true });
    const result = await ctx.kinds.recovery!.step(found, { action: 'open', token }, flowRequestOf(request, binding));
    // Opened, the flow is this browser's alone (flows/recovery/by-email.ts openLink).
    if (result.errors.length > 0) return refuse(result.errors[0]!.code === 'recovery.link_expired' ? 'recovery.link_expired' : 'recovery.link_invalid');
    return reply.redirect(`/recover/${found.id}`, 303);
  });
}
