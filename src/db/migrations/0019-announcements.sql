-- Issue 13, F30: announcements on the portal home. An announcement is published at one
-- organization and applies to it and everything under it (the reader's organization path
-- starts with its organization's path), to the roles listed (none listed: every role), on
-- the civil days from starts_on to ends_on inclusive. Public ones (the ministry's only) also
-- show on the sign-in page. Withdrawing sets withdrawn_at: it hides at once and keeps the row.
create table announcements (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id),
  roles text[] not null default '{}',
  title text not null check (char_length(title) between 1 and 200),
  body text not null check (char_length(body) between 1 and 4000),
  starts_on date not null,
  ends_on date not null,
  public boolean not null default false,
  author_account_id uuid references accounts (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  withdrawn_at timestamptz,
  check (ends_on >= starts_on)
);
create index announcements_organization on announcements (organization_id, ends_on);
create index announcements_public on announcements (ends_on) where public and withdrawn_at is null;
