import type { AccessibilityKey } from './fa.ts';

/** Hebrew texts of the page titles' prefix and step names (see fa.ts). */
export const heAccessibility: Record<AccessibilityKey, string> = {
  'page.error_prefix': 'שגיאה: ',
  'step.registration.rules': 'תנאי ההרשמה',
  'step.registration.details': 'פרטים אישיים',
  'step.registration.verify': 'אימות הנייד והמייל',
  'step.registration.done': 'סיום ההרשמה',
  'step.recovery.identify': 'פרטי זיהוי',
  'step.recovery.verify': 'קוד שחזור וסיסמה חדשה',
  'step.recovery.identify_email': 'פרטי זיהוי ומייל',
  'step.recovery.link_sent': 'בדקו את המייל',
  'step.recovery.new_password': 'בחירת סיסמה חדשה',
  'step.recovery.done': 'הסיסמה שונתה',
  'step.set_password.token': 'הקישור מהמייל',
  'step.set_password.identify': 'פרטי זיהוי',
  'step.set_password.choose': 'בחירת סיסמה',
  'step.set_password.verify_email': 'אימות המייל',
  'step.set_password.link_unusable': 'הקישור אינו תקף עוד',
  'step.set_password.done': 'סיום',
  'step.otp_login.identify': 'מספר זהות',
  'step.otp_login.verify': 'הזנת הקוד',
  'step.otp_login.done': 'נכנסתם למערכת',
};
