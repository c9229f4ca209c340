// Each SMS/voice adapter against a local HTTP server that checks the provider's documented
// request (method, path, form fields, authentication) and answers as the provider does.
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ChannelError } from '../../src/notify/channels/channel.ts';
import { kavenegarChannel, kavenegarLocalId } from '../../src/notify/channels/kavenegar.ts';
import { twilioChannel, twiml } from '../../src/notify/channels/twilio.ts';
import { webhookChannel } from '../../src/notify/channels/webhook.ts';
import { testClock } from '../helpers/app.ts';
import { outgoing } from './message.ts';
import { startProviderServer, type Answer, type ProviderServer, type Recorded } from './provider-server.ts';

const isForm = (request: Recorded) => request.headers['content-type'] === 'application/x-www-form-urlencoded';
const refuses = (retryable: boolean, pattern: RegExp) => (error: unknown) =>
  error instanceof ChannelError && error.retryable === retryable && pattern.test(error.message);

describe('Kavenegar', () => {
  const KEY = '7A5B-KEY';
  let server: ProviderServer;
  let answer: (request: Recorded) => Answer;
  before(async () => { server = await startProviderServer((request) => answer(request)); });
  after(() => server.close());

  // Kavenegar's documented contract: POST /v1/{API-KEY}/{method}.json, form fields, JSON {return, entries}.
  const kavenegar = (request: Recorded): Answer => {
    if (request.method !== 'POST' || !isForm(request)) return { status: 405, json: { return: { status: 405, message: 'POST only' } } };
    const match = /^\/v1\/([^/]+)\/(verify\/lookup|sms\/send)\.json$/.exec(request.path);
    if (!match) return { status: 404, json: { return: { status: 404, message: 'method not found' } } };
    if (match[1] !== KEY) return { status: 403, json: { return: { status: 403, message: 'invalid API key' } } };
    return { status: 200, json: { return: { status: 200, message: 'تایید شد' }, entries: [{ messageid: 8792343, status: 5, receptor: request.form.get('receptor') }] } };
  };
  const channel = () => kavenegarChannel({ apiKey: KEY, baseUrl: server.url, verifyTemplate: 'kelid-verify', sender: '10004346' });

  test('a verification SMS goes through verify/lookup with our code as the token, type=sms', async () => {
    answer = kavenegar;
    const result = await channel().send(outgoing('verification.sms', 'sms', '+989121234567', { code: '042917' }));
    assert.equal(result.providerMessageId, '8792343');
    const request = server.requests.at(-1)!;
    assert.equal(request.path, `/v1/${KEY}/verify/lookup.json`);
    assert.deepEqual(Object.fromEntries(request.form), { receptor: '09121234567', template: 'kelid-verify', token: '042917', type: 'sms' });
  });

  test('a voice code goes through verify/lookup with type=call', async () => {
    answer = kavenegar;
    await channel().send(outgoing('verification.voice', 'voice', '+989121234567', { code: '042917' }));
    const request = server.requests.at(-1)!;
    assert.equal(request.path, `/v1/${KEY}/verify/lookup.json`);
    assert.equal(request.form.get('type'), 'call');
    assert.equal(request.form.get('token'), '042917');
  });

  test('other texts go through sms/send with the message, the sender line and a localid against duplicates', async () => {
    answer = kavenegar;
    const message = outgoing('registration.done.sms', 'sms', '+989121234567', { name: 'سارا', username: '0076229645', url: 'https://kelid.example/' });
    await channel().send(message);
    const request = server.requests.at(-1)!;
    assert.equal(request.path, `/v1/${KEY}/sms/send.json`);
    assert.equal(request.form.get('receptor'), '09121234567');
    assert.equal(request.form.get('message'), message.text);
    assert.equal(request.form.get('sender'), '10004346');
    assert.equal(request.form.get('localid'), kavenegarLocalId(message.id));
    assert.ok(Number.isSafeInteger(Number(request.form.get('localid'))));
  });

  test('refusals: a bad key or number is permanent; no credit (418) or a busy server is retried; the key never shows', async () => {
    const wrongKey = kavenegarChannel({ apiKey: 'WRONG', baseUrl: server.url, verifyTemplate: 'kelid-verify' });
    answer = kavenegar;
    await assert.rejects(wrongKey.send(outgoing('verification.sms', 'sms', '+989121234567', { code: '111111' })),
      (error: unknown) => refuses(false, /403/)(error) && !(error as Error).message.includes('WRONG'));
    answer = () => ({ status: 418, json: { return: { status: 418, message: 'اعتبار کافی نیست' } } });
    await assert.rejects(channel().send(outgoing('verification.sms', 'sms', '+989121234567', { code: '111111' })), refuses(true, /418/));
    answer = () => ({ status: 411, json: { return: { status: 411, message: 'receptor invalid' } } });
    await assert.rejects(channel().send(outgoing('verification.sms', 'sms', '+989121234567', { code: '111111' })), refuses(false, /411/));
    answer = () => ({ status: 502 });
    await assert.rejects(channel().send(outgoing('verification.sms', 'sms', '+989121234567', { code: '111111' })), refuses(true, /502/));
  });

  test('an unreachable provider is retried', async () => {
    const down = kavenegarChannel({ apiKey: KEY, baseUrl: 'http://127.0.0.1:1', verifyTemplate: 'kelid-verify' });
    await assert.rejects(down.send(outgoing('verification.sms', 'sms', '+989121234567', { code: '111111' })), refuses(true, /127\.0\.0\.1:1/));
  });
});

describe('Twilio', () => {
  const SID = 'AC0123456789abcdef0123456789abcdef';
  const TOKEN = 'twilio-auth-token';
  let server: ProviderServer;
  before(async () => {
    // Twilio's documented contract: POST /2010-04-01/Accounts/{AccountSid}/{Messages|Calls}.json, HTTP Basic, form fields.
    server = await startProviderServer((request) => {
      const expected = `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`;
      if (request.headers.authorization !== expected) return { status: 401, json: { code: 20003, message: 'Authenticate', status: 401 } };
      if (request.method !== 'POST' || !isForm(request)) return { status: 405, json: { code: 20004, message: 'Method not allowed' } };
      const match = /^\/2010-04-01\/Accounts\/([^/]+)\/(Messages|Calls)\.json$/.exec(request.path);
      if (!match || match[1] !== SID) return { status: 404, json: { code: 20404, message: 'not found' } };
      if (request.form.get('To') === '+15005550001') return { status: 400, json: { code: 21211, message: "Invalid 'To' Phone Number", status: 400 } };
      if (request.form.get('To') === '+15005550009') return { status: 503, json: { code: 20503, message: 'Service unavailable' } };
      return { status: 201, json: { sid: match[2] === 'Messages' ? 'SM1234' : 'CA1234', status: 'queued' } };
    });
  });
  after(() => server.close());

  test('an SMS goes through the Messages API with our own text (our code), To and From', async () => {
    const twilio = twilioChannel({ accountSid: SID, authToken: TOKEN, from: '+15005550006', baseUrl: server.url });
    const message = outgoing('verification.sms', 'sms', '+972501234567', { code: '042917' }, 'he');
    assert.equal((await twilio.send(message)).providerMessageId, 'SM1234');
    const request = server.requests.at(-1)!;
    assert.equal(request.path, `/2010-04-01/Accounts/${SID}/Messages.json`);
    assert.deepEqual(Object.fromEntries(request.form), { To: '+972501234567', Body: message.text, From: '+15005550006' });
    assert.match(request.form.get('Body') ?? '', /042917/);
  });

  test('with a messaging service, the SMS names it instead of a From number', async () => {
    const twilio = twilioChannel({ accountSid: SID, authToken: TOKEN, messagingServiceSid: 'MG42', baseUrl: server.url });
    await twilio.send(outgoing('password.changed', 'sms', '+972501234567', { name: 'x' }, 'he'));
    const request = server.requests.at(-1)!;
    assert.equal(request.form.get('MessagingServiceSid'), 'MG42');
    assert.equal(request.form.get('From'), null);
  });

  test('a voice code is a call whose TwiML says the digits, escaped, in the message\'s language', async () => {
    const twilio = twilioChannel({ accountSid: SID, authToken: TOKEN, from: '+15005550006', baseUrl: server.url });
    assert.equal((await twilio.send(outgoing('verification.voice', 'voice', '+972501234567', { code: '042917' }, 'he'))).providerMessageId, 'CA1234');
    const request = server.requests.at(-1)!;
    assert.equal(request.path, `/2010-04-01/Accounts/${SID}/Calls.json`);
    assert.equal(request.form.get('To'), '+972501234567');
    assert.equal(request.form.get('From'), '+15005550006');
    const twiml = request.form.get('Twiml') ?? '';
    assert.match(twiml, /^<\?xml[^>]*\?><Response><Say language="he-IL">[^<]*אפס, ארבע, שתיים, תשע, אחת, שבע[^<]*<\/Say><Pause length="1"\/><Say/);
  });

  test('TwiML escapes what it says', () => {
    assert.match(twiml('a<b & "c"', 'en'), /<Say language="en-US">a&lt;b &amp; &quot;c&quot;<\/Say>/);
  });

  test('an invalid number is permanent, a 503 is retried, wrong credentials are permanent', async () => {
    const twilio = twilioChannel({ accountSid: SID, authToken: TOKEN, from: '+15005550006', baseUrl: server.url });
    await assert.rejects(twilio.send(outgoing('verification.sms', 'sms', '+15005550001', { code: '111111' }, 'en')), refuses(false, /400: 21211/));
    await assert.rejects(twilio.send(outgoing('verification.sms', 'sms', '+15005550009', { code: '111111' }, 'en')), refuses(true, /503/));
    const wrong = twilioChannel({ accountSid: SID, authToken: 'nope', from: '+15005550006', baseUrl: server.url });
    await assert.rejects(wrong.send(outgoing('verification.sms', 'sms', '+972501234567', { code: '111111' }, 'en')), refuses(false, /401/));
  });
});

describe('webhook', () => {
  const SECRET = 'webhook-secret-'.padEnd(40, 'x');
  let server: ProviderServer;
  before(async () => {
    // The receiver's side of the contract: verify the signature over "<t>.<body>" in constant time.
    server = await startProviderServer((request) => {
      const header = String(request.headers['x-kelid-signature'] ?? '');
      const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
      if (request.method !== 'POST' || request.headers['content-type'] !== 'application/json' || !match) return { status: 400 };
      const expected = createHmac('sha256', SECRET).update(`${match[1]}.${request.body}`).digest();
      if (!timingSafeEqual(expected, Buffer.from(match[2]!, 'hex'))) return { status: 401 };
      return { status: 202, json: { id: `gw-${request.headers['idempotency-key']}` } };
    });
  });
  after(() => server.close());

  test('posts the signed message as JSON with the outbox id as idempotency key', async () => {
    const clock = testClock();
    const webhook = webhookChannel({ url: `${server.url}/sms`, secret: SECRET, clock });
    const message = outgoing('verification.voice', 'voice', '+989121234567', { code: '042917' });
    assert.equal((await webhook.send(message)).providerMessageId, `gw-${message.id}`);
    const request = server.requests.at(-1)!;
    assert.equal(request.path, '/sms');
    assert.equal(request.headers['idempotency-key'], message.id);
    assert.match(String(request.headers['x-kelid-signature']), new RegExp(`^t=${Math.floor(clock.now().getTime() / 1000)},`));
    assert.deepEqual(JSON.parse(request.body), {
      id: message.id, channel: 'voice', to: '+989121234567', template: 'verification.voice', locale: 'fa',
      params: { code: '042917' }, text: message.text, attempt: 1,
    });
  });

  test('a wrong secret is refused by the receiver, and that refusal is permanent', async () => {
    const webhook = webhookChannel({ url: server.url, secret: 'another-secret'.padEnd(40, 'y'), clock: testClock() });
    await assert.rejects(webhook.send(outgoing('verification.sms', 'sms', '+989121234567', { code: '111111' })), refuses(false, /webhook 401/));
  });
});
