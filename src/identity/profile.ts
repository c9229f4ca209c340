/**
 * Completing the profile (F14): a self-registered account stays 'pending' (it can sign in but
 * use no service) until the profile is complete, and, where the deployment requires it,
 * approved by an administrator.
 */
import { normalizeDigitString, normalizeText } from '../domain/digits.ts';
import type { Profile } from '../domain/profile.ts';
import type { Db } from '../db/database.ts';
import type { FieldErrors } from '../flows/flow.ts';
import type { ProfileValues } from '../flows/profile/form.ts';
import { auditRow } from './audit.ts';

const POSTAL_CODE = { ir: /^\d{10}$/, il: /^\d{7}$/ } as const;

/** Pure: the normalized profile, or every problem at once. */
export function validateProfile(input: ProfileValues, profile: Profile): { ok: true; value: ProfileValues } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = [];
  const fatherName = normalizeText(input.fatherName);
  const address = normalizeText(input.address);
  const postalCode = normalizeDigitString(input.postalCode);
  if (fatherName === '') errors.push({ code: 'profile.father_name_required', field: 'fatherName' });
  else if ([...fatherName].length > 100) errors.push({ code: 'error.field_too_long', field: 'fatherName' });
  if (input.gender !== 'female' && input.gender !== 'male') errors.push({ code: 'profile.gender_required', field: 'gender' });
  if (address === '') errors.push({ code: 'profile.address_required', field: 'address' });
  else if ([...address].length > 300) errors.push({ code: 'error.field_too_long', field: 'address' });
  if (!POSTAL_CODE[profile].test(postalCode)) errors.push({ code: 'profile.postal_code_invalid', field: 'postalCode', params: { digits: profile === 'ir' ? 10 : 7 } });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { fatherName, gender: input.gender, address, postalCode } };
}

export async function completeProfile(
  db: Db, accountId: string, value: ProfileValues, options: { approvalRequired: boolean; now: Date; ip: string | null },
): Promise<'active' | 'awaiting_approval'> {
  return db.transaction().execute(async (trx) => {
    const account = await trx.updateTable('accounts')
      .set({ profile_completed_at: options.now, ...(options.approvalRequired ? {} : { status: 'active' as const }) })
      .where('id', '=', accountId).where('status', '=', 'pending')
      .returning('person_id').executeTakeFirst();
    if (!account) return 'active';
    await trx.updateTable('people').set({
      father_name: value.fatherName, gender: value.gender === 'female' ? 'female' : 'male', address: value.address, postal_code: value.postalCode, updated_at: options.now,
    }).where('id', '=', account.person_id).execute();
    await trx.insertInto('audit_events').values(auditRow({
      type: 'profile.completed', actorAccountId: accountId, subjectAccountId: accountId, ip: options.ip, data: { approvalRequired: options.approvalRequired },
    })).execute();
    return options.approvalRequired ? 'awaiting_approval' : 'active';
  });
}
