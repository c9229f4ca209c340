// The dev outbox (DESIGN.md Contracts): JSON and page, newest first, escaped; 404 without a dev channel.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { enqueue } from '../../src/notify/outbox.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

describe('dev outbox with the dev channels', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp('postgres', { KELID_SMS: 'dev', KELID_EMAIL: 'dev' }); });
  after(() => t.close());

  test('/dev/outbox.json lists every message as {id, channel, to, template, text, createdAt}, newest first', async () => {
    const first = await enqueue(t.handle.db, { channel: 'sms', to: '+989121234567', template: 'verification.sms', locale: 'fa', params: { code: '111111' } });
    const second = await t.handle.db.transaction().execute((trx) =>
      enqueue(trx, { channel: 'email', to: 'sara@example.org', template: 'verification.email', locale: 'he', params: { code: '222222' } }));
    const third = await enqueue(t.handle.db, { channel: 'voice', to: '+989121234567', template: 'verification.voice', locale: 'en', params: { code: '333333' } });
    const response = await t.app.inject({ method: 'GET', url: '/dev/outbox.json' });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^application\/json/);
    const body = response.json() as Record<string, unknown>[];
    assert.deepEqual(body.map((entry) => entry.id), [third, second, first]);
    assert.deepEqual(Object.keys(body[0]!).sort(), ['channel', 'createdAt', 'id', 'template', 'text', 'to']);
    assert.deepEqual({ ...body[2], createdAt: undefined, text: undefined }, {
      id: first, channel: 'sms', to: '+989121234567', template: 'verification.sms', createdAt: undefined, text: undefined,
    });
    assert.match(String(body[2]!.text), /111111/);
    assert.match(String(body[1]!.text), /222222/, 'an email shows its text part');
    assert.ok(!Number.isNaN(Date.parse(String(body[0]!.createdAt))));
  });

  test('/dev/outbox is a page that shows each message in its own direction, escaped', async () => {
    await enqueue(t.handle.db, {
      channel: 'email', to: 'x@example.org', template: 'registration.done.email', locale: 'fa',
      params: { name: '<script>alert(1)</script>', username: '0076229645', url: 'https://kelid.example/' },
    });
    const response = await t.app.inject({ method: 'GET', url: '/dev/outbox?lang=he' });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    assert.ok(!response.body.includes('<script>'));
    assert.ok(response.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.match(response.body, /<article lang="fa" dir="rtl">/);
    assert.match(response.body, /<article lang="en" dir="ltr">/);
  });
});

describe('dev outbox without a dev channel', () => {
  test('is a 404, page and JSON', async () => {
    const t = await startTestApp('postgres', {
      KELID_SMS: 'webhook', KELID_SMS_WEBHOOK_URL: 'http://127.0.0.1:1/sms', KELID_SMS_WEBHOOK_SECRET: 's'.repeat(32),
      KELID_EMAIL: 'smtp', KELID_SMTP_URL: 'smtp://127.0.0.1:1', KELID_MAIL_FROM: 'no-reply@kelid.example',
    });
    try {
      assert.equal((await t.app.inject({ method: 'GET', url: '/dev/outbox' })).statusCode, 404);
      const json = await t.app.inject({ method: 'GET', url: '/dev/outbox.json' });
      assert.equal(json.statusCode, 404);
      assert.equal((json.json() as { error: { code: string } }).error.code, 'error.not_found');
    } finally {
      await t.close();
    }
  });

  test('with only SMS on dev, emails stay out of it', async () => {
    const t = await startTestApp('postgres', { KELID_SMS: 'dev', KELID_EMAIL: 'smtp', KELID_SMTP_URL: 'smtp://127.0.0.1:1', KELID_MAIL_FROM: 'a@b.example' });
    try {
      await enqueue(t.handle.db, { channel: 'email', to: 'a@example.org', template: 'verification.email', locale: 'fa', params: { code: '123456' } });
      const sms = await enqueue(t.handle.db, { channel: 'sms', to: '+989121234567', template: 'verification.sms', locale: 'fa', params: { code: '123456' } });
      const body = (await t.app.inject({ method: 'GET', url: '/dev/outbox.json' })).json() as { id: string }[];
      assert.deepEqual(body.map((entry) => entry.id), [sms]);
    } finally {
      await t.close();
    }
  });
});
