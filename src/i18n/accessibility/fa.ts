/**
 * Persian texts that make pages speak to a screen reader (issue 14 §3): the title's prefix on
 * a page whose form was refused (GOV.UK's "Error: "), and the name of each flow step, which
 * the page title carries before the flow's name. The other locales fill the same keys (a
 * missing one is a type error).
 */
export const faAccessibility = {
  'page.error_prefix': 'خطا: ',
  'step.registration.rules': 'قوانین ثبت نام',
  'step.registration.details': 'مشخصات فردی',
  'step.registration.verify': 'تایید تلفن همراه و ایمیل',
  'step.registration.done': 'پایان ثبت نام',
  'step.recovery.identify': 'مشخصات شناسایی',
  'step.recovery.verify': 'کد بازیابی و رمز عبور جدید',
  'step.recovery.identify_email': 'مشخصات شناسایی و ایمیل',
  'step.recovery.link_sent': 'ایمیل خود را ببینید',
  'step.recovery.new_password': 'انتخاب رمز عبور جدید',
  'step.recovery.done': 'رمز عبور تغییر کرد',
  'step.set_password.token': 'پیوند ایمیل',
  'step.set_password.identify': 'مشخصات شناسایی',
  'step.set_password.choose': 'انتخاب رمز عبور',
  'step.set_password.verify_email': 'تایید ایمیل',
  'step.set_password.link_unusable': 'پیوند دیگر معتبر نیست',
  'step.set_password.done': 'پایان',
  'step.otp_login.identify': 'کد ملی',
  'step.otp_login.verify': 'وارد کردن کد تایید',
  'step.otp_login.done': 'ورود انجام شد',
} as const;

export type AccessibilityKey = keyof typeof faAccessibility;
