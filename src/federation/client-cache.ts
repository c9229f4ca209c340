/**
 * The ministry's apps as the provider reads them, kept in the process: every token request
 * reads its client, and a statement per request was half of a client-credentials grant's cost
 * (issue 10's benchmark). A change must still show at once everywhere (a rotated secret or a
 * removed app stops working at once, DESIGN.md), so clients.ts announces every change on the
 * `kelid_clients` channel (NOTIFY, in the change's transaction: heard after its commit, by
 * every process on the database) and in this process directly; a cache forgets the app then.
 *
 * Nothing is kept while the channel is not heard (no listener given, or its connection lost
 * and not yet back), and a row read while a change was announced is not kept (it may predate
 * the change). Unknown ids are never kept: registering an app needs no announcement to work.
 */
import type { Db, Listen } from '../db/database.ts';
import { CLIENT_CHANNEL, onLocalClientChange, providerClient, type ProviderClient } from './clients.ts';

/** A backstop for a connection that died without a word: no row is trusted longer than this. */
const MAX_AGE_MS = 60_000;
/** The ministry has tens of apps; should ids flood in, the cache starts over rather than grow. */
const MAX_ENTRIES = 10_000;

export type ClientCache = {
  find(clientId: string): Promise<ProviderClient | undefined>;
  stop(): Promise<void>;
};

export async function clientCache(db: Db, listen: Listen | undefined, now: () => number = Date.now): Promise<ClientCache> {
  const kept = new Map<string, { client: ProviderClient; at: number }>();
  // Bumped by every change heard: a read that began before it may hold the old row.
  let changes = 0;
  let heard = false;
  const forget = (clientId?: string) => {
    changes++;
    if (clientId === undefined) kept.clear();
    else kept.delete(clientId);
  };
  const stopLocal = onLocalClientChange(forget);
  const stopListening = listen
    ? await listen(CLIENT_CHANNEL, {
      message: (clientId) => forget(clientId),
      listening: (on) => { heard = on; forget(); },
    })
    : undefined;
  return {
    async find(clientId) {
      const hit = heard ? kept.get(clientId) : undefined;
      if (hit && now() - hit.at < MAX_AGE_MS) return hit.client;
      const before = changes;
      const client = await providerClient(db, clientId);
      if (client && heard && before === changes) {
        if (kept.size >= MAX_ENTRIES) kept.clear();
        kept.set(clientId, { client, at: now() });
      }
      return client;
    },
    async stop() {
      stopLocal();
      await stopListening?.();
    },
  };
}
