/**
 * Closing a server without waiting on connections that would hold it open for a minute.
 * `server.close()` (Fastify's close, `forceCloseConnections: 'idle'`) stops listening, closes the
 * keep-alive connections idle at that moment, and waits for the rest. Two kinds then linger:
 * - a connection a browser opened ahead of need (preconnect) and has not used: Node counts it
 *   neither idle nor busy (it awaits a request's headers) and keeps it until `headersTimeout`
 *   (60 s);
 * - a keep-alive connection whose request was in flight: answered, it goes idle after the
 *   one-time closing of idle connections, and stays until `keepAliveTimeout` (72 s in Fastify).
 * So a graceful stop took a minute, or was cut short by the orchestrator, whenever a browser
 * had a page open.
 *
 * Answers the function to call when the server starts closing (Fastify's `preClose`): it
 * destroys every connection that has sent nothing yet (and any that arrives from then on; one
 * whose request's first bytes have come is left to finish and be answered, as below),
 * and has each request in flight answered with `Connection: close`, its connection closed once
 * the answer is out. A request begun is still answered in full, if it arrives and is answered
 * within `graceMs` (CLOSE_GRACE_MS): then every connection left is cut. Once a server closes,
 * Node no longer enforces its header and request timeouts, so a request trickled in byte by byte
 * (an attacker's, or a line gone dead mid-upload) held the stop open forever: a single process
 * never exited, a cluster's workers were killed at its deadline (an attacker review, 2026-12-04).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * How long requests in flight may take to finish once a stop began (ms): within Kubernetes'
 * 30 s grace after its 5 s preStop sleep, with room for the outbox's sends (15 s each) after it.
 */
export const CLOSE_GRACE_MS = 10_000;

/**
 * How long a whole stop may take before the process is ended anyway (ms): a cluster's primary
 * kills its workers then (cluster/primary.ts), a single process exits 1 (main.ts). Longer than
 * CLOSE_GRACE_MS and the outbox's last send; shorter than an orchestrator's grace (Kubernetes: 30 s).
 */
export const SHUTDOWN_TIMEOUT_MS = 25_000;

export function lingeringConnectionsCloser(server: Server, graceMs = CLOSE_GRACE_MS): () => void {
  const unused = new Set<Socket>();
  const answering = new Set<ServerResponse>();
  let closing = false;
  server.on('connection', (socket: Socket) => {
    if (closing) {
      socket.destroy();
      return;
    }
    unused.add(socket);
    socket.once('close', () => unused.delete(socket));
  });
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    unused.delete(request.socket);
    answering.add(response);
    response.once('close', () => answering.delete(response));
    if (closing) closeAfter(response);
  });
  const closeAfter = (response: ServerResponse) => {
    if (!response.headersSent) response.setHeader('connection', 'close');
    // Answered with its headers already out: idle once the answer is written, then closed.
    response.once('finish', () => setImmediate(() => server.closeIdleConnections()));
  };
  return () => {
    closing = true;
    for (const socket of unused) if (socket.bytesRead === 0) socket.destroy();
    for (const response of answering) closeAfter(response);
    setTimeout(() => {
      for (const socket of unused) socket.destroy();
      server.closeAllConnections();
    }, graceMs).unref();
  };
}
