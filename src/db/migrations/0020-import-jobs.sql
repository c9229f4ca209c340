-- Large user imports run in the background (issue 13 §4): the uploaded file until its import
-- commits, the progress, and the report the progress page shows once done.
create table import_jobs (
  id uuid primary key default gen_random_uuid(),
  actor_account_id uuid not null references accounts (id) on delete cascade,
  acting_membership_id uuid references memberships (id) on delete set null,
  organization_id uuid not null references organizations (id) on delete cascade,
  kind text not null check (kind in ('csv', 'xlsx')),
  -- erased when the job ends
  file bytea,
  send_invitations boolean not null default false,
  ip text,
  state text not null check (state in ('running', 'done', 'failed')),
  -- rows of the file (counted on upload: an estimate until the file is read), and rows done
  total integer not null,
  done integer not null default 0,
  -- the report (import-report.ts ImportReport), or why the file was refused whole
  report jsonb,
  failure jsonb,
  created_at timestamptz not null default now(),
  finished_at timestamptz
);

create index import_jobs_running on import_jobs (state) where state = 'running';
create index import_jobs_actor on import_jobs (actor_account_id, created_at);
