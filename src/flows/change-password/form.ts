import { field, oneAction, type FormModel } from '../form.ts';

/** `askCurrent`: false for the forced change after a code sign-in (identity/change-password.ts asksCurrentPassword). */
export function changePasswordForm(mustChange: boolean, askCurrent = true): FormModel {
  return {
    fields: [
      ...(askCurrent ? [field('current', 'password', mustChange ? 'change_password.temporary' : 'change_password.current', { autocomplete: 'current-password', maxLength: 1024 })] : []),
      field('password', 'password', 'change_password.new', { autocomplete: 'new-password', maxLength: 1024 }),
      field('repeat', 'password', 'change_password.repeat', { autocomplete: 'new-password', maxLength: 1024 }),
      oneAction('submit', 'common.save'),
    ],
    messages: mustChange ? [{ kind: 'info', code: 'change_password.must_change' }] : [],
  };
}

export function changePasswordFlowForm(state: 'form' | 'done', mustChange: boolean, askCurrent = true): FormModel {
  return state === 'done' ? { fields: [], messages: [{ kind: 'success', code: 'change_password.success' }] } : changePasswordForm(mustChange, askCurrent);
}
