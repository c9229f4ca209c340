-- A signed-out person's support requests by their contact (support/store.ts sameRequestSince):
-- a second submit of the same form finds the first by contact and time, not by reading every
-- signed-out request there is.
create index support_requests_anonymous on support_requests (contact, created_at desc) where account_id is null;
