/**
 * The dev channel sends nothing: the message already sits in the outbox table, and the dev
 * outbox (/dev/outbox, /dev/outbox.json) shows it from there. Marking it sent keeps the
 * dispatcher's path the same as in production.
 */
import type { Channel } from './channel.ts';

export function devChannel(): Channel {
  return {
    name: 'dev',
    async send(message) {
      return { providerMessageId: `dev:${message.id}` };
    },
  };
}
