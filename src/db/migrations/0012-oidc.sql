-- Single sign-on (issue 10): oidc-provider's models, its signing keys, the ministry's apps
-- (OpenID clients) and the role a person acts as in each app.

-- Every model oidc-provider stores (sessions, interactions, grants, codes, tokens, replay
-- detection…), one row each, deleted once expired (housekeeping).
create table oidc_models (
  model text not null,
  id text not null,
  payload jsonb not null,
  -- what the provider looks models up by besides their id
  grant_id text,
  uid text,
  user_code text,
  expires_at timestamptz,
  consumed_at timestamptz,
  primary key (model, id)
);
create index oidc_models_grant on oidc_models (grant_id) where grant_id is not null;
create index oidc_models_uid on oidc_models (model, uid) where uid is not null;
create index oidc_models_expires on oidc_models (expires_at) where expires_at is not null;

-- Signing keys: made on first start, rotated by `kelid keys rotate`. The private key is
-- sealed (AES-256-GCM, a key from KELID_SECRET); a retired key signs nothing more but stays
-- published until what it signed has expired.
create table oidc_keys (
  kid text primary key,
  alg text not null check (alg in ('RS256', 'ES256')),
  private_jwk text not null,
  public_jwk jsonb not null,
  created_at timestamptz not null default now(),
  -- a new key is published first and signs from this moment, when every process has it
  activates_at timestamptz not null default now(),
  retired_at timestamptz
);

-- The ministry's apps. A confidential client's secret is stored only as an HMAC (shown once).
create table oidc_clients (
  client_id text primary key,
  name text not null,
  -- first-party apps skip the consent page; third-party ones get pairwise subject identifiers
  first_party boolean not null default true,
  secret_hmac text,
  redirect_uris text[] not null default '{}',
  post_logout_redirect_uris text[] not null default '{}',
  grant_types text[] not null default '{authorization_code,refresh_token}',
  scopes text[] not null default '{openid,profile}',
  access_token_format text not null default 'opaque' check (access_token_format in ('opaque', 'jwt')),
  -- ID tokens are RS256 unless the app asks ES256 (smaller, cheaper; OIDC requires RS256 to be available)
  id_token_alg text not null default 'RS256' check (id_token_alg in ('RS256', 'ES256')),
  backchannel_logout_uri text,
  -- the roles the app serves: a person with none of them gets no code
  roles text[] not null default '{}',
  -- client-credentials clients may be bound to an organization subtree (school information systems)
  organization_id uuid references organizations (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (client_id ~ '^[a-z0-9][a-z0-9._-]{1,63}$')
);

-- The membership a person chose to act as in an app (F2: the choice travels to apps as claims),
-- per grant, and the Kelid session that chose it: a new sign-in chooses again.
create table oidc_acting (
  grant_id text primary key,
  account_id uuid not null references accounts (id) on delete cascade,
  membership_id uuid references memberships (id) on delete set null,
  session_id uuid,
  chosen_at timestamptz not null default now()
);

-- How a Kelid session was signed in (RFC 8176 amr values: pwd, otp, hwk, sms…), for the apps.
alter table sessions add column amr text[] not null default '{pwd}';

-- A student's grade in the school of the appointment (1–12), for the apps (exam registration,
-- the parents portal's children).
alter table memberships add column grade smallint check (grade between 1 and 12);

-- Which sign-in an app's request for a fresh one (prompt=login, max_age) was answered by: the
-- login flow that made the session and was on its way back to that interaction.
create index flows_login_session on flows ((data->>'sessionId')) where kind = 'login' and state = 'done';
