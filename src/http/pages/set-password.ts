/**
 * Set password pages (F19): `/set-password?token=…` (the emailed link) starts a flow bound to
 * this browser, applies the token as its first step and goes to `/set-password/{id}`, so the
 * token leaves the address bar (and any referrer) at once; opening the link spends nothing.
 * `/password-policy` tells the configured policy in words, as the wizard's link promises.
 */
import type { FastifyInstance } from 'fastify';
import { setPasswordStepTitles } from '../../flows/set-password/form.ts';
import type { SetPasswordFlow } from '../../flows/set-password/machine.ts';
import { passwordPolicyPage, setPasswordPage } from '../../views/pages/set-password.ts';
import type { RouteContext } from '../context.ts';
import { flowPages } from './flow-routes.ts';
import { frameFor, sendPage } from './frame.ts';

export async function setPasswordPages(app: FastifyInstance, ctx: RouteContext) {
  flowPages<SetPasswordFlow>(app, ctx, {
    kind: 'set-password', path: '/set-password', title: 'set_password.title', stepTitles: setPasswordStepTitles, startAgain: 'set_password.start_again', firstStep: ['token'],
    draw: (frame, view) => setPasswordPage(frame, view),
  });

  app.get('/password-policy', async (request, reply) =>
    sendPage(reply, passwordPolicyPage(frameFor(request, reply, request.t('policy.title')), ctx.policy)));
}
