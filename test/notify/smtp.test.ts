// The SMTP channel against a real SMTP server (smtp-server): authentication, headers, the
// text and RTL HTML parts, escaping, and SMTP's permanent vs temporary refusals.
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { ChannelError } from '../../src/notify/channels/channel.ts';
import { smtpChannel } from '../../src/notify/channels/smtp.ts';
import { outgoing } from './message.ts';
import { parseMime } from './mime.ts';

type Received = { from: string; to: string[]; raw: string; user: string | undefined };

describe('SMTP channel', () => {
  const received: Received[] = [];
  let server: SMTPServer;
  let port: number;

  before(async () => {
    server = new SMTPServer({
      authOptional: false,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth(auth, _session, callback) {
        if (auth.username === 'kelid' && auth.password === 's3cret') callback(null, { user: auth.username });
        else callback(new Error('Invalid username or password'));
      },
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('gone@')) return callback(Object.assign(new Error('No such user'), { responseCode: 550 }));
        if (address.address.startsWith('busy@')) return callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw: Buffer.concat(chunks).toString('utf8'),
            user: typeof session.user === 'string' ? session.user : undefined,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const channel = () => smtpChannel({ url: `smtp://kelid:s3cret@127.0.0.1:${port}`, from: 'Kelid <no-reply@kelid.example>' });

  test('sends a multipart email with a text part and an RTL HTML part, with escaped parameters', async () => {
    const smtp = channel();
    const message = outgoing('registration.done.email', 'email', 'sara@example.org',
      { name: '<script>alert(1)</script> سارا', username: '0076229645', url: 'https://kelid.example/sign-in' });
    const result = await smtp.send(message);
    await smtp.close?.();
    assert.equal(result.providerMessageId, `<${message.id}@kelid.example>`);

    const mail = received.at(-1)!;
    assert.equal(mail.user, 'kelid', 'authenticated with the URL\'s credentials');
    assert.equal(mail.from, 'no-reply@kelid.example');
    assert.deepEqual(mail.to, ['sara@example.org']);
    const { headers, parts } = parseMime(mail.raw);
    assert.equal(headers.get('subject'), 'ثبت نام در سامانه کلید');
    assert.equal(headers.get('from'), 'Kelid <no-reply@kelid.example>');
    assert.equal(headers.get('to'), 'sara@example.org');
    assert.equal(headers.get('message-id'), `<${message.id}@kelid.example>`);
    assert.equal(headers.get('auto-submitted'), 'auto-generated');
    assert.equal(headers.get('content-language'), 'fa');
    assert.match(headers.get('content-type') ?? '', /^multipart\/alternative/);

    const text = parts.find((part) => part.headers.get('content-type')?.startsWith('text/plain'));
    const html = parts.find((part) => part.headers.get('content-type')?.startsWith('text/html'));
    assert.ok(text && html, 'both a text and an HTML part');
    assert.match(text.headers.get('content-type') ?? '', /charset=utf-8/i);
    assert.ok(text.body.startsWith('با سلام'));
    assert.match(text.body, /با نام کاربری 0076229645/);
    assert.ok(text.body.includes('<script>alert(1)</script> سارا'), 'the text part is plain text');
    assert.match(html.body, /<html lang="fa" dir="rtl">/);
    assert.match(html.body, /dir="rtl"[^>]*text-align:right/);
    assert.ok(!html.body.includes('<script>'), 'no live script in the HTML');
    assert.ok(html.body.includes('&lt;script&gt;alert(1)&lt;/script&gt; سارا'));
    assert.ok(html.body.includes('<a href="https://kelid.example/sign-in"'));
  });

  test('a Hebrew verification email is RTL; an English one is LTR', async () => {
    const smtp = channel();
    await smtp.send(outgoing('verification.email', 'email', 'dana@example.org', { code: '482913' }, 'he'));
    await smtp.send(outgoing('verification.email', 'email', 'john@example.org', { code: '482913' }, 'en'));
    await smtp.close?.();
    const [he, en] = received.slice(-2).map((mail) => parseMime(mail.raw));
    assert.equal(he?.headers.get('subject'), 'קוד אימות לכתובת המייל - קליד');
    assert.match(he?.parts.find((part) => part.headers.get('content-type')?.startsWith('text/html'))?.body ?? '', /dir="rtl"/);
    assert.match(en?.parts.find((part) => part.headers.get('content-type')?.startsWith('text/html'))?.body ?? '', /<html lang="en" dir="ltr">/);
    assert.match(en?.parts.find((part) => part.headers.get('content-type')?.startsWith('text/plain'))?.body ?? '', /482913/);
  });

  test('a 5xx refusal is permanent, a 4xx refusal and wrong credentials are worth another try', async () => {
    const smtp = channel();
    await assert.rejects(smtp.send(outgoing('verification.email', 'email', 'gone@example.org', { code: '111111' })),
      (error: unknown) => error instanceof ChannelError && !error.retryable && /550/.test(error.message));
    await assert.rejects(smtp.send(outgoing('verification.email', 'email', 'busy@example.org', { code: '111111' })),
      (error: unknown) => error instanceof ChannelError && error.retryable && /451/.test(error.message));
    await smtp.close?.();
    const wrong = smtpChannel({ url: `smtp://kelid:wrong@127.0.0.1:${port}`, from: 'no-reply@kelid.example' });
    await assert.rejects(wrong.send(outgoing('verification.email', 'email', 'a@example.org', { code: '111111' })),
      (error: unknown) => error instanceof ChannelError && error.retryable && /535/.test(error.message));
    await wrong.close?.();
  });

  test('a server that goes silent after the message fails the send within the deadline (not nodemailer\'s 10 minutes), to be tried again', async () => {
    // Greets and accepts everything up to the end of the message, then never answers: the lease
    // (dispatcher.ts) must not run out while a live dispatcher still waits on this send.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.write('220 silent ESMTP\r\n');
      let inData = false;
      socket.setEncoding('utf8').on('data', (chunk: string) => {
        for (const line of chunk.split('\r\n').filter(Boolean)) {
          if (inData) continue;
          if (/^DATA/i.test(line)) { inData = true; socket.write('354 go ahead\r\n'); } else socket.write('250 ok\r\n');
        }
      });
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const smtp = smtpChannel({ url: `smtp://127.0.0.1:${(silent.address() as AddressInfo).port}`, from: 'no-reply@kelid.example', timeoutMs: 300 });
    const started = performance.now();
    try {
      await assert.rejects(smtp.send(outgoing('verification.email', 'email', 'a@example.org', { code: '111111' })),
        (error: unknown) => error instanceof ChannelError && error.retryable);
      assert.ok(performance.now() - started < 3000, `failed after ${Math.round(performance.now() - started)} ms`);
    } finally {
      await smtp.close?.();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
