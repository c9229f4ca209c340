/**
 * The configured channels: SMS and voice share one provider (KELID_SMS), email has its own
 * (KELID_EMAIL). A deployment without demo data must name both: a missing one stops start-up
 * with a ConfigError naming the variable, rather than codes that silently go nowhere.
 */
import { ConfigError, type NotifyConfig } from '../../config.ts';
import type { Clock } from '../../identity/clock.ts';
import type { MessageChannel } from '../templates.ts';
import type { Channel, Channels } from './channel.ts';
import { devChannel } from './dev.ts';
import { providerDeadlineMs } from './http.ts';
import { kavenegarChannel } from './kavenegar.ts';
import { smtpChannel } from './smtp.ts';
import { twilioChannel } from './twilio.ts';
import { webhookChannel } from './webhook.ts';

function smsChannel(config: NotifyConfig, clock: Clock, timeoutMs: number): Channel {
  const { kavenegar, twilio, webhook } = config;
  switch (config.sms) {
    case 'dev': return devChannel();
    case 'kavenegar': if (kavenegar) return kavenegarChannel({ ...kavenegar, timeoutMs }); break;
    case 'twilio': if (twilio) return twilioChannel({ ...twilio, timeoutMs }); break;
    case 'webhook': if (webhook) return webhookChannel({ ...webhook, clock, timeoutMs }); break;
    case undefined: break;
  }
  throw new ConfigError('KELID_SMS', 'must be set to dev, kavenegar, twilio or webhook when KELID_DEMO=0');
}

function emailChannel(config: NotifyConfig, timeoutMs: number): Channel {
  if (config.email === 'dev') return devChannel();
  if (config.email === 'smtp' && config.smtp) return smtpChannel({ ...config.smtp, timeoutMs });
  throw new ConfigError('KELID_EMAIL', 'must be set to dev or smtp when KELID_DEMO=0');
}

/** Each provider call ends within the deadline the outbox's lease allows (http.ts providerDeadlineMs). */
export function channelsFromConfig(config: NotifyConfig, clock: Clock): Channels {
  const timeoutMs = providerDeadlineMs(config.leaseMs);
  const sms = smsChannel(config, clock, timeoutMs);
  return { sms, voice: sms, email: emailChannel(config, timeoutMs) };
}

/** The message channels that go to the dev channel: these, and only these, the dev outbox shows. */
export function devOutboxChannels(config: NotifyConfig): MessageChannel[] {
  return [
    ...(config.sms === 'dev' ? ['sms', 'voice'] as const : []),
    ...(config.email === 'dev' ? ['email'] as const : []),
  ];
}

export async function closeChannels(channels: Channels): Promise<void> {
  for (const channel of new Set(Object.values(channels))) await channel.close?.();
}
