/**
 * Persian texts of the set-password emails (F19); the other locales fill the same type. In
 * the spirit of seed 3's two emails (GLOSSARY.md §18–§19: «סיסמה למערכות משרד החינוך
 * באינטרנט», «אישור סיום תהליך קביעת סיסמה…», «קוד המשתמש שלכם הנו קבוע ואינו ניתן לשינוי!»)
 * and in the Persian seeds' email voice («با سلام» … «با تشکר», GLOSSARY.md §18).
 */
import type { EmailBody } from '../fa.ts';

/**
 * The link's email: `hours` is how long the link works; `account` says whether it was just
 * opened for the person (`new`) or is theirs already, with a password (`existing`).
 */
export type InvitationEmail = { name: string; url: string; hours: string; account: 'new' | 'existing' };
/** What the email's text is drawn from: the hours as a number (for the plural) and as written in the reader's digits. */
export type InvitationText = Omit<InvitationEmail, 'hours'> & { hours: { count: number; written: string } };
/** The confirmation: the permanent user code (XXXX-XXXX) and where to sign in. */
export type SetPasswordDoneEmail = { name: string; userCode: string; url: string };

export type SetPasswordTexts = {
  invitationEmail(p: InvitationText): EmailBody;
  setPasswordDoneEmail(p: SetPasswordDoneEmail): EmailBody;
  /** The code that proves a new address typed in the wizard. */
  emailChangeCode(code: string): EmailBody;
};

export const faSetPassword: SetPasswordTexts = {
  invitationEmail: ({ name, url, hours, account }) => ({
    subject: 'کلمه عبور برای سامانه های اینترنتی آموزش و پرورش',
    blocks: [
      'با سلام',
      account === 'new'
        ? `${name} گرامی، برای شما در سامانه کلید حساب کاربری ساخته شده است. برای تعیین کلمه عبور روی پیوند زیر کلیک کنید:`
        : `${name} گرامی، برای حساب کاربری شما در سامانه کلید پیوند تعیین کلمه عبور فرستاده شده است. برای تعیین کلمه عبور جدید روی پیوند زیر کلیک کنید:`,
      { link: url, label: 'برای تعیین کلمه عبور اینجا کلیک کنید' },
      `این پیوند ${hours.written} ساعت و فقط یک بار معتبر است. هنگام تعیین کلمه عبور، کد ملی خود را وارد می کنید.`,
      account === 'new' ? 'اگر انتظار این پیام را نداشتید، آن را نادیده بگیرید.' : 'اگر انتظار این پیام را نداشتید، آن را نادیده بگیرید؛ کلمه عبور فعلی شما تغییر نمی کند.',
      'با تشکر',
    ],
  }),
  setPasswordDoneEmail: ({ name, userCode, url }) => ({
    subject: 'تایید پایان تعیین کلمه عبور برای سامانه های اینترنتی آموزش و پرورش',
    blocks: [
      'با سلام',
      `${name} گرامی، کلمه عبور شما با موفقیت تعیین شد. کد کاربری شما:`,
      { code: userCode },
      'کد کاربری شما ثابت است و قابل تغییر نیست!',
      'اکنون می توانید با کد کاربری (یا کد ملی) و کلمه عبور جدیدی که تعیین کردید وارد شوید:',
      { link: url, label: url },
      'اگر شما کلمه عبور را تعیین نکرده اید، فورا با پشتیبانی تماس بگیرید.',
      'با تشکر',
    ],
  }),
  emailChangeCode: (code) => ({
    subject: 'کد تایید پست الکترونیک - کلید',
    blocks: [
      'با سلام',
      'کد تایید پست الکترونیک جدید شما در سامانه کلید:',
      { code },
      'این کد تا ۵ دقیقه معتبر است. اگر شما درخواست نداده اید، این پیام را نادیده بگیرید.',
      'با تشکر',
    ],
  }),
};
