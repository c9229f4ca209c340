-- Spent captcha solutions (ALTCHA). A solved challenge is good once: its signature is
-- recorded here when it is accepted and kept until the challenge expires, after which the
-- signature check refuses it anyway and the row can go.
create table captcha_spent (
  signature text primary key,
  expires_at timestamptz not null
);
create index captcha_spent_expires on captcha_spent (expires_at);
