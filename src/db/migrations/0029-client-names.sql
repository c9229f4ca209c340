-- An app's name in the languages Kelid speaks besides its own name's, by locale
-- (`{"en": "Payslips", "he": "תלושי שכר"}`): a person reading Kelid in one of them is told
-- which app they are signing in to in that language (federation/interactions.ts).
alter table oidc_clients add column names jsonb not null default '{}'::jsonb;
