-- Self-service flows (registration, later recovery, one-time-code sign-in…) and the one-time
-- verification codes they send.

create table flows (
  id uuid primary key default gen_random_uuid(),
  kind text not null,
  state text not null,
  -- what the flow has gathered so far; never a plain password or code (hashes only)
  data jsonb not null default '{}',
  -- SHA-256 of the browser's flow cookie for flows started by a page; null for API flows,
  -- whose unguessable id is the capability
  binding bytea,
  -- bumped by every transition: two tabs submitting at once cannot both win
  version integer not null default 0,
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index flows_expires on flows (expires_at);

create table verification_codes (
  id uuid primary key default gen_random_uuid(),
  flow_id uuid not null references flows (id) on delete cascade,
  -- what the code proves: control of a mobile number or of an email address
  purpose text not null check (purpose in ('mobile', 'email')),
  -- the number (E.164) or address the code was sent to: a changed target voids the code
  target text not null,
  -- HMAC-SHA256 of the code with a key from the environment
  code_hmac text not null,
  tries integer not null default 0,
  sent_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz
);
create index verification_codes_flow on verification_codes (flow_id, purpose, sent_at desc);

-- Pre-registration (F14): a self-registered account is 'pending' until its profile is
-- completed (and approved where required); not completed within 30 days, it is deleted.
alter table accounts add column profile_completed_at timestamptz;
alter table accounts add column registration_reminded_at timestamptz;
-- A registration whose person the registry does not hold waits for review.
alter table people add column registry_status text not null default 'registry'
  check (registry_status in ('registry', 'self_declared'));
