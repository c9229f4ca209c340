/**
 * Who calls Kelid's SCIM API (issue 13 §6): the client of an opaque client-credentials access
 * token that Kelid's own provider issued for the SCIM resource (provider.ts: scimResource), looked
 * up with the provider's own model, so expiry, revocation and a removed client count exactly as
 * at the provider's introspection. Here because only src/federation/ speaks to oidc-provider.
 */
import type { Federation } from './provider.ts';
import { scimResource } from './provider.ts';

/** A SCIM client and the organization whose subtree it keeps (oidc_clients.organization_id). */
export type ScimCaller = { clientId: string; organizationId: string };

/** Longer is no token of this provider (its opaque tokens are 43 characters): not looked up. */
const MAX_TOKEN_LENGTH = 512;

/**
 * The caller of a bearer token: `invalid` (no such token, expired, revoked, its client removed:
 * 401), `forbidden` (a live token without the `scim` scope for the SCIM resource, or of a client
 * bound to no organization: 403), or the client and its organization.
 */
export async function scimCaller(federation: Federation, publicUrl: string, token: string): Promise<ScimCaller | 'invalid' | 'forbidden'> {
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9._~+/=-]+$/.test(token)) return 'invalid';
  const provider = await federation.provider();
  const found = await provider.ClientCredentials.find(token);
  if (!found || found.isExpired || typeof found.clientId !== 'string') return 'invalid';
  const client = await provider.Client.find(found.clientId);
  if (!client) return 'invalid';
  const scopes = new Set(String(found.scope ?? '').split(' '));
  const audience = (found as { aud?: string | string[] }).aud;
  const forScim = [audience].flat().includes(scimResource(publicUrl));
  const organizationId = (client as unknown as { kelid_organization_id?: string | null }).kelid_organization_id;
  if (!scopes.has('scim') || !forScim || typeof organizationId !== 'string') return 'forbidden';
  return { clientId: found.clientId, organizationId };
}
