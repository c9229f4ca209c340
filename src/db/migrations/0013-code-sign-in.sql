-- One-time-code sign-in (F3, issue 11): its codes are verification codes of their own purpose,
-- so a code sent for one flow or purpose never counts in another.
alter table verification_codes drop constraint verification_codes_purpose_check;
alter table verification_codes add constraint verification_codes_purpose_check
  check (purpose in ('mobile', 'email', 'recovery', 'sign_in'));

-- A message the rules kept back (no account behind an identifier, a send limit) is written all
-- the same, without its text, and never sent: the step that asked costs the same either way.
alter table outbox drop constraint outbox_status_check;
alter table outbox add constraint outbox_status_check
  check (status in ('pending', 'sending', 'sent', 'failed', 'withheld'));
