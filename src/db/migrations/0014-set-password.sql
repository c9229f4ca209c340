-- Set password from an emailed link (F19): invitations, the identification question and its
-- answer, and bulk invitations as a kind of batch beside bulk passwords.

-- One emailed link. The token is never stored, only its SHA-256 (256 random bits: a hash
-- that cannot be reversed or guessed is enough, as for the slips' QR tokens). Only the
-- newest unexpired invitation of an account works: issuing one voids the older ones.
create table invitations (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts (id) on delete cascade,
  token_hash bytea not null unique,
  -- the address the link went to: opening the link proves this inbox
  email text not null,
  -- who sent it (null: the person asked for a new link); the batch that sent it, if any
  created_by uuid references accounts (id) on delete set null,
  batch_id uuid references password_batches (id) on delete set null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  -- national IDs typed that did not match, counted atomically; too many void the link
  wrong_ids integer not null default 0,
  used_at timestamptz,
  voided_at timestamptz,
  void_reason text check (void_reason in ('replaced', 'wrong_ids')),
  check ((voided_at is null) = (void_reason is null))
);
create index invitations_open on invitations (account_id) where used_at is null and voided_at is null;

-- The identification question chosen in the wizard (a catalog key) and its answer, normalized
-- and hashed with argon2id like a password: a personal fact is stored hashed (DESIGN.md Data).
create table identification_answers (
  account_id uuid primary key references accounts (id) on delete cascade,
  question text not null,
  answer_hash text not null,
  set_at timestamptz not null
);

-- Bulk invitations reuse the batch machinery of bulk passwords (one table, one runner, one
-- progress): a batch has a kind, and an invitation batch counts the people it could not
-- reach (no email on record, no national ID to identify with, a disabled account) as skipped.
alter table password_batches add column kind text not null default 'passwords' check (kind in ('passwords', 'invitations'));
alter table password_batches add column skipped integer not null default 0;
alter table password_batch_items add column outcome text check (outcome in ('sent', 'no_email', 'no_national_id', 'disabled'));
