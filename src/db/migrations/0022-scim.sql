-- SCIM 2.0 for school information systems (issue 13 §6). A SCIM client is an OpenID client with
-- the `scim` scope bound to an organization subtree (oidc_clients.organization_id, 0012).

-- A SCIM DELETE ends the client's appointments in its subtree and takes the person out of the
-- client's view (RFC 7644 §3.6: a deleted resource is 404), without deleting the person, their
-- account or the appointments' history: the appointments keep their dates and carry when.
alter table memberships add column deprovisioned_at timestamptz;

-- The client's own identifier for a person (RFC 7643 §3.1 externalId): one per client and account.
create table scim_external_ids (
  client_id text not null references oidc_clients (client_id) on delete cascade,
  account_id uuid not null references accounts (id) on delete cascade,
  external_id text not null check (length(external_id) between 1 and 255),
  primary key (client_id, account_id),
  unique (client_id, external_id)
);
