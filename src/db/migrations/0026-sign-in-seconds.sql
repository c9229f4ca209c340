-- A new sign-in is recorded at the first whole second after the account's latest one, live or
-- ended and not yet handled, when that falls in the same second (identity/sessions.ts
-- signInTime): the provider knows a sign-in by its account and second, and two of one person in
-- one second made ending either sign both browsers' apps out (found by CI, 2026-12-03). Each
-- sign-in reads the account's endings not yet handled: by account.
create index ended_sessions_account on ended_sessions (account_id);
