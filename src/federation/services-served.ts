/** Which of the home page's services would let a person in (F4 for the services menu). */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Role } from '../db/schema.ts';

/**
 * Of the home page's services (their addresses), the ones that would let in a person with
 * these roles, in one query: a service is the app (or apps) whose redirect URIs lie under its
 * origin; it serves the person when one of them serves any role (`roles` empty) or one of
 * theirs, as the role check at sign-in does (federation/policy.ts). A service no registered
 * app stands for is shown: nothing says it would refuse.
 */
export async function servicesServing(db: Db, serviceUrls: readonly string[], roles: readonly Role[]): Promise<Set<string>> {
  if (serviceUrls.length === 0) return new Set();
  const origins = serviceUrls.map((url) => new URL(url).origin);
  const rows = await sql<{ origin: string }>`
    with service as (select distinct origin from unnest(${origins}::text[]) as s(origin)),
    app as (
      select s.origin, c.roles from service s join oidc_clients c
        on exists (select 1 from unnest(c.redirect_uris) as u(uri) where left(u.uri, length(s.origin) + 1) = s.origin || '/')
      where 'authorization_code' = any(c.grant_types)
    )
    select s.origin from service s
    where not exists (select 1 from app a where a.origin = s.origin)
      or exists (select 1 from app a where a.origin = s.origin and (cardinality(a.roles) = 0 or a.roles && ${[...roles]}::text[]))`.execute(db);
  const served = new Set(rows.rows.map((row) => row.origin));
  return new Set(serviceUrls.filter((url) => served.has(new URL(url).origin)));
}
