// The seeds' journeys by keyboard alone in a real Chromium against a real PostgreSQL with the
// demo data (issue 14 §3): Tab, Shift+Tab, Enter, Space, arrows and typing, never a click.
// At every stop the focused element must be on screen and wear a focus ring; every step's page
// title names the step; each step is refused once (empty or wrong) and the error summary's first
// link must take focus to its field; and axe-core finds no serious or critical violation on any
// step page, its error state included.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { toLatinDigits } from '../../src/domain/digits.ts';
import { locales, translator, type TextKey } from '../../src/i18n/catalogs.ts';
import { formattingFor } from '../../src/i18n/format.ts';
import { easyCaptcha } from '../captcha/solve.ts';
import { serve, startTestApp, type TestApp } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { applicantFor, DEMO_PASSWORD, FATHER, PRINCIPAL, seedJourneyPeople, STUDENT, type Invitee } from '../helpers/journey-people.ts';
import { assertAxeClean, assertFocusVisible, followFirstError, press, tabTo, typeInto, assertSummaryFocused } from '../helpers/keyboard.ts';
import { linkFor } from '../helpers/set-password.ts';

describe('the seeds\' journeys by keyboard alone', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let invitees: Record<string, Invitee>;
  /** The principal's password: recovery changes it. */
  let principalPassword = DEMO_PASSWORD;
  /** The principal's authenticator, once enrolled. */
  let mfaSecret: string | null = null;

  before(async () => {
    t = await startTestApp('postgres', { ...easyCaptcha, KELID_SMS: 'dev', KELID_EMAIL: 'dev', KELID_SEND_PER_RECIPIENT_PER_HOUR: '100' });
    invitees = await seedJourneyPeople(t);
    base = await serve(t.app);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  const codeFor = async (to: string) => {
    const messages: { to: string; text: string }[] = (await t.app.inject('/dev/outbox.json')).json();
    const code = /\d{6}/.exec(toLatinDigits(messages.find((m) => m.to === to)?.text ?? ''))?.[0];
    assert.ok(code, `no code was sent to ${to}`);
    return code;
  };

  const open = async (path: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(`${base}${path}`);
    return page;
  };

  for (const locale of locales) {
    const t$ = translator(formattingFor(locale, 'ir'));
    /** The page is the step named `step`, error-free or (`refused`) with the locale's "Error: " first. */
    const assertStep = async (page: Page, step: TextKey, refused = false) => {
      const title = await page.title();
      assert.ok(title.includes(t$(step)), `the title "${title}" names the step "${t$(step)}"`);
      assert.equal(title.startsWith(t$('page.error_prefix')), refused, `the title "${title}" ${refused ? 'says' : 'does not say'} there is an error`);
      await assertAxeClean(page, `${step}${refused ? ' (refused)' : ''} in ${locale}`);
    };

    test(`${locale}: an applicant registers, from the rules to "your account is being created"`, async () => {
      const person = applicantFor(locale);
      const page = await open(`/register?lang=${locale}`);
      await assertStep(page, 'step.registration.rules');
      // Refused: the rules not agreed.
      await press(page, 'button[value="accept"]');
      await assertStep(page, 'step.registration.rules', true);
      assert.equal(await followFirstError(page), 'accept');
      await page.keyboard.press('Space');
      await press(page, 'button[value="accept"]');

      await assertStep(page, 'step.registration.details');
      await press(page, 'button[value="submit"]');
      await assertStep(page, 'step.registration.details', true);
      assert.equal(await followFirstError(page), 'firstName', 'the first field in error is the first in the form');
      await page.keyboard.type(person.firstName);
      await typeInto(page, '#lastName', person.lastName);
      await typeInto(page, '#nationalId', person.nationalId);
      await typeInto(page, '#birthDate', person.birthDate);
      await typeInto(page, '#mobile', person.mobile);
      await typeInto(page, '#email', person.email);
      await typeInto(page, '#password', 'Golnar-Baran-1405!');
      await typeInto(page, '#repeat', 'Golnar-Baran-1405!');
      // The captcha widget runs its proof of work as the form is sent.
      await tabTo(page, 'button[value="submit"]');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#mobileCode', { timeout: 30_000 });

      await assertStep(page, 'step.registration.verify');
      await press(page, 'button[value="send_sms"]');
      await typeInto(page, '#mobileCode', '000000');
      await typeInto(page, '#emailCode', '000000');
      await press(page, 'button[value="verify"]');
      await assertStep(page, 'step.registration.verify', true);
      const wrong = await followFirstError(page);
      assert.ok(['mobileCode', 'emailCode'].includes(wrong), `a wrong code links to its field, not ${wrong}`);
      // Shift+Tab back to the top of the form, and fill both codes again.
      await tabTo(page, '#mobileCode', { back: true, max: 5 }).catch(() => tabTo(page, '#mobileCode'));
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(await codeFor(`+98${person.mobile.slice(1)}`));
      await tabTo(page, '#emailCode');
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(await codeFor(person.email));
      await press(page, 'button[value="verify"]');
      await assertStep(page, 'step.registration.done');
      await tabTo(page, 'main a.button');
      await page.context().close();
    });

    test(`${locale}: the principal signs in with the password, chooses a role with the arrows, and resets a student's password and sends a set-password link in the console`, async () => {
      const page = await open(`/sign-in?lang=${locale}`);
      // The skip link is the first stop, and it is seen when focused.
      await page.keyboard.press('Tab');
      assert.ok(await page.evaluate(() => document.activeElement?.classList.contains('skip')));
      await assertFocusVisible(page);
      await assertAxeClean(page, `sign-in in ${locale}`);
      await typeInto(page, '#identifier', PRINCIPAL.nationalId);
      await typeInto(page, '#password', 'not-the-password');
      await press(page, '#password');
      assert.ok((await page.title()).startsWith(t$('page.error_prefix')));
      await assertAxeClean(page, `sign-in refused in ${locale}`);
      // "Wrong username or password" is about neither field alone: plain words, and the next Tab is the form.
      await assertSummaryFocused(page);
      assert.equal(await page.locator('.error-summary a').count(), 0);
      await typeInto(page, '#password', principalPassword);
      await Promise.all([page.waitForURL(/\/role/), page.keyboard.press('Enter')]);

      await assertAxeClean(page, `role choice in ${locale}`);
      // Refused: no role chosen (the first time: later the last choice comes preselected). The summary's link leads to the group's first radio.
      if (await page.locator('input[name="membershipId"]:checked').count() === 0) {
        await press(page, 'form button.primary');
        assert.ok((await page.title()).startsWith(t$('page.error_prefix')));
        await assertAxeClean(page, `role choice refused in ${locale}`);
        assert.equal(await followFirstError(page), 'membershipId');
      } else {
        await tabTo(page, 'input[name="membershipId"]');
      }
      // Arrows move through the group, checking as they go, until the principal's role is chosen.
      const principal = t$('role.principal');
      for (let i = 0; i < 3 && !(await page.evaluate((name) => document.activeElement?.closest('label')?.textContent?.includes(name), principal)); i++) {
        await page.keyboard.press('ArrowDown');
      }
      await page.keyboard.press('Space');
      await assertFocusVisible(page);
      await Promise.all([page.waitForURL(`${base}/`), tabTo(page, 'button.primary').then(() => page.keyboard.press('Enter'))]);
      assert.match(await page.textContent('header.top') ?? '', new RegExp(principal));
      await assertAxeClean(page, `home in ${locale}`);

      // The console asks for a second factor: an authenticator app, enrolled the first time, then its code.
      await press(page, 'a[href="/admin/users"]');
      assert.match(page.url(), /\/(account\/)?mfa/);
      if (mfaSecret === null) mfaSecret = (await page.textContent('p.secret'))!.replace(/\s/g, '');
      t.clock.advance(60_000);
      await typeInto(page, '#code', '000000');
      await press(page, '#code');
      assert.ok((await page.title()).startsWith(t$('page.error_prefix')));
      await assertAxeClean(page, `second factor refused in ${locale}`);
      assert.equal(await followFirstError(page), 'code');
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(new TOTP({ secret: Secret.fromBase32(mfaSecret) }).generate({ timestamp: t.clock.now().getTime() }));
      await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
      if (await page.locator('ol.codes').count() > 0) {
        await assertAxeClean(page, `recovery codes in ${locale}`);
        await press(page, 'main a.button');
      }
      await page.waitForURL(/\/admin\/users$/);
      await assertAxeClean(page, `the console's users in ${locale}`);
      await typeInto(page, 'input[name="nationalId"]', STUDENT);
      await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
      await press(page, 'a.icon[href$="/reset"]');
      await assertAxeClean(page, `reset confirmation in ${locale}`);
      await press(page, 'main button.primary');
      await assertAxeClean(page, `reset done in ${locale}`);
      assert.equal(await page.locator('.alert.error').count(), 0);

      // The new-user form, refused empty: the console's summary links to its field too.
      await page.goto(`${base}/admin/users/new`);
      await press(page, 'button[value="save"]');
      assert.ok((await page.title()).startsWith(t$('page.error_prefix')));
      await assertAxeClean(page, `new user refused in ${locale}`);
      assert.equal(await followFirstError(page), 'nationalId');

      // And sends a parent the link to set a password.
      const invitee = invitees[locale]!;
      await page.goto(`${base}/admin/users/${invitee.accountId}/invite`);
      await assertAxeClean(page, `send the set-password link in ${locale}`);
      await press(page, 'main button.primary');
      assert.ok((await page.textContent('main'))?.includes(invitee.email), `the console says where the link went: ${await page.textContent('main')}`);
      await page.context().close();
    });

    test(`${locale}: the parent sets a password from the emailed link`, async () => {
      const invitee = invitees[locale]!;
      const link = await linkFor(t.app, invitee.email);
      const page = await open(`${link.path}&lang=${locale}`);
      await assertStep(page, 'step.set_password.identify');
      await press(page, 'button[value="confirm"]');
      await assertStep(page, 'step.set_password.identify', true);
      assert.equal(await followFirstError(page), 'nationalId');
      await page.keyboard.type(invitee.nationalId);
      await press(page, 'button[value="confirm"]');

      await assertStep(page, 'step.set_password.choose');
      await press(page, 'button[value="save"]');
      await assertStep(page, 'step.set_password.choose', true);
      assert.equal(await followFirstError(page), 'password');
      const password = `Invited-${locale}-Baran-1405!`;
      await page.keyboard.type(password);
      await typeInto(page, '#repeat', password);
      // A closed list: the arrows choose the question.
      await tabTo(page, '#question');
      await page.keyboard.press('ArrowDown');
      assert.notEqual(await page.evaluate(() => (document.activeElement as HTMLSelectElement).value), '');
      await typeInto(page, '#answer', 'البرز');
      await press(page, 'button[value="save"]');
      await assertStep(page, 'step.set_password.done');
      const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: invitee.nationalId, password } });
      assert.equal(signIn.statusCode, 201, 'the password set works');
      await page.context().close();
    });

    test(`${locale}: a parent signs in with a one-time code`, async () => {
      const page = await open(`/sign-in?lang=${locale}`);
      await press(page, 'a[href^="/sign-in/code"]');
      await assertStep(page, 'step.otp_login.identify');
      await press(page, 'button[value="send_sms"]');
      await assertStep(page, 'step.otp_login.identify', true);
      assert.equal(await followFirstError(page), 'identifier');
      await page.keyboard.type(FATHER.nationalId);
      await press(page, 'button[value="send_sms"]');
      await assertStep(page, 'step.otp_login.verify');
      await typeInto(page, '#code', '000000');
      await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
      await assertStep(page, 'step.otp_login.verify', true);
      assert.equal(await followFirstError(page), 'code');
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(await codeFor(FATHER.phone));
      await Promise.all([page.waitForURL(`${base}/`), page.keyboard.press('Enter')]);
      await assertAxeClean(page, `the parent's home in ${locale}`);
      await page.context().close();
    });

    test(`${locale}: the principal recovers the password by mobile`, async () => {
      const page = await open(`/sign-in?lang=${locale}`);
      await press(page, 'a[href^="/recover"]');
      await assertStep(page, 'step.recovery.identify');
      await press(page, 'button[value="send"], form button.primary');
      await assertStep(page, 'step.recovery.identify', true);
      assert.equal(await followFirstError(page), 'nationalId');
      await page.keyboard.type(PRINCIPAL.nationalId);
      await typeInto(page, '#serial', PRINCIPAL.serial);
      await typeInto(page, '#mobile', PRINCIPAL.mobile);
      await tabTo(page, 'form button.primary');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#code', { timeout: 30_000 });
      await assertStep(page, 'step.recovery.verify');
      const next = `Recovered-${locale}-Baran-1405!`;
      await typeInto(page, '#code', await codeFor(PRINCIPAL.phone));
      await typeInto(page, '#password', next);
      await typeInto(page, '#repeat', 'something-else-1405!');
      await press(page, 'form button.primary');
      await assertStep(page, 'step.recovery.verify', true);
      await followFirstError(page);
      await tabTo(page, '#code', { back: true, max: 10 }).catch(() => tabTo(page, '#code'));
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(await codeFor(PRINCIPAL.phone));
      await typeInto(page, '#password', next);
      await typeInto(page, '#repeat', next);
      await press(page, 'form button.primary');
      await assertStep(page, 'step.recovery.done');
      principalPassword = next;
      const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: PRINCIPAL.nationalId, password: next } });
      assert.equal(signIn.statusCode, 201, 'the new password works');
      await page.context().close();
    });
  }
});
