/**
 * Keyed statements: the hot paths' statements that PostgreSQL plans once per connection
 * (src/db/postgres.ts runs them on a pool of their own, by name).
 */
import type { Compilable, CompiledQuery } from 'kysely';

/** What starts a keyed statement's text (keyed() adds it; a sql`` template may begin with it). */
export const KEYED = '/* keyed */';

/**
 * Marks a statement as a keyed one: its text never changes, only its parameters; it finds or
 * writes rows by their keys (a primary key, a unique index, a batch of keys as arrays); and it
 * runs on every request of the hot paths (a sign-in, a session's lookup, the provider's
 * adapter). On PostgreSQL such statements run on a pool of their own as named prepared
 * statements, each parsed and planned once per connection: their plans are generic, and may use
 * only index scans and nested loops (openPostgres says why). Answers the text, for the caller to
 * run as usual; a sql`` template marks itself by beginning with KEYED.
 */
export function keyed(text: string): string {
  return text.startsWith(KEYED) ? text : `${KEYED} ${text}`;
}
const keyedNames = new Map<string, string>();
/** At most this many keyed texts get a name (a few dozen exist): a text built in a loop by mistake must not grow every connection's statements. */
const MAX_KEYED_NAMES = 500;
/** The statement name of a keyed text (`kelid_<n>`), or undefined once MAX_KEYED_NAMES are named. */
export function keyedName(text: string): string | undefined {
  let name = keyedNames.get(text);
  if (name === undefined && keyedNames.size < MAX_KEYED_NAMES) keyedNames.set(text, name = `kelid_${keyedNames.size + 1}`);
  return name;
}

/**
 * A query built with Kysely, as a keyed statement (the same rules as keyed()'s): its compiled
 * text marked, its parameters as they are, for `db.executeQuery`. Answers the rows' type of the query.
 */
export function keyedQuery<Row>(query: Compilable<Row>): CompiledQuery<Row> {
  const compiled = query.compile();
  return { ...compiled, sql: keyed(compiled.sql) };
}
