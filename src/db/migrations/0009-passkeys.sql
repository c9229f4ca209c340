-- Passkeys (WebAuthn) as a second factor for administrators (B3).
create table mfa_passkeys (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts (id) on delete cascade,
  -- the authenticator's credential id, base64url, as the browser names it
  credential_id text not null unique,
  public_key bytea not null,
  -- the signature counter: a clone that replays an old counter is refused
  counter bigint not null default 0,
  transports text[] not null default '{}',
  created_at timestamptz not null default now(),
  last_used_at timestamptz
);
create index mfa_passkeys_account on mfa_passkeys (account_id);

-- The challenge of the WebAuthn ceremony a session is in the middle of (one at a time, 5 minutes).
alter table sessions add column webauthn_challenge text;
alter table sessions add column webauthn_challenge_at timestamptz;
