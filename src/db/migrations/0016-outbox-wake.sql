-- A message to send wakes the dispatchers of every process at once (LISTEN kelid_outbox,
-- notify/wake-up.ts), not at their next poll. The NOTIFY is sent by the insert's own
-- transaction, so it arrives after the commit, and never for a change that rolled back; the
-- notifications of one transaction come as one. Withheld messages are never sent: no wake.
create function outbox_wake() returns trigger language plpgsql as $$
begin
  perform pg_notify('kelid_outbox', '');
  return null;
end;
$$;

create trigger outbox_wake after insert on outbox
  for each row when (new.status = 'pending') execute function outbox_wake();
