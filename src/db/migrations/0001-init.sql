-- Kelid's foundation: the civil registry, accounts, credentials, the organization tree,
-- memberships (appointments), guardianships, sessions, sign-in limits and the audit log.

create table people (
  id uuid primary key default gen_random_uuid(),
  -- normalised per profile: 10 digits (ir) or 9 digits (il), leading zeros kept
  national_id text not null unique,
  first_name text not null,
  last_name text not null,
  birth_date date,
  -- birth-certificate serial, HMAC-SHA256 with a key from the environment (never stored plain)
  birth_serial_hmac text,
  gender text check (gender in ('female', 'male')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table accounts (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null unique references people (id) on delete cascade,
  -- issued once at creation, never changed; can be used to sign in instead of the national ID
  user_code text not null unique,
  status text not null default 'active' check (status in ('active', 'pending', 'disabled')),
  mobile text,
  email text,
  locale text,
  created_at timestamptz not null default now()
);

create table credentials (
  account_id uuid primary key references accounts (id) on delete cascade,
  -- argon2id PHC string; parameters live in the string, so a change of parameters rehashes on sign-in
  password_hash text not null,
  -- a temporary password (issued by an administrator) must be changed at the next sign-in
  must_change boolean not null default false,
  changed_at timestamptz not null default now()
);

create table organizations (
  id uuid primary key default gen_random_uuid(),
  parent_id uuid references organizations (id),
  level text not null check (level in ('ministry', 'province', 'district', 'school', 'university')),
  type text not null check (type in ('ministry', 'province', 'district', 'public', 'non_public', 'gifted', 'special', 'university')),
  name text not null,
  code text unique,
  -- materialized path of ids, '/root/…/self/': a subtree is `path like '/…/self/%'`
  path text not null unique,
  created_at timestamptz not null default now()
);
create index organizations_path_prefix on organizations (path text_pattern_ops);
create index organizations_parent on organizations (parent_id);

create table memberships (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts (id) on delete cascade,
  organization_id uuid not null references organizations (id),
  role text not null check (role in (
    'student', 'teacher', 'staff', 'deputy', 'principal', 'father', 'mother', 'guardian',
    'district_admin', 'province_admin', 'ministry_admin', 'university_staff', 'university_student')),
  starts_on date not null,
  -- inclusive last day; null = open-ended
  ends_on date,
  approved boolean not null default true,
  created_at timestamptz not null default now(),
  check (ends_on is null or ends_on >= starts_on)
);
create index memberships_account on memberships (account_id);
create index memberships_organization_role on memberships (organization_id, role);

create table guardianships (
  parent_person_id uuid not null references people (id) on delete cascade,
  child_person_id uuid not null references people (id) on delete cascade,
  relation text not null check (relation in ('father', 'mother', 'guardian')),
  created_at timestamptz not null default now(),
  primary key (parent_person_id, child_person_id),
  check (parent_person_id <> child_person_id)
);
create index guardianships_child on guardianships (child_person_id);

create table sessions (
  id uuid primary key default gen_random_uuid(),
  -- SHA-256 of the bearer/cookie token: a database leak does not leak usable sessions
  token_hash bytea not null unique,
  account_id uuid not null references accounts (id) on delete cascade,
  membership_id uuid references memberships (id) on delete set null,
  kind text not null check (kind in ('browser', 'api')),
  ip text,
  user_agent text,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_account on sessions (account_id);

-- Consecutive failed sign-ins per account (or per unknown identifier, so that unknown and
-- known identifiers behave alike), with the progressive delay and temporary lock.
create table sign_in_failures (
  key text primary key,
  failures integer not null,
  last_failed_at timestamptz not null,
  locked_until timestamptz
);

-- Fixed-window counters (failed sign-ins per client address, later: sends per number…).
create table rate_counters (
  bucket text not null,
  key text not null,
  window_start timestamptz not null,
  hits integer not null,
  primary key (bucket, key)
);

create table audit_events (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  type text not null,
  actor_account_id uuid,
  acting_membership_id uuid,
  subject_account_id uuid,
  ip text,
  user_agent text,
  data jsonb not null default '{}'
);
create index audit_events_actor on audit_events (actor_account_id, at desc);
create index audit_events_subject on audit_events (subject_account_id, at desc);

-- The audit log is append-only: history cannot be rewritten through the application's role.
create function audit_events_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_events is append-only';
end;
$$;
create trigger audit_events_no_update before update or delete on audit_events
  for each row execute function audit_events_append_only();
