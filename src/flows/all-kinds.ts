/**
 * The table of flow kinds, with each kind's dependencies bound (app.ts builds it once). Adding
 * a way in: its folder under flows/ and one entry here.
 */
import { changePasswordFlowForm } from './change-password/form.ts';
import { startChangePassword, stepChangePassword, type ChangePasswordFlow } from './change-password/steps.ts';
import type { ChangePasswordDeps } from '../identity/change-password.ts';
import { kind, type FlowKinds } from './kinds.ts';
import { loginForm } from './login/form.ts';
import type { LoginFlow } from './login/machine.ts';
import { startLogin, stepLogin, type LoginDeps } from './login/steps.ts';
import { otpLoginForm } from './otp-login/form.ts';
import type { OtpLoginFlow } from './otp-login/machine.ts';
import { startOtpLogin, stepOtpLogin, type OtpLoginDeps } from './otp-login/steps.ts';
import { recoveryForm } from './recovery/form.ts';
import type { RecoveryFlow } from './recovery/machine.ts';
import { startRecovery, stepRecovery, type RecoveryDeps } from './recovery/steps.ts';
import { registrationForm } from './registration/form.ts';
import type { RegistrationFlow } from './registration/machine.ts';
import { startRegistration, stepRegistration, type RegistrationDeps } from './registration/steps.ts';
import { setPasswordForm } from './set-password/form.ts';
import type { SetPasswordFlow } from './set-password/machine.ts';
import { startSetPassword, stepSetPassword, type SetPasswordDeps } from './set-password/steps.ts';

export type KindDeps = {
  registration: RegistrationDeps; recovery: RecoveryDeps; changePassword: ChangePasswordDeps; login: LoginDeps; otpLogin: OtpLoginDeps;
  setPassword: SetPasswordDeps;
};

export function flowKinds(deps: KindDeps) {
  return {
    registration: kind<RegistrationFlow>({
      start: (request, options) => startRegistration(deps.registration, options.international ? 'en' : request.locale, request.binding, options.international !== undefined, options.returnTo),
      step: (flow, input, request) => stepRegistration(deps.registration, flow, input, request.ip),
      form: (flow, formatting, now) => registrationForm(flow, formatting, now, deps.registration.codePolicy, deps.registration.profile),
    }),
    recovery: kind<RecoveryFlow>({
      start: (request, options) => startRecovery(deps.recovery, request.locale, request.binding, options.nationalId ?? '', options.by === 'email' ? 'email' : 'mobile', options.returnTo),
      step: (flow, input, request) => stepRecovery(deps.recovery, flow, input, request),
      form: (flow, _formatting, now) => recoveryForm(flow, deps.recovery.profile, now, deps.recovery.codePolicy),
    }),
    'change-password': kind<ChangePasswordFlow>({
      start: async (request) => (request.session ? startChangePassword(deps.changePassword, request.session) : undefined),
      step: (flow, input, request) => stepChangePassword(deps.changePassword, flow, request.session!, input, request.ip),
      form: (flow) => changePasswordFlowForm(flow.state, flow.data.mustChange, flow.data.askCurrent ?? true),
      belongsTo: (flow, request) => flow.data.sessionId === request.session?.id,
    }),
    login: kind<LoginFlow>({
      start: (request, options) => startLogin(deps.login, request, { returnTo: options.returnTo, staff: options.staff !== undefined }),
      step: (flow, input, request) => stepLogin(deps.login, flow, input, request),
      form: (flow) => loginForm(flow),
    }),
    'otp-login': kind<OtpLoginFlow>({
      start: (request, options) => startOtpLogin(deps.otpLogin, request, { returnTo: options.returnTo, staff: options.staff !== undefined }),
      step: (flow, input, request) => stepOtpLogin(deps.otpLogin, flow, input, request),
      form: (flow, _formatting, now) => otpLoginForm(flow, now, deps.otpLogin.codePolicy),
    }),
    'set-password': kind<SetPasswordFlow>({
      start: (request) => startSetPassword(deps.setPassword, request.locale, request.binding),
      step: (flow, input, request) => stepSetPassword(deps.setPassword, flow, input, request.ip),
      form: (flow, _formatting, now) => setPasswordForm(flow, now, deps.setPassword.codePolicy, deps.setPassword.policyUrl),
    }),
  } satisfies FlowKinds;
}

/** The name of every kind of flow (`registration`, `otp-login`…): a table keyed by it must name each one (guides/pages.ts). */
export type FlowKindName = keyof ReturnType<typeof flowKinds>;
