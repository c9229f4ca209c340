/**
 * Registration pages (F6–F16): `/register` (and `/register/international`, F15) start a flow
 * bound to this browser; `/register/{id}` shows its step and takes its submissions
 * (flow-routes.ts). The JSON API drives the very same steps.
 */
import type { FastifyInstance } from 'fastify';
import { registrationStepTitles } from '../../flows/registration/form.ts';
import type { RegistrationFlow } from '../../flows/registration/machine.ts';
import { registrationPage } from '../../views/pages/registration.ts';
import type { RouteContext } from '../context.ts';
import { flowBinding, flowRequestOf } from './flow-pages.ts';
import { flowPages } from './flow-routes.ts';
import { withReturnTo } from './frame.ts';

export async function registrationPages(app: FastifyInstance, ctx: RouteContext) {
  flowPages<RegistrationFlow>(app, ctx, {
    kind: 'registration', path: '/register', title: 'registration.title', stepTitles: registrationStepTitles, startAgain: 'registration.start_again',
    draw: (frame, view) => registrationPage(frame, {
      ...view,
      offerInternational: view.flow.state === 'details' && !view.flow.data.international,
      // F12: the existing username's way back in is password recovery, not a second account.
      recoveryHref: view.errors.some((e) => e.code === 'national_id.already_registered')
        ? `/recover?nationalId=${encodeURIComponent(view.flow.data.details?.nationalId ?? view.flow.data.values.nationalId)}${view.returnTo ? `&return_to=${encodeURIComponent(view.returnTo)}` : ''}` : null,
      signInHref: withReturnTo('/sign-in', view.returnTo),
    }),
  });

  // The English page for non-citizens (F15): a passport instead of a national ID.
  app.get('/register/international', async (request, reply) => {
    const flow = (await ctx.kinds.registration!.start(flowRequestOf(request, flowBinding(request, reply)), { international: '1' }))!;
    return reply.redirect(`/register/${flow.id}?lang=en`, 303);
  });
}
