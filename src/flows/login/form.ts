import { field, type FormModel } from '../form.ts';

/** The sign-in form; with `captcha` when the rules ask this place for one (domain/lockout.ts). */
export function signInForm(options: { captcha?: boolean } = {}): FormModel {
  return {
    fields: [
      field('identifier', 'text', 'sign_in.identifier', { autocomplete: 'username', maxLength: 64 }),
      field('password', 'password', 'sign_in.password', { autocomplete: 'current-password', maxLength: 1024 }),
      ...(options.captcha ? [field('captcha', 'captcha', 'sign_in.captcha')] : []),
    ],
    messages: [],
    submit: 'sign_in.submit',
  };
}
