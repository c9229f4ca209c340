/**
 * When the provider must send a person to Kelid's pages (upstream's interaction policy, with
 * Kelid's checks added; oidc-provider's docs, `interactions.policy`):
 *
 *   login       upstream's checks (no provider session, prompt=login, max_age, id_token_hint…) and:
 *               kelid_session   the provider session must be this browser's live Kelid session,
 *                               same account, same sign-in (signing out of Kelid signs out of apps),
 *                               its password not one to change first
 *               kelid_mfa       acr_values asks for a second factor this sign-in has not passed
 *   consent     upstream's (third-party apps; first-party ones get their grant in provider.ts)
 *   kelid_role  the app needs the role the person acts as in it, chosen in this sign-in
 *
 * The checks only ask; the pages in src/http/pages/interaction.ts answer.
 */
import type { KoaContextWithOIDC } from 'oidc-provider';
import { interactionPolicy } from 'oidc-provider';
import { sql } from 'kysely';
import { batched } from '../db/batched.ts';
import type { Db } from '../db/database.ts';
import { KEYED } from '../db/keyed.ts';
import type { Role } from '../db/schema.ts';
import { auditRow } from '../identity/audit.ts';
import { activeOn } from '../identity/memberships.ts';
import { decideRole, recordActing, servingMemberships, stillServed, type ChosenRole } from './acting.ts';

const { Check, Prompt, base } = interactionPolicy;

/**
 * Kelid's authentication context classes, weakest first: a one-time code to the registered
 * mobile (possession of the phone), a password (knowledge), a password and a second factor.
 * An app asks for one with `acr_values`; asking for the password's or more sends a person
 * signed in by code through the password sign-in first.
 */
export const CODE_ACR = 'urn:kelid:acr:code';
export const MFA_ACR = 'urn:kelid:acr:mfa';
export const PASSWORD_ACR = 'urn:kelid:acr:password';

/**
 * Whether a session passed the second factor *after a password*: the class apps read as
 * `urn:kelid:acr:mfa` ("the password and a second factor", docs/integrating.md) and admin roles
 * need. A one-time code to the phone and an authenticator on the same phone are not two factors.
 */
export const secondFactorPassed = (session: { mfaAt: Date | null; amr: readonly string[] }) => session.mfaAt !== null && session.amr.includes('pwd');

/** A session's acr, from its second factor and its RFC 8176 methods. */
export const acrOf = (mfaAt: Date | null, amr: readonly string[]) => (secondFactorPassed({ mfaAt, amr }) ? MFA_ACR : amr.includes('pwd') ? PASSWORD_ACR : CODE_ACR);

/** Whether the acr_values asked for need a password (the password's class, or the second factor's, which comes after one). */
export const passwordAsked = (acrValues: unknown) => String(acrValues ?? '').split(' ').some((acr) => acr === PASSWORD_ACR || acr === MFA_ACR);

/**
 * The Kelid session of the browser making the request (its cookie), as the provider needs it;
 * `mustChange`: signed in with a password that must be changed first (a temporary one).
 */
export type KelidSession = { id: string; accountId: string; authTime: number; acr: string; amr: string[]; pending: boolean; mustChange: boolean };

/** A Kelid session as the provider sees it: its sign-in time in whole seconds (the provider's `loginTs`), its acr and amr. */
export const asKelidSession = (session: { id: string; accountId: string; createdAt: Date; mfaAt: Date | null; amr: string[]; accountStatus: string; mustChangePassword: boolean }): KelidSession => ({
  id: session.id, accountId: session.accountId, authTime: Math.floor(session.createdAt.getTime() / 1000),
  acr: acrOf(session.mfaAt, session.amr), amr: session.amr, pending: session.accountStatus === 'pending', mustChange: session.mustChangePassword,
});
export type SessionOf = (ctx: Pick<KoaContextWithOIDC, 'req' | 'cookies'>) => Promise<KelidSession | undefined>;

export function kelidPolicy(db: Db, sessionOf: SessionOf, roles: { today(): string; secondFactorRequired: boolean }) {
  // The Kelid session that chose the role for a grant, and that role as it stands today: asked at
  // every authorization of an app that hears of roles, so requests at the same time share one
  // statement (db/batched.ts).
  const chosenRole = batched(async (grantIds: readonly string[]): Promise<(ChosenRole | undefined)[]> => {
    const today = roles.today();
    const { rows } = await sql<{ grant_id: string; session_id: string | null; membership_id: string | null; acting_role: Role | null; active_roles: Role[] }>`${sql.raw(KEYED)}
      select a.grant_id, a.session_id, a.membership_id,
        (select m.role::text from memberships m where m.id = a.membership_id and ${activeOn('m', today)}) as acting_role,
        array(select distinct h.role::text from memberships h where h.account_id = a.account_id and ${activeOn('h', today)}) as active_roles
      from oidc_acting a where a.grant_id = any(${[...new Set(grantIds)]}::text[])`.execute(db);
    const byGrant = new Map(rows.map((row) => [row.grant_id, { sessionId: row.session_id, membershipId: row.membership_id, actingRole: row.acting_role, activeRoles: row.active_roles }]));
    return grantIds.map((grantId) => byGrant.get(grantId));
  });
  const policy = base();
  const login = policy.get('login')!;
  login.checks.add(new Check('kelid_session', 'the Kelid session of this browser is required', async (ctx) => {
    const session = ctx.oidc.session;
    const kelid = await sessionOf(ctx);
    // The provider's session follows Kelid's: none, another account, or another sign-in (a newer
    // one, a second factor passed since) sends the person through the login page again, which
    // goes straight through when the Kelid session is live.
    if (!kelid || !session?.accountId) return Check.REQUEST_PROMPT;
    if (kelid.accountId !== session.accountId || kelid.authTime !== session.loginTs || kelid.acr !== session.acr) return Check.REQUEST_PROMPT;
    // A temporary password is changed before any app is reached: the login page sends the person
    // to the change (a provider session left from before this sign-in must not skip it).
    if (kelid.mustChange) return Check.REQUEST_PROMPT;
    return Check.NO_NEED_TO_PROMPT;
  }));
  login.checks.add(new Check('kelid_password', 'a password is requested and this sign-in was made by a code', async (ctx) => {
    if (!passwordAsked(ctx.oidc.params?.acr_values) || ctx.oidc.result?.login) return Check.NO_NEED_TO_PROMPT;
    const kelid = await sessionOf(ctx);
    return kelid && !kelid.amr.includes('pwd') ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT;
  }));
  login.checks.add(new Check('kelid_mfa', 'a second factor is requested', async (ctx) => {
    const asked = String(ctx.oidc.params?.acr_values ?? '').split(' ').includes(MFA_ACR);
    // Asked once per request: acr_values is voluntary (OIDC Core 3.1.2.1), so a person with no
    // second factor goes on with the password's acr, which the app can read and judge.
    if (!asked || ctx.oidc.session?.acr === MFA_ACR || ctx.oidc.result?.login) return Check.NO_NEED_TO_PROMPT;
    return Check.REQUEST_PROMPT;
  }));
  policy.add(new Prompt({ name: 'kelid_role', requestable: false }, new Check('role_unchosen', 'the role to act as in this app is not chosen', async (ctx) => {
    const servesRoles = (ctx.oidc.client?.kelid_roles as Role[] | undefined) ?? [];
    const asksRoles = String(ctx.oidc.params?.scope ?? '').split(' ').includes('roles');
    const kelid = await sessionOf(ctx);
    // A pre-registered account signs in but uses no service (F14), whatever the app serves:
    // the role page refuses it (decideRole), and the app hears access_denied.
    if (!kelid || kelid.pending) return Check.REQUEST_PROMPT;
    // An app that serves any role and does not ask for roles has no role to hear of: nothing to choose.
    if (servesRoles.length === 0 && !asksRoles) return Check.NO_NEED_TO_PROMPT;
    const grant = ctx.oidc.grant;
    if (!grant?.jti) return Check.REQUEST_PROMPT;
    // Chosen in this sign-in, and still held: an appointment ended since (or the app's roles
    // changed) goes through the decision again, and a person left with none is refused.
    const secondFactor = { secondFactorPassed: kelid.acr === MFA_ACR, secondFactorRequired: roles.secondFactorRequired };
    const chosen = await chosenRole(grant.jti);
    if (chosen?.sessionId === kelid.id && stillServed(chosen, { servesRoles, asksRoles, ...secondFactor })) return Check.NO_NEED_TO_PROMPT;
    // Nothing to ask (one role the app serves, or none it hears of): taken here as the role page
    // would take it, so an app's prompt=none is answered without a page.
    const serving = await servingMemberships(db, kelid.accountId, roles.today(), { roles: servesRoles });
    const decision = decideRole(serving, { pending: kelid.pending, asksRoles, servesRoles, ...secondFactor });
    if (decision.kind !== 'take') return Check.REQUEST_PROMPT;
    await recordActing(db, grant.jti, kelid.accountId, decision.membershipId, kelid.id);
    await db.insertInto('audit_events').values(auditRow({
      type: 'oidc.signed_in', actorAccountId: kelid.accountId, actingMembershipId: decision.membershipId, subjectAccountId: kelid.accountId, ip: ctx.ip,
      data: { clientId: ctx.oidc.client?.clientId ?? null, role: decision.role },
    })).execute();
    return Check.NO_NEED_TO_PROMPT;
  })));
  return policy;
}
