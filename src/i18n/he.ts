/** Hebrew. Wording from GLOSSARY.md where seed 002 gives it; the seeds address users in the plural. */
import type { Catalog } from './fa.ts';

export const he: Catalog = {
  'app.name': 'קליד',
  'app.tagline': 'כניסה אחת למערכות משרד החינוך',
  'lang.fa': 'فارسی',
  'lang.he': 'עברית',
  'lang.en': 'English',
  'common.language': 'שפה',
  'common.save': 'שמירה', // 002:62
  'common.confirm': 'אישור', // 002:41
  'common.sign_out': 'יציאה',
  'common.home': 'דף הבית',
  'common.skip': 'דילוג לתוכן',
  'common.errors_above': 'נא לתקן את הפרטים הבאים:',
  'common.required_mark': 'שדות המסומנים בכוכבית הם שדות חובה',

  'sign_in.title': 'כניסה', // 002:33
  'sign_in.identifier': 'מספר תעודת הזהות או קוד המשתמש', // 002:41, 002:80
  'sign_in.password': 'סיסמה', // 002:31
  'sign_in.submit': 'כניסה',
  'sign_in.invalid': 'שם המשתמש או הסיסמה שגויים.',
  'sign_in.wait': 'היו יותר מדי ניסיונות כושלים. נסו שוב בעוד {seconds} שניות.',
  'sign_in.locked': 'בשל ניסיונות כושלים חוזרים, הכניסה לחשבון זה חסומה ל-{minutes} דקות.',
  'sign_in.address_limited': 'מכתובת זו היו ניסיונות כושלים רבים מדי. נסו שוב בעוד {minutes} דקות.',
  'sign_in.signed_out': 'יצאתם מהמערכת.',
  'sign_in.session_expired': 'תוקף ההתחברות פג. נא להיכנס שוב.',

  'identifier.required': 'נא להקליד את מספר תעודת הזהות',
  'identifier.invalid': 'שם המשתמש הוא מספר תעודת הזהות או קוד המשתמש',
  'national_id.required': 'נא להקליד את מספר תעודת הזהות',
  'national_id.format': 'במספר הזהות יש להקליד ספרות בלבד',
  'national_id.checksum': 'מספר הזהות אינו תקין',

  'password.required': 'נא להקליד סיסמה',
  'password.too_short': 'הסיסמה צריכה להכיל לפחות {min} תווים',
  'password.too_long': 'הסיסמה ארוכה מדי (עד {max} תווים)',
  'password.needs_upper': 'הסיסמה צריכה להכיל אות גדולה',
  'password.needs_lower': 'הסיסמה צריכה להכיל אות קטנה',
  'password.needs_digit': 'הסיסמה צריכה להכיל ספרה',
  'password.needs_symbol': 'הסיסמה צריכה להכיל תו מיוחד',
  'password.common': 'סיסמה זו נפוצה מדי וקל לנחש אותה',
  'password.contains_identity': 'הסיסמה לא יכולה להכיל את מספר הזהות או את קוד המשתמש',
  'password.mismatch': 'הסיסמה והסיסמה בשנית אינן זהות',
  'password.same_as_current': 'הסיסמה החדשה צריכה להיות שונה מהנוכחית',
  'password.policy': 'הסיסמה צריכה להכיל לפחות {min} תווים, ובהם אות גדולה, אות קטנה, ספרה ותו מיוחד',

  'role_choice.title': 'בחרו תפקיד וארגון',
  'role_choice.label': 'תפקיד וארגון',
  'role_choice.none_active': 'אין לכם כרגע מינוי פעיל. לקבלת גישה לשירותים פנו למנהל בית הספר או הארגון.',
  'role_choice.switch': 'החלפת תפקיד',
  'role_choice.invalid': 'תפקיד זה אינו פעיל עבורכם',

  'role.student': 'תלמיד',
  'role.teacher': 'מורה',
  'role.staff': 'צוות',
  'role.deputy': 'סגן מנהל',
  'role.principal': 'מנהל',
  'role.father': 'אב',
  'role.mother': 'אם',
  'role.guardian': 'אפוטרופוס',
  'role.district_admin': 'מנהל מחוז',
  'role.province_admin': 'מנהל אזור',
  'role.ministry_admin': 'מנהל משרד',
  'role.university_staff': 'עובד אוניברסיטה',
  'role.university_student': 'סטודנט',

  'change_password.title': 'שינוי סיסמה',
  'change_password.current': 'הסיסמה הנוכחית',
  'change_password.temporary': 'הסיסמה הזמנית',
  'change_password.new': 'סיסמה חדשה', // 002:50
  'change_password.repeat': 'הסיסמה בשנית', // 002:54
  'change_password.success': 'הסיסמה שונתה בהצלחה',
  'change_password.must_change': 'הסיסמה שלכם זמנית. לפני שממשיכים יש לבחור סיסמה חדשה.',
  'change_password.current_wrong': 'הסיסמה הנוכחית שגויה',
  'change_password.other_sessions_ended': 'ההתחברויות שלכם במכשירים אחרים הסתיימו.',

  'home.title': 'דף הבית',
  'home.greeting': 'שלום, {name}',
  'home.acting_as': 'תפקיד נוכחי',
  'home.appointment': 'מינוי',
  'home.appointment_period': 'מ-{start} עד {end}',
  'home.appointment_open': 'מ-{start}',
  'home.services': 'שירותים',
  'home.no_services': 'ללא מינוי פעיל אין גישה לשירותים.',
  'home.user_code': 'קוד המשתמש', // 002:78
  'home.username': 'שם המשתמש', // 002:21
  'service.exams': 'מועדי וציוני בחינות בגרות', // 002:90
  'service.payslips': 'תלוש שכר',
  'service.parents': 'פורטל הורים', // 002:90
  'menu.change_password': 'שינוי סיסמה',

  'error.title': 'שגיאה',
  'error.not_found': 'הדף המבוקש לא נמצא.',
  'error.csrf': 'הטופס פג תוקף או אינו תקין. פתחו את הדף מחדש ונסו שוב.',
  'error.session_required': 'יש להיכנס כדי להמשיך.',
  'error.access_denied': 'אין לכם גישה לאזור זה.',
  'error.must_change_password': 'יש להחליף קודם את הסיסמה הזמנית.',
  'error.rate_limited': 'יותר מדי בקשות. נסו שוב בעוד זמן קצר.',
  'error.bad_request': 'הבקשה אינה תקינה.',
  'error.field_invalid': 'הערך בשדה זה אינו תקין',
  'error.field_too_long': 'הערך בשדה זה ארוך מדי',
  'error.unsupported_media': 'מתקבלות בקשות JSON בלבד.',
  'error.payload_too_large': 'הבקשה גדולה מדי.',
  'error.unexpected': 'אירעה שגיאה לא צפויה. נסו שוב.',
  'error.back_home': 'חזרה לדף הבית',
};
