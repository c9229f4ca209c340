/**
 * The role a person acts as in an app (F2 for apps): among the roles the app serves, chosen
 * once per Kelid sign-in, recorded per grant (`oidc_acting`) and told to the app as
 * `acting_as`. One rule decides whether to take it, ask for it or refuse, for the interaction
 * page and for the provider's policy check alike (a `prompt=none` request can be answered only
 * when nothing needs asking).
 */
import { isAdminRole } from '../admin/permissions.ts';
import type { Db } from '../db/database.ts';
import type { Role } from '../db/schema.ts';
import { activeMemberships, type MembershipView } from '../identity/memberships.ts';

/**
 * Whether the roles by which a person may use an app (those it serves that they hold) are
 * administrators' alone: let in by those, the person acts as an administrator there, and passes
 * the second factor first when it is required, whether or not the app hears of roles
 * (decideRole, stillServed, and a refresh: provider.ts findAccount).
 */
export const onlyAsAdministrator = (heldServedRoles: readonly Role[]): boolean => heldServedRoles.length > 0 && heldServedRoles.every(isAdminRole);

/** The person's active memberships the app serves (all of them for an app that serves any role). */
export async function servingMemberships(db: Db, accountId: string, today: string, app: { roles: readonly Role[] }): Promise<MembershipView[]> {
  const memberships = await activeMemberships(db, accountId, today);
  return app.roles.length === 0 ? memberships : memberships.filter((m) => app.roles.includes(m.role));
}

/** Records the role the person acts as in the app of this grant, chosen in this Kelid session. */
export async function recordActing(db: Db, grantId: string, accountId: string, membershipId: string | null, sessionId: string): Promise<void> {
  await db.insertInto('oidc_acting').values({ grant_id: grantId, account_id: accountId, membership_id: membershipId, session_id: sessionId })
    .onConflict((oc) => oc.column('grant_id').doUpdateSet({ account_id: accountId, membership_id: membershipId, session_id: sessionId, chosen_at: new Date() }))
    .execute();
}

/** The role chosen for a grant, as it stands today: the chosen membership's role if it is still active, and every role the person holds today. */
export type ChosenRole = { sessionId: string | null; membershipId: string | null; actingRole: Role | null; activeRoles: readonly Role[] };

/**
 * Whether a role chosen earlier in this sign-in stands for this request too, so nothing need
 * be decided again: the chosen membership still active, of a role the app serves, and (an
 * administrator's) past the second factor if one is required now; or, chosen as "no role"
 * (the earlier request did not ask for `roles`), only while this one does not ask either, and
 * some served role is still held (not only administrators' while their second factor is
 * required and not passed: let in by those alone, the person acts as one). An appointment ended, the app's roles changed, a request
 * that now asks for roles, a second factor now required: decided again (decideRole).
 */
export function stillServed(
  chosen: ChosenRole,
  request: { servesRoles: readonly Role[]; asksRoles: boolean; secondFactorPassed: boolean; secondFactorRequired: boolean },
): boolean {
  const served = (role: Role) => request.servesRoles.length === 0 || request.servesRoles.includes(role);
  const unproven = request.secondFactorRequired && !request.secondFactorPassed;
  if (chosen.membershipId === null) {
    if (request.asksRoles) return false;
    if (request.servesRoles.length === 0) return true;
    const held = chosen.activeRoles.filter(served);
    return held.length > 0 && !(onlyAsAdministrator(held) && unproven);
  }
  if (chosen.actingRole === null || !served(chosen.actingRole)) return false;
  return !(isAdminRole(chosen.actingRole) && unproven);
}

export type RoleDecision =
  /** Nothing to ask: this membership (null: the app hears of no role). */
  | { kind: 'take'; membershipId: string | null; role: Role | null }
  /** Several roles the app serves: the person chooses. */
  | { kind: 'ask' }
  /** A pre-registration (F14), or none of the app's roles: the app gets access_denied. */
  | { kind: 'refuse'; reason: 'pending' | 'no_role' }
  /** Acting as an administrator needs the second factor first, as at the console's door. */
  | { kind: 'second_factor' };

/**
 * Take, ask or refuse. `asksRoles`: the app asked for the `roles` scope (an app that does not
 * hears of no role, whatever the person has; but a person it serves only by administrators'
 * appointments acts as an administrator there, and passes the second factor first when it is
 * required); `servesRoles`: the roles it serves (none: any).
 */
export function decideRole(
  serving: readonly MembershipView[],
  context: { pending: boolean; asksRoles: boolean; servesRoles: readonly Role[]; secondFactorPassed: boolean; secondFactorRequired: boolean },
): RoleDecision {
  if (context.pending) return { kind: 'refuse', reason: 'pending' };
  if (serving.length === 0 && context.servesRoles.length > 0) return { kind: 'refuse', reason: 'no_role' };
  if (!context.asksRoles) {
    // Let in by an administrator's appointment alone, the person acts as one whether or not the app hears of it.
    const asAdministrator = context.servesRoles.length > 0 && onlyAsAdministrator(serving.map((m) => m.role));
    if (asAdministrator && context.secondFactorRequired && !context.secondFactorPassed) return { kind: 'second_factor' };
    return { kind: 'take', membershipId: null, role: null };
  }
  if (serving.length > 1) return { kind: 'ask' };
  const only = serving[0];
  if (only && isAdminRole(only.role) && context.secondFactorRequired && !context.secondFactorPassed) return { kind: 'second_factor' };
  return { kind: 'take', membershipId: only?.id ?? null, role: only?.role ?? null };
}
