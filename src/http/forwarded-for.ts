/**
 * X-Forwarded-For made of bare addresses before anything reads it (domain/client-address.ts,
 * bareForwardedFor), on the server's raw requests, ahead of Fastify's own listener: every
 * reader of `request.ip` (the limits, the audit, the provider's seam) then sees an address or
 * the proxy itself. Only with KELID_TRUST_PROXY set: otherwise nothing reads the header.
 * `warn` hears the first request whose nearest entry was something else (once a process): a
 * trusted proxy that writes such entries makes every client behind it one client.
 */
import type { IncomingMessage, Server } from 'node:http';
import { bareForwardedFor } from '../domain/client-address.ts';

export function keepForwardedForBare(server: Server, warn: (message: string) => void): void {
  let warned = false;
  server.prependListener('request', (request: IncomingMessage) => {
    const header = request.headers['x-forwarded-for'];
    if (header === undefined) return;
    // Node joins repeated X-Forwarded-For headers into one string; the type allows a list.
    const { value, dropped } = bareForwardedFor([header].flat().join(', '));
    if (value === undefined) delete request.headers['x-forwarded-for'];
    else request.headers['x-forwarded-for'] = value;
    // Only the nearest entry is surely a trusted proxy's (farther ones may be a client's own text).
    if (dropped && value === undefined && !warned) {
      warned = true;
      warn('The nearest proxy wrote an X-Forwarded-For entry that is not an IP address (with or without a port): the header was dropped. '
        + 'While the proxies KELID_TRUST_PROXY trusts write such entries, the clients behind them count as the proxy.');
    }
  });
}
