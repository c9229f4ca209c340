-- Each sign-in of an account has a whole second of its own (identity/sign-in-seconds.ts):
-- the provider knows a sign-in by its account and second, and two of one person in one second
-- were one to it (found by CI, 2026-12-03: ending one ended the other browser's apps; and an
-- account-wide ending that keeps one could spare an idled-out one of the same second). The
-- unique index holds it against racing sign-ins, and serves every lookup of an account's
-- sessions (it replaces the index by account alone); the endings not yet handled are read by
-- account and time at each sign-in.
-- Two sessions of one account made in the same millisecond before this (all but never) are moved
-- a microsecond apart, so that the unique index can be built.
update sessions s set created_at = s.created_at + (twin.n - 1) * interval '1 microsecond'
from (select id, row_number() over (partition by account_id, created_at order by id) as n from sessions) twin
where twin.id = s.id and twin.n > 1;
drop index sessions_account;
create unique index sessions_account on sessions (account_id, created_at);
create index ended_sessions_account on ended_sessions (account_id, signed_in_at);
