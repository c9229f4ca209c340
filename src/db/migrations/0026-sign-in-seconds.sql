-- A new sign-in is recorded at the first whole second after the account's latest one, live or
-- ended and not yet handled, when that falls in the same second (identity/sessions.ts
-- signInTime): the provider knows a sign-in by its account and second, and two of one person in
-- one second made ending either sign both browsers' apps out (found by CI, 2026-12-03). Each
-- sign-in looks for the account's sign-ins of its own second: by account and time, in the
-- sessions (the index replaces the one by account alone, which every lookup by account still
-- uses) and in the endings not yet handled.
drop index sessions_account;
create index sessions_account on sessions (account_id, created_at);
create index ended_sessions_account on ended_sessions (account_id, signed_in_at);
