import type { MembershipView } from '../../identity/memberships.ts';
import { field, oneAction, type FormModel } from '../form.ts';

/**
 * One radio option per active membership: role + organization (+ district, province).
 * `preselected` (the role acted as now, or the one chosen last time) is checked when still
 * active; otherwise none is, so nobody acts as a role they did not pick by pressing Confirm.
 */
export function roleChoiceForm(memberships: MembershipView[], preselected: string | null): FormModel {
  return {
    fields: [field('membershipId', 'radio', 'role_choice.label', {
      value: memberships.find((m) => m.id === preselected)?.id ?? '',
      options: memberships.map((m) => ({
        value: m.id,
        label: `role.${m.role}`,
        hint: [m.organization.name, m.district, m.province].filter((part) => part !== null).join(' · '),
      })),
    }), oneAction('submit', 'common.confirm')],
    messages: memberships.length === 0 ? [{ kind: 'error', code: 'role_choice.none_active' }] : [],
  };
}
