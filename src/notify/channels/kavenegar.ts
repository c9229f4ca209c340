/**
 * Kavenegar (Iran). Codes go through verify/lookup, which renders a template registered in
 * the Kavenegar panel with our code as `token`, and places a voice call that reads it with
 * `type=call`: the code stays ours (our HMAC, our expiry), Kavenegar only carries it. Other
 * texts go through sms/send with `localid`, Kavenegar's id for the message on our side, which
 * it uses to refuse a second send of the same message (our outbox id, folded to a number).
 *
 * Requests are form-encoded POSTs; the API key is part of the path, so it never appears in
 * an error we record. Kavenegar answers `{return: {status, message}, entries: [{messageid}]}`
 * with the HTTP status equal to return.status.
 */
import { clip } from '../../domain/text.ts';
import { ChannelError, retryableStatus, type Channel, type OutgoingMessage } from './channel.ts';
import { form, pick, post } from './http.ts';

export type KavenegarOptions = {
  apiKey: string;
  /** https://api.kavenegar.com; tests point it at a local server. */
  baseUrl: string;
  /** The verify/lookup template name in the Kavenegar panel (it must contain %token). */
  verifyTemplate: string;
  /** Sender line for sms/send; unset = the account's default line. */
  sender?: string | undefined;
  timeoutMs?: number;
};

/** Kavenegar wants national or 00-prefixed numbers: +989121234567 → 09121234567, +972… → 00972…. */
export function kavenegarReceptor(e164: string): string {
  if (e164.startsWith('+98')) return `0${e164.slice(3)}`;
  return e164.startsWith('+') ? `00${e164.slice(1)}` : e164;
}

/** A uuid folded into 52 bits: a safe integer, unique enough to tell retries of one message from other messages. */
export function kavenegarLocalId(id: string): string {
  return String(Number.parseInt(id.replace(/-/g, '').slice(0, 13), 16));
}

// 409: "the server cannot answer now"; 418: not enough credit (an operator can top it up).
const KAVENEGAR_RETRYABLE = new Set([409, 418]);

function request(options: KavenegarOptions, message: OutgoingMessage): { method: string; fields: Record<string, string | undefined> } {
  const receptor = kavenegarReceptor(message.to);
  const code = message.params.code;
  if (message.template.startsWith('verification.') && code !== undefined) {
    const type = message.channel === 'voice' ? 'call' : 'sms';
    return { method: 'verify/lookup.json', fields: { receptor, template: options.verifyTemplate, token: code, type } };
  }
  if (message.channel === 'voice') throw new ChannelError(`kavenegar: voice calls carry codes only (${message.template})`, false);
  return { method: 'sms/send.json', fields: { receptor, message: message.text, sender: options.sender, localid: kavenegarLocalId(message.id) } };
}

export function kavenegarChannel(options: KavenegarOptions): Channel {
  const base = options.baseUrl.replace(/\/+$/, '');
  return {
    name: 'kavenegar',
    async send(message) {
      const { method, fields } = request(options, message);
      const url = `${base}/v1/${encodeURIComponent(options.apiKey)}/${method}`;
      const answer = await post(url, { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, form(fields), options.timeoutMs);
      const status = Number(pick(answer.json, 'return', 'status') ?? answer.status);
      if (answer.status !== 200 || status !== 200) {
        const reason = pick(answer.json, 'return', 'message') ?? clip(answer.body, 200);
        throw new ChannelError(`kavenegar ${method} ${status}: ${reason}`, retryableStatus(status) || KAVENEGAR_RETRYABLE.has(status));
      }
      const id = pick(answer.json, 'entries', 0, 'messageid');
      return id === undefined ? {} : { providerMessageId: id };
    },
  };
}
