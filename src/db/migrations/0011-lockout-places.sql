-- Brute-force protection by place (issue 9): a run of failures belongs to one known device or
-- to every other device of the account. An attempt that starts a new run after a lock ran out
-- records that lock here, so exactly one attempt audits the unlock.
alter table sign_in_failures add column previous_lock_until timestamptz;
