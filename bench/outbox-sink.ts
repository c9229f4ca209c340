// The outbox drained to a local HTTP sink through the webhook channel, as the registration and
// one-time-code benchmarks measure it: one dispatcher, batches of 50, until nothing is due.
import http from 'node:http';
import type { Db } from '../src/db/database.ts';
import { systemClock } from '../src/identity/clock.ts';
import { webhookChannel } from '../src/notify/channels/webhook.ts';
import { startDispatcher } from '../src/notify/dispatcher.ts';

/** A local HTTP server that answers every POST `{}`; its URL, and a way to stop it. */
export async function startSink(): Promise<{ url: string; close(): void }> {
  const sink = http.createServer((request, response) => { request.resume(); request.on('end', () => response.end('{}')); });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(sink.address() as { port: number }).port}/`, close: () => sink.close() };
}

/** Sends every due message to `sinkUrl`; answers how many went, and in how many seconds. */
export async function drainOutbox(db: Db, sinkUrl: string): Promise<{ sent: number; seconds: number }> {
  const channel = webhookChannel({ url: sinkUrl, secret: 's'.repeat(40), clock: systemClock });
  const dispatcher = startDispatcher({ db, channels: { sms: channel, voice: channel, email: channel }, clock: systemClock, log: { info() {}, warn() {}, error() {} }, pollMs: 0, batchSize: 50 });
  const started = performance.now();
  let sent = 0;
  for (let n = await dispatcher.runOnce(); n > 0; n = await dispatcher.runOnce()) sent += n;
  const seconds = (performance.now() - started) / 1000;
  await dispatcher.stop();
  return { sent, seconds };
}
