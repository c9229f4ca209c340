// Notification configuration: dev only with demo data; each provider's variables are named when missing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { ChannelError } from '../../src/notify/channels/channel.ts';
import { channelsFromConfig, closeChannels, devOutboxChannels } from '../../src/notify/channels/from-config.ts';
import { providerDeadlineMs } from '../../src/notify/channels/http.ts';
import { outgoing } from './message.ts';
import { startProviderServer } from './provider-server.ts';
import { testClock } from '../helpers/app.ts';

const refuses = (pattern: RegExp) => (error: unknown) => error instanceof ConfigError && pattern.test(error.message);

describe('notification configuration', () => {
  test('with demo data (the default) SMS and email go to the dev outbox', () => {
    const { notify, sendLimits } = loadConfig({});
    assert.equal(notify.sms, 'dev');
    assert.equal(notify.email, 'dev');
    assert.deepEqual(devOutboxChannels(notify), ['sms', 'voice', 'email']);
    assert.deepEqual(sendLimits, { perRecipientPerHour: 5, perAddressPerHour: 100, smsBudgetPerHour: 2000 });
    assert.equal(notify.maxAttempts, 8);
  });

  test('without demo data a missing channel stops start-up, naming the variable', () => {
    const config = loadConfig({ KELID_DEMO: '0' });
    assert.throws(() => channelsFromConfig(config.notify, testClock()), refuses(/KELID_SMS/));
    const smsOnly = loadConfig({ KELID_DEMO: '0', KELID_SMS: 'dev' });
    assert.throws(() => channelsFromConfig(smsOnly.notify, testClock()), refuses(/KELID_EMAIL/));
    assert.deepEqual(devOutboxChannels(config.notify), []);
  });

  const bad: [Record<string, string>, RegExp][] = [
    [{ KELID_SMS: 'pigeon' }, /KELID_SMS must be one of dev, kavenegar, twilio, webhook/],
    [{ KELID_EMAIL: 'fax' }, /KELID_EMAIL must be one of dev, smtp/],
    [{ KELID_SMS: 'kavenegar' }, /KELID_KAVENEGAR_API_KEY is required with KELID_SMS=kavenegar/],
    [{ KELID_SMS: 'twilio', KELID_TWILIO_FROM: '+15005550006' }, /KELID_TWILIO_ACCOUNT_SID is required/],
    [{ KELID_SMS: 'twilio', KELID_TWILIO_ACCOUNT_SID: 'AC1', KELID_TWILIO_AUTH_TOKEN: 't' }, /KELID_TWILIO_FROM or KELID_TWILIO_MESSAGING_SERVICE_SID/],
    [{ KELID_SMS: 'webhook', KELID_SMS_WEBHOOK_SECRET: 's'.repeat(32) }, /KELID_SMS_WEBHOOK_URL is required/],
    [{ KELID_SMS: 'webhook', KELID_SMS_WEBHOOK_URL: 'http://gw/', KELID_SMS_WEBHOOK_SECRET: 'short' }, /KELID_SMS_WEBHOOK_SECRET must be at least 32/],
    [{ KELID_EMAIL: 'smtp' }, /KELID_SMTP_URL is required with KELID_EMAIL=smtp/],
    [{ KELID_EMAIL: 'smtp', KELID_SMTP_URL: 'http://mail' }, /KELID_SMTP_URL must be an smtp/],
    [{ KELID_EMAIL: 'smtp', KELID_SMTP_URL: 'smtp://mail:25' }, /KELID_MAIL_FROM is required/],
    [{ KELID_SMS_BUDGET_PER_HOUR: '0' }, /KELID_SMS_BUDGET_PER_HOUR must be between/],
    [{ KELID_SEND_PER_RECIPIENT_PER_HOUR: 'many' }, /KELID_SEND_PER_RECIPIENT_PER_HOUR must be a whole number/],
    [{ KELID_OUTBOX_LEASE_MS: '1000' }, /KELID_OUTBOX_LEASE_MS must be between 2000 and 3600000/],
  ];
  for (const [env, message] of bad) {
    test(`refuses ${JSON.stringify(env)}`, () => assert.throws(() => loadConfig(env), refuses(message)));
  }

  test('a complete provider configuration builds its channels; voice rides on the SMS provider', async () => {
    const config = loadConfig({
      KELID_DEMO: '0', KELID_SMS: 'kavenegar', KELID_KAVENEGAR_API_KEY: 'k',
      KELID_EMAIL: 'smtp', KELID_SMTP_URL: 'smtp://mail.example:587', KELID_MAIL_FROM: 'Kelid <no-reply@example.org>',
    });
    assert.equal(config.notify.kavenegar?.baseUrl, 'https://api.kavenegar.com');
    assert.equal(config.notify.kavenegar?.verifyTemplate, 'kelid-verify');
    const channels = channelsFromConfig(config.notify, testClock());
    assert.deepEqual([channels.sms.name, channels.voice.name, channels.email.name], ['kavenegar', 'kavenegar', 'smtp']);
    await closeChannels(channels);
  });

  test('a claim\'s lease is 60 s by default; a provider call gets half of it, at most 15 s', () => {
    assert.equal(loadConfig({}).notify.leaseMs, 60_000);
    assert.equal(loadConfig({ KELID_OUTBOX_LEASE_MS: '4000' }).notify.leaseMs, 4000);
    assert.equal(providerDeadlineMs(60_000), 15_000);
    assert.equal(providerDeadlineMs(4000), 2000);
  });

  test('a short lease shortens the providers\' deadline: a gateway that never answers fails the send before the lease runs out', async () => {
    const hanging = await startProviderServer(() => new Promise(() => { /* never answers */ }));
    const config = loadConfig({ KELID_DEMO: '0', KELID_SMS: 'webhook', KELID_SMS_WEBHOOK_URL: hanging.url, KELID_SMS_WEBHOOK_SECRET: 's'.repeat(32), KELID_EMAIL: 'dev', KELID_OUTBOX_LEASE_MS: '2000' });
    const channels = channelsFromConfig(config.notify, testClock());
    const started = performance.now();
    try {
      await assert.rejects(channels.sms.send(outgoing('verification.sms', 'sms', '+989121234567', { code: '123456' })),
        (error: unknown) => error instanceof ChannelError && error.retryable);
      const took = performance.now() - started;
      assert.ok(took >= 900 && took < 1900, `gave up after ${Math.round(took)} ms, for a deadline of 1000 ms`);
    } finally {
      await closeChannels(channels);
      await hanging.close();
    }
  });
});
