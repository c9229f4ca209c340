import type { MembershipView } from '../../identity/memberships.ts';
import { field, type FormModel } from '../form.ts';

/** One radio option per active membership: role + organization (+ district, province). */
export function roleChoiceForm(memberships: MembershipView[], chosen: string | null): FormModel {
  return {
    fields: [field('membershipId', 'radio', 'role_choice.label', {
      value: chosen ?? memberships[0]?.id ?? '',
      options: memberships.map((m) => ({
        value: m.id,
        label: `role.${m.role}`,
        hint: [m.organization.name, m.district, m.province].filter((part) => part !== null).join(' · '),
      })),
    })],
    messages: memberships.length === 0 ? [{ kind: 'error', code: 'role_choice.none_active' }] : [],
    submit: 'common.confirm',
  };
}
