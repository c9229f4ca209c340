/** Completing the profile after a pre-registration (F14). */
import { field, oneAction, type FormModel } from '../form.ts';

export type ProfileValues = Record<'fatherName' | 'gender' | 'address' | 'postalCode', string>;

export function profileForm(values: ProfileValues): FormModel {
  return {
    fields: [
      field('fatherName', 'text', 'profile.father_name', { value: values.fatherName, maxLength: 100 }),
      field('gender', 'select', 'profile.gender', {
        value: values.gender,
        options: [{ value: '', label: 'profile.choose' }, { value: 'female', label: 'profile.female' }, { value: 'male', label: 'profile.male' }],
      }),
      field('address', 'text', 'profile.address', { value: values.address, autocomplete: 'street-address', maxLength: 300 }),
      field('postalCode', 'text', 'profile.postal_code', { value: values.postalCode, inputMode: 'numeric', autocomplete: 'postal-code', maxLength: 20 }),
      oneAction('submit', 'common.save'),
    ],
    messages: [{ kind: 'info', code: 'profile.intro' }],
  };
}
