/**
 * Persian texts of sessions (B7): one's own list of sessions, and the console's "end all
 * sessions" and "unlock" on a user's page; the other locales must fill the same keys (a
 * missing one is a type error). The audit's words for these events are in admin/fa.ts, with
 * every other event's.
 */
export const faSessions = {
  'menu.sessions': 'نشست‌های من',
  'sessions.title': 'نشست‌های فعال من',
  'sessions.hint': 'دستگاه‌ها و برنامه‌هایی که هم‌اکنون با حساب شما وارد شده‌اند. اگر یکی را نمی‌شناسید، آن را پایان دهید و رمز عبور خود را تغییر دهید.',
  'sessions.table': 'نشست‌های فعال',
  'sessions.device': 'دستگاه',
  'sessions.address': 'نشانی',
  'sessions.method': 'روش ورود',
  'sessions.started': 'شروع',
  'sessions.last_seen': 'آخرین استفاده',
  'sessions.actions': 'عملیات',
  'sessions.this_session': 'همین نشست',
  'sessions.end': 'پایان این نشست',
  'sessions.end_others': 'پایان همه نشست‌های دیگر',
  'sessions.ended': 'نشست پایان یافت.',
  'sessions.others_ended': '{count} نشست دیگر پایان یافت.',
  'sessions.no_others': 'نشست دیگری باز نیست.',
  'sessions.device_on': '{browser} روی {os}',
  'sessions.device_unknown': 'دستگاه ناشناخته',
  'sessions.method_pwd': 'رمز عبور',
  'sessions.method_otp': 'کد یکبار مصرف',
  'sessions.method_sms': 'کد پیامکی',
  'sessions.method_tel': 'کد با تماس تلفنی',
  'sessions.method_hwk': 'کلید عبور (Passkey)',
  'sessions.kind_browser': 'مرورگر',
  'sessions.kind_api': 'برنامه یا API',
  'sessions.admin_active': 'نشست‌های فعال',
  'sessions.admin_sign_in': 'ورود',
  'sessions.admin_locked_until': 'قفل تا {time}',
  'sessions.admin_not_locked': 'قفل نیست',
  'sessions.admin_end': 'پایان همه نشست‌ها',
  'sessions.admin_end_confirm': 'آیا از پایان همه نشست‌های این کاربر اطمینان دارید؟ او از همه دستگاه‌ها و برنامه‌ها خارج می‌شود و باید دوباره وارد شود.',
  'sessions.admin_ended': '{count} نشست پایان یافت.',
  'sessions.admin_unlock': 'رفع قفل ورود',
  'sessions.admin_unlock_confirm': 'آیا از رفع قفل ورود این کاربر اطمینان دارید؟ تلاش‌های ناموفق او فراموش می‌شود و می‌تواند همین حالا وارد شود.',
  'sessions.admin_unlocked': 'قفل ورود برداشته شد.',
} as const;

export type SessionsKey = keyof typeof faSessions;
