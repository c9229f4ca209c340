-- The profile a self-registered person completes after the pre-registration (F14).
alter table people add column father_name text;
alter table people add column address text;
alter table people add column postal_code text;
