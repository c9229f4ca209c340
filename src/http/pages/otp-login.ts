/**
 * One-time-code sign-in pages (F3): `/sign-in/code` (linked from the sign-in page, keeping
 * where it was going: a page, or an app's interaction) starts a flow; `/sign-in/code/{id}`
 * shows its step (flow-routes.ts). A right code signs in as the password does.
 */
import type { FastifyInstance } from 'fastify';
import { otpLoginStepTitles } from '../../flows/otp-login/form.ts';
import type { OtpLoginFlow } from '../../flows/otp-login/machine.ts';
import { otpLoginPage } from '../../views/pages/otp-login.ts';
import type { RouteContext } from '../context.ts';
import { flowPages } from './flow-routes.ts';
import { withReturnTo } from './frame.ts';

export async function otpLoginPages(app: FastifyInstance, ctx: RouteContext) {
  flowPages<OtpLoginFlow>(app, ctx, {
    kind: 'otp-login', path: '/sign-in/code', title: 'otp.title', stepTitles: otpLoginStepTitles, startAgain: 'sign_in.with_code', startQuery: ['staff'],
    draw: (frame, view) => otpLoginPage(frame, {
      ...view, passwordHref: withReturnTo(view.flow.data.staff ? '/sign-in/staff' : '/sign-in', view.flow.data.returnTo), recoverHref: withReturnTo('/recover', view.flow.data.returnTo),
    }),
  });
}
