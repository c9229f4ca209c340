-- Delegated administration: multi-factor for administrators (B3), password batches with
-- printable slips (F21, B5) and the one-time QR sign-in of a slip.

-- When the session proved a second factor; the admin console asks for it when required.
alter table sessions add column mfa_at timestamptz;

create table mfa_totp (
  account_id uuid primary key references accounts (id) on delete cascade,
  -- the shared secret, AES-256-GCM with a key from the environment (secret-box.ts)
  secret_ciphertext text not null,
  -- null until the person proves the authenticator app with a first code
  confirmed_at timestamptz,
  -- until then, the session that was shown the seed: only it may confirm, and no other sees it
  pending_session_id uuid,
  -- the last time step accepted: a code is good once
  last_step bigint not null default 0,
  created_at timestamptz not null default now()
);

create table mfa_recovery_codes (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts (id) on delete cascade,
  -- HMAC-SHA256 of the code; the code itself is shown once
  code_hmac text not null,
  used_at timestamptz
);
create index mfa_recovery_codes_account on mfa_recovery_codes (account_id);

create table password_batches (
  id uuid primary key default gen_random_uuid(),
  actor_account_id uuid not null references accounts (id) on delete cascade,
  acting_membership_id uuid references memberships (id) on delete set null,
  -- the form's one-time key: a double-clicked "issue passwords" makes one batch
  request_key text not null,
  state text not null check (state in ('running', 'done', 'shown', 'failed')),
  total integer not null,
  done integer not null default 0,
  created_at timestamptz not null default now(),
  finished_at timestamptz,
  unique (actor_account_id, request_key)
);

create table password_batch_items (
  batch_id uuid not null references password_batches (id) on delete cascade,
  account_id uuid not null references accounts (id) on delete cascade,
  position integer not null,
  -- the temporary password and the slip's QR token, encrypted, until shown once; then erased
  secret_ciphertext text,
  done boolean not null default false,
  primary key (batch_id, account_id)
);
create index password_batch_items_todo on password_batch_items (batch_id, position) where not done;

-- A slip's QR code signs its student in once, on a shared device.
create table sign_in_tokens (
  token_hash bytea primary key,
  account_id uuid not null references accounts (id) on delete cascade,
  expires_at timestamptz not null,
  used_at timestamptz
);
create index sign_in_tokens_account on sign_in_tokens (account_id);
