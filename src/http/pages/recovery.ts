/**
 * Password recovery pages (F18): `/recover` starts a flow bound to this browser (optionally
 * with the national ID filled in, as the duplicate-ID message links it), `/recover/{id}` shows
 * its step and takes its submissions (flow-routes.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { RecoveryFlow } from '../../flows/recovery/machine.ts';
import { recoveryPage } from '../../views/pages/recovery.ts';
import type { RouteContext } from '../context.ts';
import { flowPages } from './flow-routes.ts';

export async function recoveryPages(app: FastifyInstance, ctx: RouteContext) {
  flowPages<RecoveryFlow>(app, ctx, {
    kind: 'recovery', path: '/recover', title: 'recovery.title', startAgain: 'recovery.start_again', startQuery: ['nationalId'],
    draw: (frame, view) => recoveryPage(frame, view),
  });
}
