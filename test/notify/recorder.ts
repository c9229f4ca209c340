// A channel that records what it is given, for dispatcher tests; and a silent log.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Channel, Channels, OutgoingMessage } from '../../src/notify/channels/channel.ts';
import type { DispatcherLog } from '../../src/notify/dispatcher.ts';

export function recorder(name = 'test', delayMs = 0): { sent: OutgoingMessage[]; channels: Channels } {
  const sent: OutgoingMessage[] = [];
  const channel: Channel = {
    name,
    async send(message) {
      if (delayMs > 0) await sleep(delayMs);
      sent.push(message);
      return { providerMessageId: `provider-${message.id}` };
    },
  };
  return { sent, channels: { sms: channel, voice: channel, email: channel } };
}

export const silentLog: DispatcherLog = { info() {}, warn() {}, error() {} };

export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(5);
  }
}
