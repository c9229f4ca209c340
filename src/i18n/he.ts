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

  'registration.title': 'הרשמה', // 002:7
  'registration.rules_heading': 'נא לקרוא בעיון את הפרטים הבאים:',
  'registration.rule_1': 'ההרשמה מיועדת לאזרחים. מי שאינו אזרח נרשם דרך הדף באנגלית.',
  'registration.rule_2': 'להרשמה נדרשים כתובת מייל ומספר טלפון נייד תקינים וזמינים: בשלב האימות יש להקליד את קודי האימות שנשלחו למייל ולטלפון הנייד (שני הקודים).',
  'registration.rule_3': 'יש להירשם עם מספר הטלפון הנייד והמייל האישיים שלכם: ההודעות והכניסה למערכת יתבססו עליהם.',
  'registration.rule_4': 'שלב זה הוא הרשמה מוקדמת, וקובע רק את שם המשתמש (מספר הזהות) ואת הסיסמה.',
  'registration.rule_5': 'לאחר מכן יש להיכנס עם שם המשתמש ולהשלים את פרטי ההרשמה. עד להשלמת ההרשמה ואישורה לא ניתן להגיש בקשות.',
  'registration.accept_rules': 'קראתי ואני מסכים/ה לתנאים',
  'registration.nationality': 'אזרחות',
  'registration.citizen': 'ישראלית',
  'registration.first_name': 'שם פרטי',
  'registration.last_name': 'שם משפחה',
  'registration.national_id': 'מספר תעודת הזהות', // 002:41
  'registration.birth_date': 'תאריך לידה (לדוגמה 2008-02-19)',
  'registration.birth_date_solar': 'תאריך לידה',
  'registration.mobile': 'מספר הטלפון הנייד',
  'registration.email': 'כתובת דוא"ל',
  'registration.password': 'סיסמה',
  'registration.repeat': 'הסיסמה בשנית', // 002:54
  'registration.captcha': 'אימות שאינך רובוט',
  'registration.send': 'שליחה',
  'registration.codes_hint': 'לקבלת קוד אימות לטלפון הנייד לחצו על SMS או על שיחה קולית',
  'registration.mobile_code': 'קוד האימות מה-SMS', // 002:88
  'registration.email_code': 'קוד האימות מהמייל',
  'registration.send_sms': 'שלחו לי SMS', // 002:88
  'registration.send_call': 'שיחה קולית',
  'registration.call_status': 'המערכת תתקשר אליכם כעת',
  'registration.being_created': 'חשבונך נוצר ברגעים אלה...', // 002:25
  'registration.sms_when_done': 'נשלח לך הודעת SMS בסיום התהליך.', // 002:27
  'registration.step_identification': 'פרטי זיהוי', // 002:43
  'registration.step_verification': 'אימות', // 002:43
  'registration.step_finish': 'סיום', // 002:43
  'registration.resend_email': 'שליחת קוד חדש למייל',
  'registration.edit': 'עריכת הפרטים',
  'registration.already_registered_link': 'שחזור סיסמה',
  'rules.must_accept': 'כדי להמשיך יש להסכים לתנאים',
  'nationality.use_english_page': 'מי שאינו אזרח נרשם דרך הדף באנגלית',
  'first_name.required': 'נא להקליד שם פרטי',
  'last_name.required': 'נא להקליד שם משפחה',
  'birth_date.required': 'נא להקליד תאריך לידה',
  'date.invalid': 'התאריך אינו תקין',
  'mobile.required': 'נא להקליד מספר טלפון נייד',
  'mobile.invalid': 'מספר הטלפון הנייד אינו תקין (לדוגמה 050-2345678)',
  'email.required': 'נא להקליד כתובת דוא"ל',
  'email.invalid': 'כתובת הדוא"ל אינה תקינה',
  'captcha.invalid': 'האימות נכשל. נסו שוב.',
  'national_id.already_registered': 'מספר זהות זה כבר רשום. אם שכחתם את הסיסמה, השתמשו בשחזור סיסמה.',
  'registry.mismatch': 'השם או תאריך הלידה אינם תואמים את מרשם האוכלוסין',
  'registry.not_found': 'מספר הזהות לא נמצא במרשם האוכלוסין',
  'code.required': 'נא להקליד את קוד האימות',
  'code.format': 'קוד האימות הוא בן שש ספרות',
  'code.not_sent': 'יש לבקש קודם קוד אימות',
  'code.expired': 'תוקף הקוד הקודם פג, נא לבקש קוד חדש',
  'code.invalid': 'קוד האימות שגוי',
  'code.sms_invalid': 'קוד האימות מה-SMS פג תוקף או שגוי',
  'code.too_many_tries': 'יותר מדי ניסיונות. נא לבקש קוד חדש',
  'code.cooldown': 'נא להמתין {seconds} שניות לפני בקשת קוד חדש',
  'flow.not_found': 'התהליך לא נמצא. נא להתחיל מחדש.',
  'flow.expired': 'תוקף התהליך פג. נא להתחיל מחדש.',
  'flow.changed': 'הטופס שונה בחלון אחר. נא לפתוח את הדף מחדש.',
  'flow.action_not_allowed': 'פעולה זו אינה אפשרית בשלב זה',

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
