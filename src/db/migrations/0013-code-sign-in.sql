-- One-time-code sign-in (F3) and recovery by an emailed link (issue 11): codes and link secrets
-- are verification codes of their own purposes, so one sent for one flow or purpose never
-- counts in another.
alter table verification_codes drop constraint verification_codes_purpose_check;
alter table verification_codes add constraint verification_codes_purpose_check
  check (purpose in ('mobile', 'email', 'recovery', 'sign_in', 'recovery_link'));

-- A message the rules kept back (no account behind an identifier, a send limit) is written all
-- the same, without its text, and never sent: the step that asked costs the same either way.
alter table outbox drop constraint outbox_status_check;
alter table outbox add constraint outbox_status_check
  check (status in ('pending', 'sending', 'sent', 'failed', 'withheld'));

-- Only an email address the person proved may receive a recovery link. Registration proved it
-- with a code (both codes were needed to finish).
alter table accounts add column email_verified_at timestamptz;
update accounts a set email_verified_at = a.created_at
  where a.email is not null and exists (select 1 from audit_events e where e.type = 'registration.completed' and e.subject_account_id = a.id);
