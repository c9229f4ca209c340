import type { SetPasswordKey } from './fa.ts';

/**
 * Hebrew texts of set password (see fa.ts): seed 3's wizard word for word where it gives the
 * words (GLOSSARY.md §19, source lines noted; OCR damage mended as A18 says), the plural
 * address of its guide elsewhere.
 */
export const heSetPassword: Record<SetPasswordKey, string> = {
  'set_password.title': 'קביעת סיסמה', // 002:31
  'set_password.start_again': 'פתחו שוב את הקישור שבמייל',
  'set_password.step_identification': 'פרטי זיהוי', // 002:43
  'set_password.step_verification': 'אימות', // 002:43
  'set_password.step_choose': 'בחירת סיסמה', // 002:43
  'set_password.step_finish': 'סיום', // 002:43
  'set_password.token': 'הקוד מהקישור שבמייל',
  'set_password.token_intro': 'לקביעת סיסמה, היכנסו למייל שנשלח אליכם ממשרד החינוך – "סיסמה למערכות משרד החינוך באינטרנט" ולחצו על הקישור, או הדביקו כאן את הקישור.', // 002:35
  'set_password.token_required': 'נא להדביק את הקישור או את הקוד שבו',
  'set_password.link_invalid': 'הקישור אינו תקין. פתחו את הקישור המלא מהמייל.',
  'set_password.your_id': 'מספר הזהות שלך', // 002:44
  'set_password.identify_intro': 'לצורך קביעת סיסמה יש להזין מספר זהות.', // 002:44 («סיסמהיש»: a space lost, A18)
  'set_password.id_mismatch': 'מספר הזהות אינו תואם את הקישור. נותרו {left} ניסיונות.',
  'set_password.new_password': 'סיסמה חדשה', // 002:50
  'set_password.question': 'שאלת זיהוי', // 002:56
  'set_password.question_first_school': 'מה היה שם בית הספר הראשון שלמדת בו?',
  'set_password.question_first_teacher': 'מה היה שם המשפחה של המורה הראשון שלך?',
  'set_password.question_childhood_friend': 'מה היה שמו של החבר הכי טוב שלך בילדות?',
  'set_password.question_childhood_street': 'באיזה רחוב גרת בילדותך?',
  'set_password.question_father_birth_city': 'באיזו עיר נולד אביך?',
  'set_password.answer': 'תשובה תואמת לשאלה', // 002:58
  'set_password.choose_intro': 'הקלידו סיסמה חדשה ואת הסיסמה בשנית, ובחרו שאלת זיהוי שבאמצעותה תוכלו להזדהות במערכת במידת הצורך.', // 002:50–56
  'set_password.policy': 'מדיניות הסיסמה: {url}',
  'set_password.policy_link': 'למדיניות הסיסמה לחצו כאן', // 002:52
  'set_password.question_required': 'נא לבחור שאלת זיהוי',
  'set_password.answer_required': 'נא להקליד תשובה תואמת לשאלה',
  'set_password.answer_too_short': 'התשובה צריכה להכיל לפחות 2 תווים',
  'set_password.email_code': 'קוד האימות מהמייל',
  'set_password.email_code_sent': 'קוד אימות נשלח אל {email}. הקלידו אותו כדי לשמור.',
  'set_password.resend_code': 'שליחת קוד חדש',
  'set_password.change_email': 'שינוי כתובת הדוא"ל',
  'set_password.link_used': 'כבר נקבעה סיסמה באמצעות קישור זה, והוא אינו פעיל עוד.',
  'set_password.link_expired': 'תוקף הקישור פג.',
  'set_password.link_replaced': 'נשלח אליכם קישור חדש יותר; רק הקישור האחרון פעיל.',
  'set_password.link_password_changed': 'הסיסמה של חשבון זה שונתה אחרי שנשלח הקישור, והקישור כבר אינו פעיל. היכנסו עם הסיסמה החדשה או בקשו קישור חדש.',
  'set_password.link_wrong_ids': 'מספר הזהות הוקלד שגוי כמה פעמים, ולכן הקישור בוטל לביטחונכם.',
  'set_password.new_link': 'שלחו לי קישור חדש',
  'set_password.new_link_sent': 'אם רשומה בחשבון כתובת דוא"ל, נשלח אליה קישור חדש.',
  'set_password.new_link_wait': 'נא להמתין {seconds, plural, one {שנייה אחת} other {# שניות}} ולנסות שוב',
  'set_password.saved': 'פרטיך נשמרו בהצלחה!', // 002:68
  'set_password.your_user_code': 'קוד המשתמש שלכם: {code}', // 002:76
  'set_password.user_code_permanent': 'קוד המשתמש שלכם הנו קבוע ואינו ניתן לשינוי!', // 002:78
  'set_password.sign_in_now': 'כעת ניתן לחזור לפורטל ולהזדהות עם הקוד משתמש והסיסמה החדשה שהגדרתם. אישור נשלח אליכם במייל.', // 002:80 (בעת: כעת, A18)
  'set_password.close': 'סגירה', // 002:69
  'policy.title': 'מדיניות הסיסמה',
  'policy.intro': 'הסיסמה צריכה:',
  'policy.min_length': 'להכיל לפחות {min} תווים',
  'policy.max_length': 'להכיל לכל היותר {max} תווים',
  'policy.upper': 'להכיל אות גדולה (למשל A עד Z)',
  'policy.lower': 'להכיל אות קטנה (למשל a עד z)',
  'policy.digit': 'להכיל ספרה',
  'policy.symbol': 'להכיל תו מיוחד (כגון ! או - או @)',
  'policy.not_common': 'לא להיות סיסמה נפוצה שקל לנחש',
  'policy.no_identity': 'לא להכיל את מספר הזהות או את קוד המשתמש',
  'policy.keyboards': 'ספרות בכל מקלדת נחשבות זהות; אפשר להקליד את הסיסמה בכל מקלדת.',
  'invitation.send': 'שליחת קישור לקביעת סיסמה',
  'invitation.confirm': 'האם לשלוח למשתמש זה במייל קישור לקביעת סיסמה?',
  'invitation.confirm_hint': 'הקישור יישלח אל {email} ויהיה בתוקף {hours, plural, one {שעה אחת} other {# שעות}}; קישורים קודמים יפסיקו לפעול.',
  'invitation.sent': 'קישור לקביעת סיסמה נשלח אל {email}.',
  'invitation.no_email': 'למשתמש זה לא רשומה כתובת דוא"ל, ולכן אי אפשר לשלוח לו קישור. אפשר לאפס את הסיסמה במקום זאת.',
  'invitation.no_national_id': 'למשתמש זה אין מספר זהות, ולכן אינו יכול לקבוע סיסמה בקישור.',
  'invitation.disabled': 'החשבון מושבת.',
  'invitation.batch_overlaps': 'לאחד או יותר מהמשתמשים שנבחרו עדיין נשלחים קישורים בשליחה קבוצתית.',
  'invitation.bulk_title': 'קישורים לקביעת סיסמה',
  'invitation.bulk_intro': 'למשתמשים שנבחרו יישלח במייל קישור לקביעת סיסמה. משתמשים ללא כתובת דוא"ל ידולגו.',
  'invitation.send_selected': 'שליחת קישורים',
  'invitation.send_all': 'שליחת קישורים לכולם ({count})',
  'invitation.send_all_more': 'שליחת קישורים לכולם (יותר מ-{count})',
  'invitation.running': 'שולח קישורים: {done} מתוך {total}',
  'invitation.done': 'נשלחו קישורים ל-{sent} משתמשים; {skipped} דולגו.',
  'invitation.skipped_title': 'משתמשים שלא נשלח אליהם קישור',
  'invitation.reason': 'סיבה',
  'invitation.reason_no_email': 'אין כתובת דוא"ל',
  'invitation.reason_no_national_id': 'אין מספר זהות',
  'invitation.reason_disabled': 'החשבון מושבת',
  'invitation.email_on_record': 'כתובת דוא"ל',
  'invitation.email_unverified': '(לא אומתה)',
  'import.send_invitations': 'לשלוח קישור לקביעת סיסמה למשתמשים שבקובץ שיש להם כתובת דוא"ל',
  'import.invitations_started': 'הקישורים לקביעת סיסמה נשלחים ברקע.',
  'import.invitations_progress': 'מעקב אחר השליחה',
  'import.email_invalid': 'כתובת הדוא"ל אינה תקינה',
};
