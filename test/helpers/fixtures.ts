// Small, explicit test data: an organization tree with two schools in one district and a
// school in another, and accounts with the memberships a test needs.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/db/database.ts';
import type { OrganizationLevel, OrganizationType, Role } from '../../src/db/schema.ts';
import { nationalIdCheckDigit } from '../../src/domain/national-id.ts';
import { newUserCode } from '../../src/identity/accounts.ts';
import type { PasswordHasher } from '../../src/identity/passwords.ts';

/** A valid Iranian national code made from a number (same number, same code). */
export function nationalIdFor(n: number): string {
  const first9 = String(100_000_000 + n).slice(-9).replace(/^0/, '3');
  return `${first9}${nationalIdCheckDigit(first9)}`;
}

export type Tree = Record<'ministry' | 'province' | 'district' | 'schoolA' | 'schoolB' | 'otherDistrict' | 'schoolC', string>;

export async function createTree(db: Db): Promise<Tree> {
  const rows: { key: keyof Tree; parent: keyof Tree | null; level: OrganizationLevel; type: OrganizationType; name: string }[] = [
    { key: 'ministry', parent: null, level: 'ministry', type: 'ministry', name: 'وزارت آموزش و پرورش' },
    { key: 'province', parent: 'ministry', level: 'province', type: 'province', name: 'خراسان رضوی' },
    { key: 'district', parent: 'province', level: 'district', type: 'district', name: 'مشهد ناحیه ۵' },
    { key: 'schoolA', parent: 'district', level: 'school', type: 'public', name: 'دبستان الف' },
    { key: 'schoolB', parent: 'district', level: 'school', type: 'public', name: 'دبیرستان ب' },
    { key: 'otherDistrict', parent: 'province', level: 'district', type: 'district', name: 'مشهد ناحیه ۲' },
    { key: 'schoolC', parent: 'otherDistrict', level: 'school', type: 'non_public', name: 'مدرسه غیردولتی ج' },
  ];
  const ids = {} as Tree;
  const paths = {} as Record<keyof Tree, string>;
  for (const row of rows) {
    const id = randomUUID();
    ids[row.key] = id;
    paths[row.key] = `${row.parent ? paths[row.parent] : '/'}${id}/`;
    await db.insertInto('organizations').values({
      id, parent_id: row.parent ? ids[row.parent] : null, level: row.level, type: row.type, name: row.name, path: paths[row.key],
    }).execute();
  }
  return ids;
}

export type NewAccount = {
  nationalId: string;
  password: string;
  firstName?: string;
  lastName?: string;
  mustChange?: boolean;
  status?: 'active' | 'pending' | 'disabled';
  /** E.164, as accounts keep them ('+989121112233'). */
  mobile?: string;
  email?: string;
  memberships?: { organizationId: string; role: Role; startsOn?: string; endsOn?: string | null; approved?: boolean }[];
};

export async function createAccount(db: Db, hasher: PasswordHasher, input: NewAccount) {
  const person = await db.insertInto('people').values({
    national_id: input.nationalId, first_name: input.firstName ?? 'مریم', last_name: input.lastName ?? 'رضایی', birth_date: '2000-01-01',
  }).returning('id').executeTakeFirstOrThrow();
  const userCode = newUserCode();
  const account = await db.insertInto('accounts').values({
    person_id: person.id, user_code: userCode, status: input.status ?? 'active', mobile: input.mobile ?? null, email: input.email ?? null,
  })
    .returning('id').executeTakeFirstOrThrow();
  await db.insertInto('credentials').values({ account_id: account.id, password_hash: await hasher.hash(input.password), must_change: input.mustChange ?? false }).execute();
  const membershipIds: string[] = [];
  for (const m of input.memberships ?? []) {
    const row = await db.insertInto('memberships').values({
      account_id: account.id, organization_id: m.organizationId, role: m.role,
      starts_on: m.startsOn ?? '2025-09-23', ends_on: m.endsOn === undefined ? '2026-09-22' : m.endsOn, approved: m.approved ?? true,
    }).returning('id').executeTakeFirstOrThrow();
    membershipIds.push(row.id);
  }
  return { accountId: account.id, personId: person.id, userCode, membershipIds };
}
