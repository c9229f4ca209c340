/**
 * What Kelid's interaction pages (src/http/pages/interaction.ts) need from the provider: the
 * details of an interaction, and its results: a sign-in (from the Kelid session of the
 * browser), a consent (third-party apps), the role chosen, or a refusal. Wraps upstream's
 * documented helpers (`interactionDetails`, `interactionResult`, `Grant`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InteractionResults } from 'oidc-provider';
import type { Db } from '../db/database.ts';
import type { Role } from '../db/schema.ts';
import { activeMemberships, type MembershipView } from '../identity/memberships.ts';
import { MFA_ACR, passwordAsked, type KelidSession } from './policy.ts';
import type { Federation } from './provider.ts';

export type AppInfo = { clientId: string; name: string; firstParty: boolean; roles: Role[] };

export type InteractionView = {
  uid: string;
  /** login, consent or kelid_role; with the reasons the provider asked. */
  prompt: { name: string; reasons: string[] };
  app: AppInfo;
  /** The scopes the app asked for. */
  scopes: string[];
  /** When the interaction began (epoch seconds): a sign-in asked again (prompt=login, max_age) must be newer. */
  startedAt: number;
  grantId: string | undefined;
  /** The account the provider's session already has, if any. */
  accountId: string | undefined;
  uiLocales: string[];
  /** A second factor was asked for (acr_values). */
  mfaAsked: boolean;
  /** The app asked for a password's acr or more: a sign-in by code is not enough. */
  passwordAsked: boolean;
};

type Raw = { req: IncomingMessage; res: ServerResponse };

/** The interaction of this browser (its cookie) with this uid, or undefined when there is none or it ran out. */
export async function interactionOf(federation: Federation, raw: Raw, uid: string): Promise<InteractionView | undefined> {
  const provider = await federation.provider();
  let details;
  try {
    details = await provider.interactionDetails(raw.req, raw.res);
  } catch {
    return undefined; // SessionNotFound: no interaction cookie, another browser's, or expired
  }
  if (details.uid !== uid) return undefined;
  const clientId = String(details.params.client_id ?? '');
  const client = await provider.Client.find(clientId);
  if (!client) return undefined;
  return {
    uid: details.uid,
    prompt: { name: details.prompt.name, reasons: details.prompt.reasons },
    app: {
      clientId, name: String(client.clientName ?? clientId), firstParty: client.kelid_first_party === true,
      roles: (client.kelid_roles as Role[] | undefined) ?? [],
    },
    scopes: String(details.params.scope ?? '').split(' ').filter(Boolean),
    startedAt: details.iat,
    grantId: details.grantId,
    accountId: details.session?.accountId,
    uiLocales: String(details.params.ui_locales ?? '').split(' ').filter(Boolean),
    mfaAsked: String(details.params.acr_values ?? '').split(' ').includes(MFA_ACR),
    passwordAsked: passwordAsked(details.params.acr_values),
  };
}

/** Finishes the interaction; answers where the browser goes next (back to the provider). */
export async function finish(federation: Federation, raw: Raw, result: InteractionResults): Promise<string> {
  const provider = await federation.provider();
  return provider.interactionResult(raw.req, raw.res, result, { mergeWithLastSubmission: true });
}

/** The provider's sign-in result from a Kelid session: who, when, how (acr, amr). */
export function loginResult(session: KelidSession): InteractionResults {
  return { login: { accountId: session.accountId, ts: session.authTime, acr: session.acr, amr: session.amr, remember: true } };
}

export { acrOf } from './policy.ts';

/** A third-party app's consent: a grant of the scopes it asked for, within what it may ask. */
export async function grantConsent(federation: Federation, view: InteractionView, accountId: string): Promise<string> {
  const provider = await federation.provider();
  const client = await provider.Client.find(view.app.clientId);
  const allowed = new Set(String(client?.scope ?? '').split(' '));
  const grant = view.grantId ? await provider.Grant.find(view.grantId) : undefined;
  const target = grant ?? new provider.Grant({ accountId, clientId: view.app.clientId });
  target.addOIDCScope(view.scopes.filter((scope) => allowed.has(scope)).join(' '));
  return target.save();
}

/** The memberships through which the person may use the app: those of its roles (any, when it names none). */
export async function servingMemberships(db: Db, accountId: string, today: string, app: AppInfo): Promise<MembershipView[]> {
  const memberships = await activeMemberships(db, accountId, today);
  return app.roles.length === 0 ? memberships : memberships.filter((m) => app.roles.includes(m.role));
}

/** Records the role the person acts as in the app of this grant, chosen in this Kelid session. */
export async function recordActing(db: Db, grantId: string, accountId: string, membershipId: string | null, sessionId: string): Promise<void> {
  await db.insertInto('oidc_acting').values({ grant_id: grantId, account_id: accountId, membership_id: membershipId, session_id: sessionId })
    .onConflict((oc) => oc.column('grant_id').doUpdateSet({ account_id: accountId, membership_id: membershipId, session_id: sessionId, chosen_at: new Date() }))
    .execute();
}

/**
 * Ends the provider's session of this browser (Kelid signed out): every app in it with a
 * back-channel logout URI is told (OIDC Back-Channel Logout 1.0), its grants that do not
 * outlive a logout are revoked, and the session goes, as upstream's end_session does.
 */
export async function endProviderSession(federation: Federation, raw: Raw, onError: (error: unknown) => void): Promise<void> {
  const provider = await federation.provider();
  const ctx = provider.createContext(raw.req, raw.res);
  const id = ctx.cookies.get('kelid_oidc_session', { signed: true });
  if (!id) return;
  const session = await provider.Session.find(id);
  if (!session) return;
  for (const [clientId, authorization] of Object.entries(session.authorizations ?? {})) {
    // Client.backchannelLogout(sub, sid) is what upstream's end_session calls; its types do not list it.
    const client = await provider.Client.find(clientId) as (Awaited<ReturnType<typeof provider.Client.find>> & { backchannelLogout(sub: string, sid: string): Promise<void> }) | undefined;
    if (client?.backchannelLogoutUri && session.accountId) {
      await client.backchannelLogout(session.accountId, authorization.sid ?? '').catch(onError);
    }
    if (authorization.grantId && !authorization.persistsLogout) {
      const grant = await provider.Grant.find(authorization.grantId);
      await grant?.destroy();
      await provider.Grant.adapter.revokeByGrantId(authorization.grantId);
    }
  }
  await session.destroy();
}
