/**
 * The one interface every delivery channel meets. send() resolves once the provider has
 * accepted the message, or throws a ChannelError that says whether trying again later can
 * help (a timeout, a 5xx, a 429) or not (a malformed number, a refused key).
 */
import type { Locale } from '../../config.ts';
import type { MessageChannel, TemplateName } from '../templates.ts';

export type OutgoingMessage = {
  /** The outbox id: stable across retries, so it doubles as an idempotency key. */
  id: string;
  channel: MessageChannel;
  to: string;
  template: TemplateName;
  locale: Locale;
  params: Record<string, string>;
  text: string;
  subject: string | null;
  html: string | null;
  /** 1 for the first try. */
  attempt: number;
};

export type SendResult = { providerMessageId?: string };

export type Channel = {
  /** `dev`, `smtp`, `kavenegar`, `twilio`, `webhook`. */
  readonly name: string;
  send(message: OutgoingMessage): Promise<SendResult>;
  close?(): Promise<void>;
};

export type Channels = Record<MessageChannel, Channel>;

export class ChannelError extends Error {
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ChannelError';
    this.retryable = retryable;
  }
}

/** HTTP answers worth trying again: timeouts, rate limits, server errors. */
export const retryableStatus = (status: number) => status === 408 || status === 425 || status === 429 || status >= 500;
