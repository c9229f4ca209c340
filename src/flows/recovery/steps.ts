/**
 * Password recovery (F18), the part with I/O: a flow started, and each button pressed sent to
 * its way, a code to the registered mobile (by-mobile.ts) or a link to the proven email
 * (by-email.ts), both with what shared.ts holds (the limits, the owner's devices, the new
 * password set).
 */
import type { Locale } from '../../config.ts';
import { addressKeyOf } from '../../domain/client-address.ts';
import { clip } from '../../domain/text.ts';
import { withHashRoom } from '../../identity/passwords.ts';
import { createFlow, FlowChanged } from '../store.ts';
import { identifyByEmail, resendLink, openLink, saveFromLink } from './by-email.ts';
import { identify, resend, setNewPassword } from './by-mobile.ts';
import { actions, asksSerial, forgetMatch, type RecoveryFlow, type RecoveryState } from './machine.ts';
import { move, type From, type RecoveryDeps, type Result } from './shared.ts';

export type { RecoveryDeps } from './shared.ts';

/** `way`: `email` starts at the email way's first step (a link from the sign-in page, an app that knows it). */
export async function startRecovery(deps: RecoveryDeps, locale: Locale, binding: string | null, nationalId = '', way: 'mobile' | 'email' = 'mobile', returnTo?: string): Promise<RecoveryFlow> {
  return createFlow<RecoveryFlow>(deps.db, {
    kind: 'recovery', state: way === 'email' ? 'identify_email' : 'identify', binding,
    data: { locale, values: { nationalId: clip(nationalId, 20), mobile: '' }, ...(returnTo ? { returnTo } : {}) },
    expiresAt: new Date(deps.clock.now().getTime() + deps.flowMinutes * 60_000),
  });
}

/** The button a client that sends no `action` presses: the first of the state's. */
const defaultAction: Record<RecoveryState, string> = { identify: 'submit', verify: 'verify', identify_email: 'send_link', link_sent: 'open', new_password: 'save', done: '' };

export async function stepRecovery(deps: RecoveryDeps, flow: RecoveryFlow, input: Record<string, string>, from: From): Promise<Result> {
  const { ip } = from;
  const action = input.action ?? defaultAction[flow.state];
  if (!actions[flow.state].includes(action)) return { flow, errors: [{ code: 'flow.action_not_allowed' }] };
  try {
    // Steps that hash after they write (a limit's count, a code's try) take the hash's place first (issue 12):
    // the identification question's answer (profile il), the new password.
    if (action === 'submit') return asksSerial(deps.profile) ? await identify(deps, flow, input, from) : await withHashRoom(deps, (reserved) => identify(reserved, flow, input, from), addressKeyOf(ip));
    if (action === 'resend') return await resend(deps, flow, from);
    if (action === 'use_email') return { flow: await move(deps, deps.db, flow, 'identify_email', forgetMatch(flow.data)), errors: [] };
    if (action === 'use_mobile') return { flow: await move(deps, deps.db, flow, 'identify', forgetMatch(flow.data)), errors: [] };
    if (action === 'send_link') return await identifyByEmail(deps, flow, input, from);
    if (action === 'resend_link') return await resendLink(deps, flow, from);
    if (action === 'open') return await openLink(deps, flow, input.token ?? '', from.binding);
    if (action === 'save') return await withHashRoom(deps, (reserved) => saveFromLink(reserved, flow, input, ip), addressKeyOf(ip));
    return await withHashRoom(deps, (reserved) => setNewPassword(reserved, flow, input, from), addressKeyOf(ip));
  } catch (error) {
    if (error instanceof FlowChanged) return { flow, errors: [{ code: 'flow.changed' }] };
    throw error;
  }
}
