// Messages in Arabic: the texts, the profile's calendar and digits in them, and the way out
// through the real outbox (PostgreSQL), the dispatcher and a real SMTP server.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { formattingFor } from '../../src/i18n/format.ts';
import { smtpChannel } from '../../src/notify/channels/smtp.ts';
import { startDispatcher } from '../../src/notify/dispatcher.ts';
import { outboxNotifier } from '../../src/notify/outbox.ts';
import { readMessage } from '../../src/notify/store.ts';
import { renderTemplate } from '../../src/notify/templates.ts';
import { openTestDatabase, testClock } from '../helpers/app.ts';
import { parseMime } from './mime.ts';
import { recorder, silentLog } from './recorder.ts';

const arIr = formattingFor('ar', 'ir');
const arIl = formattingFor('ar', 'il');
const reminder = { name: 'ليلى حداد', deadline: '2025-12-20', url: 'https://kelid.example/sign-in' };

describe('Arabic message texts', () => {
  test('the verification SMS is Arabic and keeps the code in Latin digits, for the phone to fill in', () => {
    for (const f of [arIr, arIl, formattingFor('ar', 'ir', 'latn')]) {
      const sms = renderTemplate('verification.sms', 'sms', f, { code: '042917' }).text;
      assert.match(sms, /رمز التفعيل الخاص بك: 042917/);
      assert.match(sms, /خمس دقائق/);
    }
  });

  test('a call reads the code digit by digit in Arabic, twice', () => {
    const voice = renderTemplate('sign_in.code.voice', 'voice', arIr, { code: '042917' }).text;
    assert.equal(voice.split('صفر، أربعة، اثنان، تسعة، واحد، سبعة').length - 1, 2);
  });

  test('a deadline is written in the profile\'s calendar and digits', () => {
    assert.match(renderTemplate('registration.reminder', 'sms', arIr, reminder).text, /حتى ٢٩ آذر ١٤٠٤/);
    assert.match(renderTemplate('registration.reminder', 'sms', arIl, reminder).text, /حتى 20 ديسمبر 2025/);
    assert.match(renderTemplate('registration.reminder', 'sms', formattingFor('ar', 'il', 'arab'), reminder).text, /حتى ٢٠ ديسمبر ٢٠٢٥/);
    assert.match(renderTemplate('recovery.link', 'email', arIr, { url: 'https://kelid.example/r', minutes: '30' }).text, /لمدة ٣٠ دقيقة/);
    assert.match(renderTemplate('recovery.link', 'email', arIl, { url: 'https://kelid.example/r', minutes: '30' }).text, /لمدة 30 دقيقة/);
    assert.match(renderTemplate('recovery.link', 'email', 'fa', { url: 'https://kelid.example/r', minutes: '30' }).text, /۳۰ دقیقه/, 'Persian keeps Persian digits');
  });

  test('an Arabic email is right to left, its parameters escaped', () => {
    const email = renderTemplate('password.changed', 'email', arIl, { name: 'ليلى <b>حداد</b>' });
    assert.equal(email.subject, 'تم تغيير كلمة المرور - كليد');
    assert.match(email.html ?? '', /<html lang="ar" dir="rtl">/);
    assert.ok(email.html?.includes('ليلى &lt;b&gt;حداد&lt;/b&gt;'));
  });
});

describe('Arabic messages through the outbox and SMTP (postgres)', () => {
  let handle: DatabaseHandle;
  let close: () => Promise<void>;
  let server: SMTPServer;
  let port: number;
  const received: string[] = [];

  before(async () => {
    ({ handle, close } = await openTestDatabase('postgres'));
    server = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => { received.push(Buffer.concat(chunks).toString('utf8')); callback(); });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await close();
  });

  test('a reminder by SMS and email in ar (il profile) is stored as ar and delivered in Arabic', async () => {
    const notifier = outboxNotifier({ profile: 'il' });
    const [smsId, emailId] = await handle.db.transaction().execute(async (trx) => [
      await notifier.enqueue(trx, { channel: 'sms', to: '+972521234567', template: 'registration.reminder', locale: 'ar', params: reminder }),
      await notifier.enqueue(trx, { channel: 'email', to: 'layla@example.org', template: 'registration.reminder', locale: 'ar', params: reminder }),
    ]);
    const stored = await readMessage(handle.db, String(smsId));
    assert.equal(stored?.locale, 'ar', 'the outbox takes ar (migration 0023)');
    assert.match(stored?.text ?? '', /^كليد: يرجى إكمال ملفك الشخصي حتى 20 ديسمبر 2025/);

    const sms = recorder('sms-test');
    const email = smtpChannel({ url: `smtp://127.0.0.1:${port}`, from: 'Kelid <no-reply@kelid.example>' });
    const dispatcher = startDispatcher({
      db: handle.db, channels: { sms: sms.channels.sms, voice: sms.channels.voice, email }, clock: testClock(), log: silentLog, pollMs: 0,
    });
    await dispatcher.runOnce();
    await dispatcher.stop();
    await email.close?.();

    assert.equal((await readMessage(handle.db, String(emailId)))?.status, 'sent');
    assert.equal(sms.sent.find((m) => m.id === smsId)?.text, stored?.text);
    const { headers, parts } = parseMime(received.at(-1)!);
    assert.equal(headers.get('subject'), 'تذكير: أكمل ملفك الشخصي - كليد');
    assert.equal(headers.get('content-language'), 'ar');
    const text = parts.find((part) => part.headers.get('content-type')?.startsWith('text/plain'));
    const html = parts.find((part) => part.headers.get('content-type')?.startsWith('text/html'));
    assert.match(text?.body ?? '', /^مرحبًا ليلى حداد،/);
    assert.match(text?.body ?? '', /حتى 20 ديسمبر 2025/);
    assert.match(html?.body ?? '', /<html lang="ar" dir="rtl">/);
  });
});
