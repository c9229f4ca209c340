-- A set-password link is for the password as it stood when the link was sent (found by an
-- attacker review, 2026-12-03: a link still worked after its owner changed the password, so
-- whoever held an old email could set a new one). Each invitation keeps the moment its
-- account's password was last set then (credentials.changed_at; null: none yet), and works only
-- while that is still so: a change, a recovery, an administrator's reset or another link ends it.
alter table invitations add column password_set_at timestamptz;
-- Links already out stay good for the password as it is now.
update invitations i set password_set_at = c.changed_at from credentials c where c.account_id = i.account_id;
