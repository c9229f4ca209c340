-- The admin user table (F24) sorts a province's million memberships and shows 50: these
-- indexes let PostgreSQL walk the rows in the order asked (the membership id breaks ties,
-- as the query's ORDER BY does) and stop at the page.
create index people_last_name on people (last_name, first_name);
create index people_first_name on people (first_name);
create index memberships_starts_on on memberships (starts_on, id);
create index memberships_ends_on on memberships (ends_on, id);
create index memberships_role_id on memberships (role, id);
create index organizations_name on organizations (name);
-- A school's table joins each appointment to its account and person before sorting: these
-- let those lookups read the index alone (no table page per row).
create index accounts_id_person on accounts (id) include (person_id);
create index people_id_names on people (id) include (last_name, first_name, national_id);
