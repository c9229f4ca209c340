-- OneRoster 1.2 CSV import (issue 13 §5): what each sourcedId of an importer's files became in
-- Kelid, so the same zip imported again creates nothing, a change updates, and a later bulk
-- file can end what it no longer holds. Keyed by the importer's organization: two schools'
-- systems may both call a pupil "s1".
create table oneroster_sources (
  importer_organization_id uuid not null references organizations (id),
  -- org → organizations.id, user → accounts.id, appointment → memberships.id
  kind text not null check (kind in ('org', 'user', 'appointment')),
  sourced_id text not null,
  entity_id uuid not null,
  -- SHA-256 of the fields Kelid keeps from the row: unchanged rows are not written again
  hash text not null,
  updated_at timestamptz not null default now(),
  primary key (importer_organization_id, kind, sourced_id)
);
create index oneroster_sources_entity on oneroster_sources (entity_id);
