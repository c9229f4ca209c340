/**
 * Persian message texts; also the type every other locale must fill (a missing text is a
 * type error). Wording follows the seeds where they give it (GLOSSARY.md §14, §18: «کد فعال
 * سازی», «با سلام»… «متقاضی گرامی»… «با تشکر», «کلمه عبور شما با موفقیت تغییر یافت»).
 * Codes stay in Latin digits: SMS autofill on phones reads only those, and the forms accept
 * Persian and Latin digits alike; other numbers in the prose (minutes, hours) arrive written
 * in the message's digits (templates.ts), Persian here.
 */

/** One block of an email: a paragraph, the code set large, or a link. */
export type EmailBlock = string | { code: string } | { link: string; label: string };
export type EmailBody = { subject: string; blocks: EmailBlock[] };

export type Account = { name: string; username: string; url: string };
export type Reminder = { name: string; deadline: string; url: string };

export type MessageTexts = {
  /** Digit names, read aloud one by one in a voice call. */
  digitNames: readonly [string, string, string, string, string, string, string, string, string, string];
  /** Said between the digits: a pause for the speech engine. */
  digitSeparator: string;
  verificationSms(code: string): string;
  verificationVoice(spokenCode: string): string;
  verificationEmail(code: string): EmailBody;
  registrationDoneSms(account: Account): string;
  registrationDoneEmail(account: Account): EmailBody;
  reminderSms(reminder: Reminder): string;
  reminderEmail(reminder: Reminder): EmailBody;
  passwordChangedSms(): string;
  passwordChangedEmail(name: string): EmailBody;
  recoverySms(code: string): string;
  /** One-time-code sign-in (F3): the code by SMS, and read out by a call. */
  signInCodeSms(code: string): string;
  /** Recovery by email (issue 11): the one-time link, good for `minutes`. */
  recoveryLinkEmail(url: string, minutes: string): EmailBody;
  signInCodeVoice(spokenCode: string): string;
};

export const fa: MessageTexts = {
  digitNames: ['صفر', 'یک', 'دو', 'سه', 'چهار', 'پنج', 'شش', 'هفت', 'هشت', 'نه'],
  digitSeparator: '، ',
  verificationSms: (code) =>
    `کلید\nکد فعال سازی شما: ${code}\nاین کد تا ۵ دقیقه معتبر است. آن را به هیچ کس ندهید.`,
  verificationVoice: (spoken) =>
    `کد فعال سازی شما در سامانه کلید: ${spoken}. تکرار می کنم: ${spoken}.`,
  verificationEmail: (code) => ({
    subject: 'کد فعال سازی پست الکترونیک - کلید',
    blocks: [
      'با سلام',
      'کد فعال سازی پست الکترونیک شما در سامانه کلید:',
      { code },
      'این کد تا ۵ دقیقه معتبر است. اگر شما درخواست ثبت نام نداده اید، این پیام را نادیده بگیرید.',
      'با تشکر',
    ],
  }),
  registrationDoneSms: ({ username, url }) =>
    `با سلام\nمتقاضی گرامی، شما در سامانه کلید ثبت نام شدید.\nنام کاربری: ${username}\nورود: ${url}\nبا تشکر`,
  registrationDoneEmail: ({ name, username, url }) => ({
    subject: 'ثبت نام در سامانه کلید',
    blocks: [
      'با سلام',
      `${name}، متقاضی گرامی، شما با نام کاربری ${username} در سامانه کلید ثبت نام شدید. شما می توانید برای ورود به سایت از طریق این آدرس اقدام نمایید:`,
      { link: url, label: url },
      'کلمه عبور همان است که هنگام ثبت نام انتخاب کردید؛ کلمه عبور هرگز برای شما فرستاده نمی شود.',
      'با تشکر',
    ],
  }),
  reminderSms: ({ deadline, url }) =>
    `با سلام\nلطفا مشخصات حساب کاربری خود را در سامانه کلید تا ${deadline} تکمیل نمایید؛ در غیر این صورت حساب شما حذف می شود.\n${url}`,
  reminderEmail: ({ name, deadline, url }) => ({
    subject: 'یادآوری: تکمیل مشخصات حساب کاربری',
    blocks: [
      'با سلام',
      `${name}، متقاضی گرامی، ثبت نام شما هنوز کامل نشده است. لطفا مشخصات حساب کاربری خود را تا ${deadline} تکمیل نمایید؛ در غیر این صورت حساب شما و اطلاعات آن حذف می شود.`,
      { link: url, label: url },
      'با تشکر',
    ],
  }),
  passwordChangedSms: () =>
    'کلید: کلمه عبور شما با موفقیت تغییر یافت. اگر شما آن را تغییر نداده اید، فورا با پشتیبانی تماس بگیرید.',
  passwordChangedEmail: (name) => ({
    subject: 'تغییر کلمه عبور - کلید',
    blocks: [
      'با سلام',
      `${name} گرامی، کلمه عبور شما با موفقیت تغییر یافت.`,
      'اگر شما آن را تغییر نداده اید، فورا با پشتیبانی تماس بگیرید.',
      'با تشکر',
    ],
  }),
  recoverySms: (code) =>
    `کلید\nکد بازیابی رمز عبور شما: ${code}\nاین کد تا ۵ دقیقه معتبر است. آن را به هیچ کس ندهید. اگر شما درخواست نداده اید، این پیام را نادیده بگیرید.`,
  recoveryLinkEmail: (url, minutes) => ({
    subject: 'بازیابی رمز عبور - کلید',
    blocks: [
      'با سلام',
      'برای انتخاب رمز عبور جدید در سامانه کلید، روی پیوند زیر بزنید:',
      { link: url, label: 'انتخاب رمز عبور جدید' },
      `این پیوند فقط یک بار و تا ${minutes} دقیقه کار می کند. اگر شما درخواست نداده اید، این پیام را نادیده بگیرید؛ رمز عبور شما تغییر نمی کند.`,
      'با تشکر',
    ],
  }),
  signInCodeSms: (code) =>
    `کلید\nکد ورود شما: ${code}\nاین کد تا ۵ دقیقه معتبر است. آن را به هیچ کس ندهید، حتی به پشتیبانی.`,
  signInCodeVoice: (spoken) =>
    `کد ورود شما به سامانه کلید: ${spoken}. تکرار می کنم: ${spoken}.`,
};
