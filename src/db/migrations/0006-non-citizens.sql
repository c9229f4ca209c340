-- Non-citizens (F15) register with a passport instead of a national ID: a person is known by
-- one or the other, and a passport is unique per issuing country.
alter table people alter column national_id drop not null;
alter table people add column passport_number text;
alter table people add column passport_country text;
alter table people add constraint people_identity
  check (national_id is not null or (passport_number is not null and passport_country is not null));
create unique index people_passport on people (passport_country, passport_number) where passport_number is not null;
