/**
 * Permissions as data (F22): what each role may do in the admin console, and which roles it
 * may give. Where it may do it is the scope (scope.ts): the subtree of the organization of
 * the membership the session acts as. Pure: no I/O.
 */
import type { OrganizationLevel, Role } from '../db/schema.ts';

export type AdminAction =
  | 'users.read' | 'users.create' | 'users.edit' | 'users.reset_password' | 'users.bulk_passwords'
  | 'users.import' | 'users.invite' | 'memberships.end' | 'memberships.renew' | 'audit.read' | 'audit.read_system' | 'accounts.approve'
  | 'clients.manage' | 'sessions.end' | 'accounts.unlock' | 'announcements.publish' | 'announcements.public' | 'support.answer';

// Ending a user's sessions and lifting a lock go with resetting the password: the same help
// to the same people (a lost phone still signed in, a user who locked themselves out).
// Sending set-password links (F19) is the appointing admins': a deputy hands out passwords but
// does not decide who gets an account's first password by email.
const manage: readonly AdminAction[] = [
  'users.read', 'users.create', 'users.edit', 'users.reset_password', 'users.bulk_passwords',
  'users.import', 'users.invite', 'memberships.end', 'memberships.renew', 'audit.read', 'sessions.end', 'accounts.unlock',
  'support.answer',
];

export const rolePermissions: Partial<Record<Role, readonly AdminAction[]>> = {
  // Announcements (F30) are the school's and the offices' voice: a principal and the admins
  // above publish; a deputy, who helps with lists and passwords, does not.
  principal: [...manage, 'announcements.publish'],
  // A deputy helps with the lists and the passwords of the school, but does not appoint.
  // Answering support requests (F29) is help to the school's people, as a reset is.
  deputy: ['users.read', 'users.reset_password', 'users.bulk_passwords', 'audit.read', 'sessions.end', 'accounts.unlock', 'support.answer'],
  district_admin: [...manage, 'announcements.publish'],
  province_admin: [...manage, 'announcements.publish'],
  // Self-registered people and the events of no person or school (a breaker, an import, a
  // sign-in on an unknown identifier) belong to no subtree but the whole: only the ministry's.
  // So are the ministry's apps (OpenID clients): an app, its redirect URIs and its secret reach
  // every school at once, so registering, removing or re-keying one is the ministry's alone.
  // The sign-in page is the whole country's: only the ministry's announcements go there
  // ('announcements.public'), never a school's or a district's.
  ministry_admin: [...manage, 'accounts.approve', 'audit.read_system', 'clients.manage', 'announcements.publish', 'announcements.public'],
};

/** The roles the console and the admin API know (the university roles are not appointed here). */
export const consoleRoles = [
  'student', 'teacher', 'staff', 'deputy', 'principal', 'father', 'mother', 'guardian', 'district_admin', 'province_admin', 'ministry_admin',
] as const satisfies readonly Role[];

export function can(role: Role, action: AdminAction): boolean {
  return rolePermissions[role]?.includes(action) ?? false;
}

export const isAdminRole = (role: Role) => rolePermissions[role] !== undefined;

const schoolRoles: readonly Role[] = ['teacher', 'staff', 'deputy', 'student', 'father', 'mother', 'guardian'];

/**
 * The roles an actor may give, and act on (reset, end): never their own rank or above, so a
 * principal cannot touch another principal, nor a district admin another district admin.
 */
export const grantableRoles: Partial<Record<Role, readonly Role[]>> = {
  principal: schoolRoles,
  deputy: schoolRoles.filter((r) => r !== 'deputy'),
  district_admin: [...schoolRoles, 'principal'],
  province_admin: [...schoolRoles, 'principal', 'district_admin'],
  ministry_admin: [...schoolRoles, 'principal', 'district_admin', 'province_admin'],
};

export const rolesActedOn = (role: Role): readonly Role[] => grantableRoles[role] ?? [];

/** Where a role may be given: school roles at schools, admins at their level. */
export function roleFitsLevel(role: Role, level: OrganizationLevel): boolean {
  if (role === 'district_admin') return level === 'district';
  if (role === 'province_admin') return level === 'province';
  if (role === 'ministry_admin') return level === 'ministry';
  return level === 'school';
}

/** Roles that are parents of a student (F25): they are linked to a child, not only appointed. */
export const parentRoles: readonly Role[] = ['father', 'mother', 'guardian'];

/** The user types of bulk passwords (seed 1 §8, "انتخاب نوع کاربری"): each a group of roles. */
export const userTypes = {
  teachers: ['teacher'],
  students: ['student'],
  parents: ['father', 'mother', 'guardian'],
  staff: ['staff', 'deputy'],
  principals: ['principal'],
} as const satisfies Record<string, readonly Role[]>;
export type UserType = keyof typeof userTypes;

/** The user types whose roles the actor may act on. */
export const userTypesFor = (role: Role): UserType[] =>
  (Object.keys(userTypes) as UserType[]).filter((type) => userTypes[type].every((r) => rolesActedOn(role).includes(r)));
