-- The outbox (B6): every SMS, voice call and email, written in the same transaction as the
-- change that causes it, delivered after commit by the dispatcher (src/notify/dispatcher.ts).

create table outbox (
  id uuid primary key default gen_random_uuid(),
  -- insertion order, for a stable "newest first" when several rows share a timestamp
  seq bigint generated always as identity,
  channel text not null check (channel in ('sms', 'voice', 'email')),
  -- E.164 mobile number or normalised email address
  recipient text not null,
  template text not null,
  locale text not null check (locale in ('fa', 'he', 'en')),
  -- kept for providers that render their own templates (Kavenegar verify/lookup);
  -- secret parameters (codes) are erased once a real provider has the message
  params jsonb not null default '{}',
  -- rendered at enqueue: a bad template fails the causing transaction, not a later send
  subject text,
  text text not null,
  html text,
  status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed')),
  -- claims so far (a claim counts as an attempt even if the process dies before sending)
  attempts integer not null default 0,
  -- pending: when to try again; sending: when the claim's lease runs out
  next_attempt_at timestamptz not null default now(),
  locked_until timestamptz,
  last_error text,
  provider_message_id text,
  created_at timestamptz not null default clock_timestamp(),
  sent_at timestamptz,
  check (channel = 'email' or (subject is null and html is null))
);

-- The dispatcher's claim: unsent rows by due time. Sent and failed rows (the vast majority
-- over time) stay out of the index.
create index outbox_due on outbox (next_attempt_at) where status in ('pending', 'sending');
-- The dev outbox and operators: newest first.
create index outbox_newest on outbox (created_at desc, seq desc);
-- Support: "what did we send to this number/address?"
create index outbox_recipient on outbox (recipient, created_at desc);
