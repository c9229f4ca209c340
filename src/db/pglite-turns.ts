/**
 * PGlite runs each statement on the JavaScript thread, and its promises settle without the
 * event loop turning: a loop of statements (renewing a school's 4,000 appointments, a batch)
 * kept every other request, health checks included, waiting until it ended (measured: a 5 ms
 * timer did not fire during 3,000 statements, 260 ms; a renewal of 4,127 appointments held
 * sign-in for 5.7 s and load shedding then refused what had piled up).
 *
 * `takingTurns(pglite)` answers the same instance, whose `query` and `transaction` first let
 * the event loop turn once (setImmediate: pending I/O and timers run first), and so do the
 * statements of a transaction (another request's statement still waits for the transaction's
 * end, but its other work, and health checks, do not), so long work interleaves with everyone
 * else's. PostgreSQL needs none of this: its statements run in its own processes.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

const TAKING_TURNS = new Set<PropertyKey>(['query', 'exec', 'transaction']);

/** `pglite`, or a transaction of it, whose statements wait for the event loop to turn once (above). */
export function takingTurns<T extends object>(pglite: T): T {
  return new Proxy(pglite, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      // Its own methods run on the instance itself (PGlite keeps private fields).
      const method = value as (...args: unknown[]) => unknown;
      if (!TAKING_TURNS.has(key)) return method.bind(target);
      return async (...args: unknown[]) => {
        await nextTurn();
        // A transaction's callback gets a transaction that takes turns too.
        if (key === 'transaction' && typeof args[0] === 'function') {
          const work = args[0] as (tx: object) => unknown;
          return method.call(target, (tx: object) => work(takingTurns(tx)));
        }
        return method.apply(target, args);
      };
    },
  });
}
