/**
 * How the dispatchers hear of a new message. On PostgreSQL, from the database: inserting a
 * message to send NOTIFYs `kelid_outbox` in the inserting transaction (migration 0016), heard
 * after its commit by every process on the database, whichever process, machine or CLI command
 * wrote it; SKIP LOCKED then gives each message to one of them (store.ts). The in-process wake
 * (outbox.ts) is then redundant and is passed on only while the channel is not heard (its
 * connection lost; the dispatcher's poll covers that gap too). On PGlite, one process, the
 * in-process wake is all there is: no listener is given.
 */
import type { Listen } from '../db/database.ts';
import type { Dispatcher } from './dispatcher.ts';
import type { Wake } from './outbox.ts';

export const OUTBOX_CHANNEL = 'kelid_outbox';

/**
 * Answers the Wake for outboxNotifier, and `stop` for shutdown (before the dispatcher's own).
 * `say` hears when the channel cannot be heard (at start, or lost) and when it is heard again:
 * a wrong KELID_DATABASE_LISTEN_URL otherwise went unnoticed, the process serving on polls.
 */
export async function outboxWakeUp(dispatcher: Dispatcher, listen: Listen | undefined, say: ListenReport = () => {}): Promise<{ wake: Wake; stop(): Promise<void> }> {
  if (!listen) return { wake: dispatcher, stop: async () => {} };
  let heard = false;
  let troubled = false;
  const stop = await listen(OUTBOX_CHANNEL, {
    message: () => dispatcher.notifyCommitted(),
    // Back after a lost connection: messages may have come meanwhile.
    listening: (on) => {
      if (!on && heard) say('lost');
      if (on && troubled) say('heard');
      troubled = !on && (troubled || heard);
      heard = on;
      if (on) dispatcher.notifyCommitted();
    },
  });
  if (!heard) {
    say('not heard');
    troubled = true;
  }
  return { wake: { notify: () => { if (!heard) dispatcher.notify(); } }, stop };
}

/** What outboxWakeUp reports of its LISTEN connection: lost or never made (retried every second), or heard again. */
export type ListenReport = (state: 'not heard' | 'lost' | 'heard') => void;
