-- Issue 12: each audit event carries the id of the request that caused it, the id in that
-- request's log lines (pino's reqId) and in its X-Request-Id header, so an event leads to the
-- logs around it and a log line to what it changed. Null for background work (the outbox
-- dispatcher, housekeeping) and for events written before this column.
alter table audit_events add column request_id uuid;
