// Notification configuration: dev only with demo data; each provider's variables are named when missing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { channelsFromConfig, closeChannels, devOutboxChannels } from '../../src/notify/channels/from-config.ts';
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
});
