/**
 * A generic HTTP webhook for any SMS/voice gateway: a JSON POST of the whole message to a
 * configured URL, signed so the receiver can tell it came from us and is fresh:
 *
 *   X-Kelid-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
 *   Idempotency-Key: <outbox id>   (the same on every retry: a receiver can drop duplicates)
 *
 * A 2xx answer is success (a JSON `id` in it is kept as the provider's id); 408, 429 and 5xx
 * are retried, other statuses fail the message.
 */
import type { Clock } from '../../identity/clock.ts';
import { clip } from '../../domain/text.ts';
import { hmacSha256 } from '../../secrets.ts';
import { ChannelError, retryableStatus, type Channel } from './channel.ts';
import { pick, post } from './http.ts';

export type WebhookOptions = { url: string; secret: string; clock: Clock; timeoutMs?: number };

export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${hmacSha256(Buffer.from(secret, 'utf8'), `${timestamp}.${body}`).toString('hex')}`;
}

export function webhookChannel(options: WebhookOptions): Channel {
  return {
    name: 'webhook',
    async send(message) {
      const body = JSON.stringify({
        id: message.id, channel: message.channel, to: message.to, template: message.template, locale: message.locale,
        params: message.params, text: message.text, attempt: message.attempt,
      });
      const timestamp = Math.floor(options.clock.now().getTime() / 1000);
      const answer = await post(options.url, {
        'content-type': 'application/json',
        'x-kelid-signature': webhookSignature(options.secret, timestamp, body),
        'idempotency-key': message.id,
      }, body, options.timeoutMs);
      if (answer.status < 200 || answer.status >= 300) {
        throw new ChannelError(`webhook ${answer.status}: ${clip(answer.body, 200)}`, retryableStatus(answer.status));
      }
      const id = pick(answer.json, 'id');
      return id === undefined ? {} : { providerMessageId: id };
    },
  };
}
