/**
 * Twilio (international). We use the Programmable Messaging and Voice APIs, not Verify:
 * Verify generates and checks its own code, which would split the code's life between two
 * systems and bypass ours (HMAC at rest, one expiry, tries limited atomically, the same code
 * model for SMS, voice and email). With Messages and Calls, Twilio only carries our text.
 *
 *   SMS:   POST /2010-04-01/Accounts/{sid}/Messages.json  To, Body, From | MessagingServiceSid
 *   voice: POST /2010-04-01/Accounts/{sid}/Calls.json     To, From, Twiml=<Response><Say>…
 *
 * HTTP Basic with the account SID and auth token. Twilio's message-creating APIs take no
 * idempotency key, so a retry after a lost answer can send twice (see dispatcher.ts).
 */
import type { Locale } from '../../config.ts';
import { clip } from '../../domain/text.ts';
import { escapeHtml } from '../../views/html.ts';
import { ChannelError, retryableStatus, type Channel, type OutgoingMessage } from './channel.ts';
import { form, pick, post } from './http.ts';

export type TwilioOptions = {
  accountSid: string;
  authToken: string;
  /** A Twilio number (required for calls) … */
  from?: string | undefined;
  /** … or, for SMS, a messaging service. */
  messagingServiceSid?: string | undefined;
  /** https://api.twilio.com; tests point it at a local server. */
  baseUrl: string;
  timeoutMs?: number;
};

const sayLanguage: Record<Locale, string> = { fa: 'fa-IR', he: 'he-IL', ar: 'ar-XA', en: 'en-US' };

/** TwiML that reads the text twice with a pause; XML-escaped (escapeHtml covers XML's five characters). */
export function twiml(text: string, locale: Locale): string {
  const say = `<Say language="${sayLanguage[locale]}">${escapeHtml(text)}</Say>`;
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${say}<Pause length="1"/>${say}</Response>`;
}

function request(options: TwilioOptions, message: OutgoingMessage): { resource: string; fields: Record<string, string | undefined> } {
  if (message.channel === 'voice') {
    if (options.from === undefined) throw new ChannelError('twilio: calls need KELID_TWILIO_FROM', false);
    return { resource: 'Calls.json', fields: { To: message.to, From: options.from, Twiml: twiml(message.text, message.locale) } };
  }
  const sender = options.messagingServiceSid !== undefined ? { MessagingServiceSid: options.messagingServiceSid } : { From: options.from };
  return { resource: 'Messages.json', fields: { To: message.to, Body: message.text, ...sender } };
}

export function twilioChannel(options: TwilioOptions): Channel {
  const base = options.baseUrl.replace(/\/+$/, '');
  const authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  return {
    name: 'twilio',
    async send(message) {
      const { resource, fields } = request(options, message);
      const url = `${base}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/${resource}`;
      const answer = await post(url, {
        authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json',
      }, form(fields), options.timeoutMs);
      if (answer.status < 200 || answer.status >= 300) {
        const reason = `${pick(answer.json, 'code') ?? ''} ${pick(answer.json, 'message') ?? clip(answer.body, 200)}`.trim();
        throw new ChannelError(`twilio ${resource} ${answer.status}: ${reason}`, retryableStatus(answer.status));
      }
      const sid = pick(answer.json, 'sid');
      return sid === undefined ? {} : { providerMessageId: sid };
    },
  };
}
