// A local HTTP server standing in for an SMS provider: it records every request and answers
// with what the test's responder decides (the responder checks the documented request shape),
// at once or when the responder's promise settles (a slow provider, or one that never answers).
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Recorded = { method: string; path: string; headers: IncomingHttpHeaders; body: string; form: URLSearchParams };
export type Answer = { status: number; json?: unknown };
export type ProviderServer = { url: string; requests: Recorded[]; close(): Promise<void> };

export async function startProviderServer(respond: (request: Recorded) => Answer | Promise<Answer>): Promise<ProviderServer> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const recorded: Recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, form: new URLSearchParams(body) };
      requests.push(recorded);
      void Promise.resolve(respond(recorded)).then((answer) => {
        // The sender may be gone by now (a killed process): its answer goes nowhere.
        if (res.destroyed) return;
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.json === undefined ? '' : JSON.stringify(answer.json));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
