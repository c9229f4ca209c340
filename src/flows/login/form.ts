import { field, type FormModel } from '../form.ts';

export function signInForm(): FormModel {
  return {
    fields: [
      field('identifier', 'text', 'sign_in.identifier', { autocomplete: 'username', maxLength: 64 }),
      field('password', 'password', 'sign_in.password', { autocomplete: 'current-password', maxLength: 1024 }),
    ],
    messages: [],
    submit: 'sign_in.submit',
  };
}
