/** Password sign-in, the part with I/O: identity/sign-in.ts checks and makes the session; the flow keeps the way. */
import { clip } from '../../domain/text.ts';
import type { Clock } from '../../identity/clock.ts';
import { signIn, type SignInDeps } from '../../identity/sign-in.ts';
import type { Db } from '../../db/database.ts';
import type { FlowRequest, StepOutcome } from '../kinds.ts';
import { advanceFlow, createFlow, FlowChanged } from '../store.ts';
import { loginActions, type LoginData, type LoginFlow } from './machine.ts';

export type LoginDeps = { db: Db; clock: Clock; signIn: SignInDeps; flowMinutes: number };

export async function startLogin(deps: LoginDeps, request: FlowRequest, options: { returnTo?: string | undefined; staff?: boolean }): Promise<LoginFlow> {
  const data: LoginData = { locale: request.locale, identifier: '', ...(options.returnTo ? { returnTo: options.returnTo } : {}), ...(options.staff ? { staff: true } : {}) };
  return createFlow<LoginFlow>(deps.db, {
    kind: 'login', state: 'identify', data, binding: request.binding,
    expiresAt: new Date(deps.clock.now().getTime() + deps.flowMinutes * 60_000),
  });
}

export async function stepLogin(deps: LoginDeps, flow: LoginFlow, input: Record<string, string>, request: FlowRequest): Promise<StepOutcome<LoginFlow>> {
  const action = input.action ?? 'submit';
  if (!loginActions[flow.state].includes(action)) return { flow, errors: [{ code: 'flow.action_not_allowed' }] };
  const result = await signIn(deps.signIn, {
    identifier: input.identifier ?? '', password: input.password ?? '', captcha: input.captcha, captchaId: input.captchaId,
    kind: request.binding === null ? 'api' : 'browser', ip: request.ip, userAgent: request.userAgent, deviceTokens: request.deviceTokens,
  });
  const identifier = clip(input.identifier ?? '', 64);
  try {
    if (!result.ok) {
      const moved = await advanceFlow(deps.db, flow, { state: 'identify', data: { ...flow.data, identifier, captcha: result.captchaNext ?? false } }, deps.clock.now());
      return { flow: moved, errors: [{ code: result.code, ...(result.field ? { field: result.field } : {}), ...(result.params ? { params: result.params } : {}) }] };
    }
    const done = await advanceFlow(deps.db, flow, { state: 'done', data: { ...flow.data, identifier, captcha: false, sessionId: result.sessionId } }, deps.clock.now());
    return {
      flow: done, errors: [],
      signedIn: {
        token: result.token, deviceCookie: result.deviceCookie, deviceToken: result.deviceToken, mustChangePassword: result.mustChangePassword,
        memberships: result.memberships.length, returnTo: flow.data.returnTo, staff: flow.data.staff,
      },
    };
  } catch (error) {
    if (error instanceof FlowChanged) return { flow, errors: [{ code: 'flow.changed' }] };
    throw error;
  }
}
