/**
 * Change password as a flow (for apps: `POST /api/v1/flows/change-password` with a bearer
 * token): the only thing a session with a temporary password may do through the API.
 *
 *   form ──current + new + repeat──▶ done
 */
import type { ChangePasswordDeps } from '../../identity/change-password.ts';
import { asksCurrentPassword, changePassword } from '../../identity/change-password.ts';
import type { CurrentSession } from '../../identity/sessions.ts';
import type { Flow, StepResult } from '../flow.ts';
import { createFlow, saveFlow } from '../store.ts';

export type ChangePasswordFlow = Flow<'change-password', 'form' | 'done', { accountId: string; sessionId: string; mustChange: boolean; askCurrent?: boolean }>;

export async function startChangePassword(deps: ChangePasswordDeps, session: CurrentSession): Promise<ChangePasswordFlow> {
  return createFlow<ChangePasswordFlow>(deps.db, {
    kind: 'change-password', state: 'form', binding: null,
    data: { accountId: session.accountId, sessionId: session.id, mustChange: session.mustChangePassword, askCurrent: asksCurrentPassword(session) },
    expiresAt: new Date(deps.clock.now().getTime() + 15 * 60_000),
  });
}

export async function stepChangePassword(
  deps: ChangePasswordDeps, flow: ChangePasswordFlow, session: CurrentSession, input: Record<string, string>, ip: string | null,
): Promise<StepResult<ChangePasswordFlow>> {
  // A change-password flow belongs to the session that started it, and to no one else.
  if (flow.data.sessionId !== session.id) return { flow, errors: [{ code: 'flow.not_found' }] };
  if (flow.state === 'done') return { flow, errors: [{ code: 'flow.action_not_allowed' }] };
  const result = await changePassword(deps, {
    accountId: session.accountId, sessionId: session.id, nationalId: session.nationalId, userCode: session.userCode,
    current: input.current ?? '', password: input.password ?? '', repeat: input.repeat ?? '', ip, userAgent: null,
    askCurrent: flow.data.askCurrent ?? true,
  });
  if (!result.ok) {
    return { flow, errors: result.problems.map((p) => ({ code: p.code, ...(p.field ? { field: p.field } : {}), params: p.params ?? { min: deps.policy.minLength, max: deps.policy.maxLength } })) };
  }
  const saved = await saveFlow(deps.db, flow, { state: 'done', data: flow.data }, deps.clock.now());
  return { flow: saved === 'flow.changed' ? flow : saved, errors: [] };
}
