-- A withheld message (kept back: no account, or a send limit) wakes the dispatchers too, as a
-- message to send does, though they find nothing to send: the request that wrote it then costs
-- what a request that sends costs (an attacker review, 2026-12-03, measured code sign-ins for
-- accounts with a mobile 11–31 % slower than for unknown IDs on PostgreSQL with two workers:
-- only they woke every dispatcher).
drop trigger outbox_wake on outbox;
create trigger outbox_wake after insert on outbox
  for each row when (new.status in ('pending', 'withheld')) execute function outbox_wake();
