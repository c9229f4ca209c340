/**
 * What an open database is to the rest of Kelid, whichever engine is under it (database.ts
 * opens one): the Kysely instance and the few things Kysely has no words for.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;
/** A raw session for multi-statement scripts (migrations): Kysely's drivers send one statement at a time. */
export type ScriptSession = {
  script(text: string): Promise<void>;
  rows<T>(text: string): Promise<T[]>;
};
/**
 * What a listener hears on a channel (PostgreSQL's LISTEN/NOTIFY): each message, and whether
 * it is listening. `listening(false)` comes whenever messages may be missed (the connection
 * was lost: on PostgreSQL a dedicated connection, reopened every second until it is back);
 * `listening(true)` once messages are heard again. A NOTIFY sent in a transaction arrives
 * after its commit, and never if it rolls back.
 */
export type Listener = { message(payload: string): void; listening(heard: boolean): void };
export type Listen = (channel: string, listener: Listener) => Promise<() => Promise<void>>;
/**
 * Takes the lock `name` for work only one process at a time may do (housekeeping, a batch),
 * without waiting: answers its release, or `undefined` when another holder has it. On
 * PostgreSQL it is a session advisory lock (the key: a 64-bit hash of `name`) on a connection of
 * its own, so it is freed when the holder releases it or dies (its connection closes); on PGlite
 * (one process) a name held in this process. A lock is a courtesy that saves doing work twice,
 * not a guarantee: a holder whose connection is cut loses it while it still works, so the work
 * under it must itself be safe twice at once (each step claims its rows).
 */
export type TryLock = (name: string) => Promise<(() => Promise<void>) | undefined>;
/** pg's pool: connections open (`total`, at most `max`), open and unused (`idle`), and queries waiting for one (`waiting`). */
export type PoolUse = { total: number; idle: number; waiting: number; max: number };
export type DatabaseHandle = {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Listens on a channel until the answered function is called or the database is closed. */
  listen: Listen;
  tryLock: TryLock;
  withScriptSession<T>(work: (session: ScriptSession) => Promise<T>): Promise<T>;
  /** PGlite only: the whole data folder as a tarball (backups; test templates). */
  dump?: () => Promise<Blob>;
  /** PostgreSQL only: the pool's connections as they stand (the operators' metrics). */
  poolUse?: () => PoolUse;
  close(): Promise<void>;
};
