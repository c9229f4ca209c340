-- Kelid sessions that ended (signed out, ended from another browser's list of sessions, by an
-- administrator, by a password change or a recovery): the provider's sessions born of them end
-- too, and their apps are told (OIDC Back-Channel Logout), by federation/ended-sessions.ts soon
-- after. Written in the statement that ends the session; taken (deleted) when handled.
create table ended_sessions (
  id bigint generated always as identity primary key,
  account_id uuid not null,
  -- the session's sign-in: the provider's session of it has this as its loginTs (whole seconds)
  signed_in_at timestamptz not null
);

-- The provider's sessions of an account, for the above.
create index oidc_models_session_account on oidc_models ((payload ->> 'accountId')) where model = 'Session';
