/**
 * Email over SMTP with nodemailer: a multipart/alternative message (text and RTL-aware HTML,
 * both rendered at enqueue). The Message-ID is derived from the outbox id, so a retry after
 * a lost answer carries the same Message-ID and mail systems that de-duplicate on it show
 * one message. SMTP's own rule decides retries: a 5xx reply is permanent, a 4xx reply, a
 * broken connection or refused credentials are worth another try.
 *
 * A server that stops answering must not hold a claimed message past its lease (dispatcher.ts):
 * nodemailer waits 2 minutes for a connection and 10 for a silent socket by default, so each
 * wait (connecting, the greeting, every reply) is held to the channel's deadline. It bounds
 * each silence, not the whole conversation; the deadline is half the lease, which leaves the
 * other half for a conversation whose replies come.
 */
import type { Transporter } from 'nodemailer';
import { clip } from '../../domain/text.ts';
import { ChannelError, type Channel } from './channel.ts';
import { DEFAULT_TIMEOUT_MS } from './http.ts';

export type SmtpOptions = {
  /** smtp://user:pass@host:587 or smtps://…:465 */
  url: string;
  /** "Kelid <no-reply@example.org>" */
  from: string;
  /** The longest wait for the server at any step (default 15 s; channels/http.ts providerDeadlineMs). */
  timeoutMs?: number;
};

function domainOf(from: string): string {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'kelid.invalid';
}

function asChannelError(error: unknown): ChannelError {
  const details = error as { responseCode?: unknown; code?: unknown; message?: unknown };
  const reply = typeof details.responseCode === 'number' ? details.responseCode : undefined;
  const text = `smtp ${reply ?? (typeof details.code === 'string' ? details.code : 'error')}: ${String(details.message ?? error)}`;
  // Refused credentials are our configuration, not the message: worth trying again once an operator fixes them.
  const retryable = reply === undefined || reply < 500 || details.code === 'EAUTH';
  return new ChannelError(clip(text, 500), retryable, { cause: error });
}

export function smtpChannel(options: SmtpOptions): Channel {
  // nodemailer (~25 MB in the process) is loaded at the first email, not at start.
  let transport: Promise<Transporter> | undefined;
  const wait = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const transportOf = () => (transport ??= import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport({
    url: options.url, dnsTimeout: wait, connectionTimeout: wait, greetingTimeout: wait, socketTimeout: wait,
  })));
  const domain = domainOf(options.from);
  return {
    name: 'smtp',
    async send(message) {
      if (message.subject === null || message.html === null) throw new ChannelError(`smtp: ${message.template} is not an email`, false);
      try {
        const info = await (await transportOf()).sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId: `<${message.id}@${domain}>`,
          // RFC 3834: an automatic message; auto-responders should not answer it.
          headers: { 'Auto-Submitted': 'auto-generated', 'Content-Language': message.locale },
        });
        return { providerMessageId: info.messageId };
      } catch (error) {
        throw asChannelError(error);
      }
    },
    async close() {
      await transport?.then((t) => t.close(), () => undefined);
    },
  };
}
