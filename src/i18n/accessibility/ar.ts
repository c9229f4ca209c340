import type { AccessibilityKey } from './fa.ts';

/** Arabic texts of the page titles' prefix and step names (see fa.ts), in the words of docs/arabic-terms.md. */
export const arAccessibility: Record<AccessibilityKey, string> = {
  'page.error_prefix': 'خطأ: ',
  'step.registration.rules': 'شروط التسجيل',
  'step.registration.details': 'البيانات الشخصية',
  'step.registration.verify': 'التحقق من الهاتف المحمول والبريد الإلكتروني',
  'step.registration.done': 'اكتمال التسجيل',
  'step.recovery.identify': 'بيانات التعريف',
  'step.recovery.verify': 'رمز الاستعادة وكلمة المرور الجديدة',
  'step.recovery.identify_email': 'بيانات التعريف والبريد الإلكتروني',
  'step.recovery.link_sent': 'راجع بريدك الإلكتروني',
  'step.recovery.new_password': 'اختيار كلمة مرور جديدة',
  'step.recovery.done': 'تم تغيير كلمة المرور',
  'step.set_password.token': 'الرابط الوارد في بريدك الإلكتروني',
  'step.set_password.identify': 'بيانات التعريف',
  'step.set_password.choose': 'اختيار كلمة المرور',
  'step.set_password.verify_email': 'التحقق من البريد الإلكتروني',
  'step.set_password.link_unusable': 'الرابط لم يعد صالحًا',
  'step.set_password.done': 'الإنهاء',
  'step.otp_login.identify': 'رقم الهوية',
  'step.otp_login.verify': 'إدخال الرمز',
  'step.otp_login.done': 'تم الدخول',
};
