-- An account-wide ending (an administrator ending someone's sessions or resetting their
-- password, a password change, a recovery) is also noted for the account as a whole, with no
-- sign-in: every provider session of the account whose Kelid session no longer exists ends,
-- and its apps are told. A Kelid session that had idled out and been cleaned away before the
-- ending left no row to note, and its apps' tokens lived on (found by the attacker review of
-- 2026-12-03).
alter table ended_sessions alter column signed_in_at drop not null;
