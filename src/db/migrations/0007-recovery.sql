-- Password recovery (F18) sends a one-time code to the account's registered mobile.
alter table verification_codes drop constraint verification_codes_purpose_check;
alter table verification_codes add constraint verification_codes_purpose_check
  check (purpose in ('mobile', 'email', 'recovery'));
