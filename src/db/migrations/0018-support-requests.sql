-- Support requests (F29): a question to the administrators of one's school, or of the
-- ministry for someone signed out, moved up the tree when escalated, answered by replies.

-- `organization_id` is where the request is now (whose administrators see it: those whose
-- subtree holds it); `origin_organization_id` is where it was first sent. A signed-out
-- person has no account: their contact (an E.164 mobile or an email) is where the answer
-- goes. `reference` is the short code a person quotes (XXXX-XXXX).
create table support_requests (
  id uuid primary key default gen_random_uuid(),
  reference text not null unique,
  account_id uuid references accounts (id) on delete set null,
  membership_id uuid references memberships (id) on delete set null,
  organization_id uuid not null references organizations (id),
  origin_organization_id uuid not null references organizations (id),
  category text not null check (category in ('sign_in', 'registration', 'roles', 'other')),
  subject text not null check (length(subject) between 1 and 200),
  body text not null check (length(body) between 1 and 5000),
  from_path text check (from_path is null or (length(from_path) <= 512 and from_path like '/%' and from_path not like '//%')),
  contact_channel text check (contact_channel in ('sms', 'email')),
  contact text,
  locale text not null,
  state text not null default 'open' check (state in ('open', 'answered', 'closed')),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  closed_at timestamptz,
  check ((contact is null) = (contact_channel is null)),
  -- someone signed out must leave a contact, or the answer could reach nobody
  check (account_id is not null or contact is not null)
);
create index support_requests_own on support_requests (account_id, created_at desc) where account_id is not null;
create index support_requests_queue on support_requests (organization_id, state, created_at desc);

-- The screenshot apart from the row, so lists never read its bytes. Only PNG and JPEG,
-- recognized by their magic bytes (domain/support-request.ts), at most 1 MB.
create table support_screenshots (
  request_id uuid primary key references support_requests (id) on delete cascade,
  content_type text not null check (content_type in ('image/png', 'image/jpeg')),
  bytes bytea not null check (octet_length(bytes) <= 1048576)
);

create table support_replies (
  id uuid primary key default gen_random_uuid(),
  request_id uuid not null references support_requests (id) on delete cascade,
  author_account_id uuid references accounts (id) on delete set null,
  organization_id uuid not null references organizations (id),
  body text not null check (length(body) between 1 and 5000),
  created_at timestamptz not null
);
create index support_replies_of on support_replies (request_id, created_at);
