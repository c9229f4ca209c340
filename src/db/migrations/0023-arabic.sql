-- Arabic (issue 14 §4): messages may be written in ar. The outbox's check named the three
-- languages there were; the other stored locales (accounts, support requests) never had one.
alter table outbox drop constraint outbox_locale_check;
alter table outbox add constraint outbox_locale_check check (locale in ('fa', 'he', 'ar', 'en'));
