/** The profile page of a pre-registration (F14): complete it, then wait for approval if required. */
import type { FastifyInstance } from 'fastify';
import { withErrors, withValues } from '../../flows/form.ts';
import { profileForm, type ProfileValues } from '../../flows/profile/form.ts';
import { completeProfile, validateProfile } from '../../identity/profile.ts';
import { profilePage } from '../../views/pages/profile.ts';
import type { RouteContext } from '../context.ts';
import { formFields, frameFor, sendPage } from './frame.ts';
import { requirePageSession } from './guards.ts';

const empty: ProfileValues = { fatherName: '', gender: '', address: '', postalCode: '' };
const names = ['fatherName', 'gender', 'address', 'postalCode'] as const;

export async function profilePages(app: FastifyInstance, ctx: RouteContext) {
  const guard = requirePageSession({ allowPending: true });

  app.get('/profile', { preHandler: guard }, async (request, reply) => {
    const session = request.auth!;
    if (session.accountStatus !== 'pending') return reply.redirect('/', 303);
    const account = await ctx.db.selectFrom('accounts').select('profile_completed_at').where('id', '=', session.accountId).executeTakeFirst();
    const frame = frameFor(request, reply, request.t('profile.title'));
    return sendPage(reply, profilePage(frame, account?.profile_completed_at ? 'awaiting_approval' : profileForm(empty)));
  });

  app.post('/profile', { preValidation: app.csrfProtection, preHandler: guard, config: { ownTextCheck: true } }, async (request, reply) => {
    const session = request.auth!;
    if (session.accountStatus !== 'pending') return reply.redirect('/', 303);
    const frame = () => frameFor(request, reply, request.t('profile.title'));
    const fields = formFields(request.body, names);
    if ('invalid' in fields) return sendPage(reply, profilePage(frame(), withErrors(profileForm(empty), [{ code: fields.code, field: fields.invalid }])), 400);
    const checked = validateProfile(fields, ctx.config.profile);
    if (!checked.ok) return sendPage(reply, profilePage(frame(), withErrors(withValues(profileForm(empty), fields), checked.errors)), 422);
    const outcome = await completeProfile(ctx.db, session.accountId, checked.value, { approvalRequired: ctx.config.registration.approvalRequired, now: ctx.clock.now(), ip: request.ip });
    return outcome === 'active' ? reply.redirect('/', 303) : sendPage(reply, profilePage(frame(), 'awaiting_approval'));
  });
}
