/**
 * The notification channels' settings (KELID_SMS, KELID_EMAIL and each provider's), and the
 * outbox dispatcher's timing. A provider named without its credentials stops start-up.
 */
import { ConfigError, integer, needed, neededUrl, oneOf, text, url, type Env } from './env.ts';

export type SmsChannelKind = 'dev' | 'kavenegar' | 'twilio' | 'webhook';
export type EmailChannelKind = 'dev' | 'smtp';

export type NotifyConfig = {
  /** `undefined`: not configured; start-up refuses (src/notify/channels/from-config.ts). Default `dev` only with demo data. */
  sms: SmsChannelKind | undefined;
  email: EmailChannelKind | undefined;
  smtp: { url: string; from: string } | undefined;
  kavenegar: { apiKey: string; baseUrl: string; sender: string | undefined; verifyTemplate: string } | undefined;
  twilio: { accountSid: string; authToken: string; from: string | undefined; messagingServiceSid: string | undefined; baseUrl: string } | undefined;
  webhook: { url: string; secret: string } | undefined;
  /** Tries before a message is marked failed (backoff doubles from 10 s, capped at an hour). */
  maxAttempts: number;
  /** How often the dispatcher looks for due messages when nobody wakes it. */
  pollMs: number;
  /**
   * How long a claimed message is its dispatcher's alone (`locked_until`): after a crash, how
   * long until another process sends it. Each call to a provider must end well inside it, so
   * the channels' deadline is half of it, at most 15 s (notify/channels/http.ts providerDeadlineMs).
   */
  leaseMs: number;
};

/** `demo`: demo data is loaded, so the dev channels are the default (a real deployment must name its channels). */
export function notifyConfig(env: Env, demo: boolean): NotifyConfig {
  // dev is a default only for demos: a real deployment must name its channels, or codes would go nowhere.
  const fallback = demo ? 'dev' : undefined;
  const sms = text(env, 'KELID_SMS') === undefined ? fallback : oneOf(env, 'KELID_SMS', ['dev', 'kavenegar', 'twilio', 'webhook'] as const, 'dev');
  const email = text(env, 'KELID_EMAIL') === undefined ? fallback : oneOf(env, 'KELID_EMAIL', ['dev', 'smtp'] as const, 'dev');
  const smtpUrl = email === 'smtp' ? needed(env, 'KELID_SMTP_URL', 'KELID_EMAIL=smtp') : undefined;
  if (smtpUrl !== undefined && !/^smtps?:\/\/[^/\s]+/.test(smtpUrl)) throw new ConfigError('KELID_SMTP_URL', 'must be an smtp:// or smtps:// URL');
  const webhookSecret = sms === 'webhook' ? needed(env, 'KELID_SMS_WEBHOOK_SECRET', 'KELID_SMS=webhook') : undefined;
  if (webhookSecret !== undefined && webhookSecret.length < 32) throw new ConfigError('KELID_SMS_WEBHOOK_SECRET', 'must be at least 32 characters');
  const twilioFrom = text(env, 'KELID_TWILIO_FROM');
  const twilioService = text(env, 'KELID_TWILIO_MESSAGING_SERVICE_SID');
  if (sms === 'twilio' && twilioFrom === undefined && twilioService === undefined) {
    throw new ConfigError('KELID_TWILIO_FROM', 'or KELID_TWILIO_MESSAGING_SERVICE_SID is required with KELID_SMS=twilio');
  }
  return {
    sms,
    email,
    smtp: smtpUrl === undefined ? undefined : { url: smtpUrl, from: needed(env, 'KELID_MAIL_FROM', 'KELID_EMAIL=smtp') },
    kavenegar: sms !== 'kavenegar' ? undefined : {
      apiKey: needed(env, 'KELID_KAVENEGAR_API_KEY', 'KELID_SMS=kavenegar'),
      baseUrl: url(env, 'KELID_KAVENEGAR_URL', 'https://api.kavenegar.com'),
      sender: text(env, 'KELID_KAVENEGAR_SENDER'),
      verifyTemplate: text(env, 'KELID_KAVENEGAR_VERIFY_TEMPLATE') ?? 'kelid-verify',
    },
    twilio: sms !== 'twilio' ? undefined : {
      accountSid: needed(env, 'KELID_TWILIO_ACCOUNT_SID', 'KELID_SMS=twilio'),
      authToken: needed(env, 'KELID_TWILIO_AUTH_TOKEN', 'KELID_SMS=twilio'),
      from: twilioFrom,
      messagingServiceSid: twilioService,
      baseUrl: url(env, 'KELID_TWILIO_URL', 'https://api.twilio.com'),
    },
    webhook: webhookSecret === undefined ? undefined : { url: neededUrl(env, 'KELID_SMS_WEBHOOK_URL', 'KELID_SMS=webhook'), secret: webhookSecret },
    maxAttempts: integer(env, 'KELID_OUTBOX_MAX_ATTEMPTS', 8, 1, 100),
    pollMs: integer(env, 'KELID_OUTBOX_POLL_MS', 1000, 50, 3_600_000),
    leaseMs: integer(env, 'KELID_OUTBOX_LEASE_MS', 60_000, 2000, 3_600_000),
  };
}
