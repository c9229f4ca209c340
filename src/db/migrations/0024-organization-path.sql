-- An organization's materialized path is its ancestors' ids and its own, '/<uuid>/…/<uuid>/'
-- ('/' alone while a row is being made, its id not yet known). The sign-in, the roles claim and
-- the user table read the district and province by those ids (identity/memberships.ts
-- ancestorName): a path written otherwise by hand would make them fail for its members.
alter table organizations add constraint organizations_path_ids
  check (path ~ '^/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/)*$');
