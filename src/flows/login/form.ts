import { field, oneAction, type FormModel } from '../form.ts';
import type { LoginFlow } from './machine.ts';

/** The sign-in form; with `captcha` when the rules ask this place for one (domain/lockout.ts). */
export function signInForm(options: { captcha?: boolean; identifier?: string } = {}): FormModel {
  return {
    fields: [
      field('identifier', 'text', 'sign_in.identifier', { autocomplete: 'username', maxLength: 64, value: options.identifier ?? '' }),
      field('password', 'password', 'sign_in.password', { autocomplete: 'current-password', maxLength: 1024 }),
      ...(options.captcha ? [field('captcha', 'captcha', 'sign_in.captcha')] : []),
      oneAction('submit', 'sign_in.submit'),
    ],
    messages: [],
  };
}

export function loginForm(flow: LoginFlow): FormModel {
  if (flow.state === 'done') return { fields: [], messages: [{ kind: 'success', code: 'sign_in.done' }] };
  return signInForm({ captcha: flow.data.captcha ?? false, identifier: flow.data.identifier });
}
