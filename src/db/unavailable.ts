/**
 * Whether an error says the database cannot serve right now (a failover, a restart, a pooler
 * waiting for a server) rather than that the statement or the code is wrong. Such a request
 * is answered 503 with Retry-After (http/plugins/error-pages.ts), and the next one is served
 * once a primary is back: pg's pool drops a connection that died and opens a new one.
 */

/** What a client is told to wait (Retry-After) while the database is unavailable: a failover takes seconds. */
export const UNAVAILABLE_RETRY_SECONDS = 5;

/**
 * SQLSTATEs of a database that is going away, coming back or not the primary:
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
const unavailableStates = new Set([
  '57P01', // admin_shutdown: terminated by a fast shutdown (Patroni's switchover) or pg_terminate_backend
  '57P02', // crash_shutdown: another backend crashed, or the postmaster died
  '57P03', // cannot_connect_now: starting up, shutting down, in recovery
  '53300', // too_many_connections
  // read_only_sql_transaction: a write that reached a standby, i.e. the former primary during the
  // second or two before the load balancer's health check sees it demoted.
  '25006',
]);

/** Node's socket errors when the server (or the pooler, or the proxy) is not there. */
const socketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/**
 * pg's own errors, which carry no code: a connection lost mid-query, a connection attempt past
 * its `connectionTimeoutMillis`, a client that had already lost its connection.
 */
const pgMessages = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable)/;

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    // Class 08, connection exception; PgBouncer answers its own failures (query_wait_timeout,
    // "server conn crashed?", "server login has been failing") as 08P01.
    if (/^08[0-9A-Z]{3}$/.test(code) || unavailableStates.has(code) || socketCodes.has(code)) return true;
  }
  if (pgMessages.test(error.message)) return true;
  // A connection attempt to every address of a name fails as one AggregateError.
  if (error instanceof AggregateError && error.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(error.cause, depth + 1);
}
