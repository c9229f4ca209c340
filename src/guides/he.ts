/**
 * Hebrew guides (F31): seed 3's steps in its words (GLOSSARY.md §18–§21: «הקלידו», «לחצו על»),
 * each label quoted by its catalog key (see guide.ts), so it reads exactly as the page shows it.
 */
import { line, type Guide, type GuideTopic } from './guide.ts';

const help = line`עדיין תקועים? שלחו פנייה אל ${'support.menu'} מרשימת השירותים בדף הבית; אם אינכם מצליחים להיכנס, לחצו על הקישור ${'support.ask_signed_out'} בדף הכניסה. לעולם אל תמסרו את הסיסמה לאיש, גם לא לתמיכה.`;
const adminHelp = line`עדיין תקועים? שלחו פנייה דרך ${'support.menu'} בדף הבית: פנייה של מנהל מגיעה למנהלים בדרג שמעליו (בית ספר לאזור, אזור למחוז). כל שינוי שאתם עושים נרשם ביומן האירועים.`;

export const heGuides: Record<GuideTopic, Guide> = {
  'sign-in': {
    title: 'כניסה עם סיסמה',
    intro: line`שם המשתמש הוא מספר תעודת הזהות (או, בלעדיו, קוד המשתמש); סיסמה אחת פותחת את כל מערכות משרד החינוך.`,
    before: [line`מספר תעודת הזהות או קוד המשתמש, והסיסמה. סיסמה ראשונה מתקבלת ממנהל בית הספר, מההרשמה, או מהקישור לקביעת סיסמה שבמייל.`],
    steps: [
      line`פתחו את הדף ${'sign_in.title'}.`,
      line`הקלידו את מספר הזהות או את קוד המשתמש בשדה ${'sign_in.identifier'}.`,
      line`הקלידו את הסיסמה בשדה ${'sign_in.password'} ולחצו על ${'sign_in.submit'}.`,
      line`אם יש לכם יותר מתפקיד אחד, בחרו את התפקיד שבו אתם פועלים כעת (ראו המדריך לבחירת תפקיד).`,
      line`אם הסיסמה זמנית, בחרו סיסמה חדשה לפני שממשיכים.`,
    ],
    problems: [
      { problem: line`שם המשתמש או הסיסמה שגויים.`, fix: line`בדקו את שפת המקלדת ואת Caps Lock ונסו שוב. אם שכחתם את הסיסמה, לחצו על ${'sign_in.forgot'}.` },
      { problem: line`היו ניסיונות כושלים רבים: הדף מבקש להמתין, או מציג ${'sign_in.captcha'}.`, fix: line`המתינו את הדקות שהדף מציין, או השלימו את האימות, ונסו שוב. החסימה מסתיימת מעצמה; גם מנהל בית הספר יכול לבטל אותה.` },
      { problem: line`הסיסמה אינה בהישג יד, אבל הטלפון הנייד רשום בחשבון.`, fix: line`השתמשו ב${'sign_in.with_code'}.` },
    ],
    help,
  },
  'one-time-code': {
    title: 'הזדהות באמצעות קוד אימות',
    intro: line`ניתן להזדהות באמצעות קוד אימות: במקום סיסמה, קוד נשלח לטלפון הנייד הרשום בחשבון.`,
    before: [line`מספר תעודת הזהות או קוד המשתמש, והטלפון הנייד הרשום בחשבון.`],
    steps: [
      line`בדף הכניסה לחצו על ${'sign_in.with_code'}.`,
      line`הקלידו את תעודת הזהות שלכם בשדה ${'sign_in.identifier'}.`,
      line`לחצו על ${'otp.send_sms'} וקוד האימות יישלח לטלפון הנייד שלכם (או ${'otp.send_call'} לשמוע אותו בשיחה).`,
      line`הקלידו את הקוד בשדה ${'otp.code'} ולחצו על ${'sign_in.submit'}.`,
    ],
    problems: [
      { problem: line`הקוד לא הגיע.`, fix: line`המתינו לסיום הספירה לאחור של הכפתור ולחצו על ${'otp.resend_sms'}. הקוד נשלח רק למספר הרשום בחשבון; אם השתנה, בקשו ממנהל בית הספר לעדכן אותו.` },
      { problem: line`תוקף הקוד פג, או שהוקלד שגוי פעמים רבות.`, fix: line`בקשו קוד חדש; רק הקוד האחרון פועל.` },
      { problem: line`התבקשו יותר מדי קודים.`, fix: line`המתינו את הדקות שהדף מציין, או השתמשו ב${'sign_in.with_password'}.` },
      { problem: line`הוקלד מספר זהות של אדם אחר.`, fix: line`לחצו על ${'otp.edit'} והקלידו את שלכם.` },
    ],
    help,
  },
  registration: {
    title: 'הרשמה',
    intro: line`ההרשמה קובעת את שם המשתמש (מספר הזהות) ואת הסיסמה. לאחר הכניסה משלימים את הפרטים, והשירותים נפתחים לאחר אישורם.`,
    before: [line`מספר תעודת הזהות, תאריך הלידה, וטלפון נייד וכתובת מייל אישיים שזמינים לכם עכשיו: קודי אימות נשלחים לשניהם.`],
    steps: [
      line`בדף הכניסה לחצו על ${'sign_in.register'}.`,
      line`קראו את התנאים, סמנו ${'registration.accept_rules'} ולחצו על ${'common.confirm'}.`,
      line`הקלידו ${'registration.first_name'}, ${'registration.last_name'}, ${'registration.national_id'}, תאריך לידה, ${'registration.mobile'} ו${'registration.email'}, בדיוק כמו במרשם האוכלוסין.`,
      line`הקלידו סיסמה בשדה ${'registration.password'} ושוב בשדה ${'registration.repeat'}.`,
      line`השלימו את ${'registration.captcha'} ולחצו על ${'registration.send'}.`,
      line`לחצו על ${'registration.send_sms'} (או ${'registration.send_call'}), הקלידו את הקודים בשדות ${'registration.mobile_code'} ו${'registration.email_code'}, ולחצו על ${'registration.send'}.`,
      line`יוצג ${'registration.being_created'} נשלח לך הודעת SMS בסיום התהליך; אז היכנסו והשלימו את הפרטים.`,
    ],
    problems: [
      { problem: line`${'code.activation_expired'}`, fix: line`הקוד תקף דקות ספורות. בקשו קוד חדש ב${'registration.send_sms'} או ב${'registration.resend_email'}.` },
      { problem: line`הדף אומר שמספר הזהות כבר רשום.`, fix: line`יש לכם כבר חשבון: עברו ל${'registration.already_registered_link'} ובחרו סיסמה חדשה.` },
      { problem: line`פרט הוקלד בטעות (הטלפון, המייל).`, fix: line`לחצו על ${'registration.edit'}, תקנו ובקשו קודים חדשים.` },
      { problem: line`השם או תאריך הלידה אינם תואמים למרשם.`, fix: line`הקלידו אותם בדיוק כמו בתעודת הזהות.` },
    ],
    help,
  },
  recovery: {
    title: 'שחזור סיסמה שנשכחה',
    intro: line`אפשר לבחור סיסמה חדשה בעצמכם, בלי לפנות למנהל: קוד נשלח בהודעת SMS לטלפון הנייד הרשום.`,
    before: [line`מספר תעודת הזהות והטלפון הנייד הרשום; לפי המערכת, גם מספר סידורי של תעודת הלידה, או שאלת הזיהוי שבחרתם והתשובה לה.`],
    steps: [
      line`בדף הכניסה לחצו על ${'sign_in.forgot'}.`,
      line`הקלידו ${'registration.national_id'} ו, לפי מה שהדף מבקש, ${'recovery.serial'} ו${'recovery.mobile'}, או בחרו ${'set_password.question'} והקלידו ${'set_password.answer'}.`,
      line`השלימו את ${'registration.captcha'} ולחצו על ${'common.confirm'}.`,
      line`הקלידו את הקוד מה-SMS בשדה ${'recovery.code'}, סיסמה חדשה בשדה ${'recovery.new_password'} ושוב בשדה ${'registration.repeat'}, ולחצו על ${'common.save'}.`,
      line`היכנסו עם מספר הזהות והסיסמה החדשה: ${'recovery.back_to_sign_in'}.`,
    ],
    problems: [
      { problem: line`הקוד לא הגיע.`, fix: line`אם הפרטים נכונים, הקוד נשלח לטלפון הנייד הרשום. המתינו לסיום הספירה ולחצו על ${'recovery.resend'}.` },
      { problem: line`מספר הטלפון השתנה.`, fix: line`לחצו על ${'recovery.use_email'} ואז על ${'recovery.send_link'}: קישור יגיע לכתובת הדוא"ל שאישרתם; פתחו אותו ולחצו על ${'recovery.link_continue'}.` },
      { problem: line`תוקף הקוד פג, או שהיו יותר מדי בקשות שחזור.`, fix: line`המתינו את הדקות שהדף מציין והתחילו מחדש; רק הקוד או הקישור האחרון פועלים.` },
    ],
    help,
  },
  'set-password': {
    title: 'קביעת סיסמה מהקישור שבמייל',
    intro: line`בית הספר או המשרד שלחו לכם מייל "סיסמה למערכות משרד החינוך באינטרנט" ובו קישור לקביעת סיסמה.`,
    before: [line`המייל עם הקישור, מספר תעודת הזהות, וכתובת דוא"ל שזמינה לכם עכשיו.`],
    steps: [
      line`שלב ראשון - כניסה: לחצו על הקישור שבמייל.`,
      line`שלב שני - אימות: הקלידו את ${'set_password.your_id'} ולחצו על ${'common.confirm'}.`,
      line`שלב שלישי - בחירת סיסמה: הקלידו ${'set_password.new_password'} והקלידו את הסיסמה בשנית בשדה ${'registration.repeat'}. ${'set_password.policy_link'}.`,
      line`בחרו ${'set_password.question'} שבאמצעותה תוכלו להזדהות במערכת במידת הצורך, והקלידו ${'set_password.answer'}.`,
      line`הקלידו ${'registration.email'} ולחצו על ${'common.save'}; הקלידו את ${'set_password.email_code'} ולחצו שוב על ${'common.save'}.`,
      line`שלב רביעי: יוצג ${'set_password.saved'} יחד עם קוד המשתמש שלכם, שהוא קבוע ואינו ניתן לשינוי. לחצו על ${'set_password.close'}, וכעת ניתן להזדהות עם קוד המשתמש והסיסמה החדשה.`,
    ],
    problems: [
      { problem: line`הדף אומר שהקישור כבר שימש, שתוקפו פג או שנשלח קישור חדש יותר.`, fix: line`לחצו על ${'set_password.new_link'}: קישור חדש יישלח למייל שבחשבון. רק הקישור האחרון פועל.` },
      { problem: line`מספר הזהות הוקלד שגוי כמה פעמים.`, fix: line`הקישור בוטל לביטחונכם; בקשו קישור חדש.` },
      { problem: line`הקוד לא הגיע למייל.`, fix: line`בדקו בתיקיית הספאם ובקשו את הקוד שוב.` },
    ],
    help,
  },
  'change-password': {
    title: 'שינוי סיסמה',
    intro: line`החליפו את הסיסמה שקיבלתם בסיסמה משלכם, מתוך החשבון.`,
    before: [line`הסיסמה הנוכחית.`],
    steps: [
      line`היכנסו ולחצו על ${'menu.change_password'} בתפריט שליד שמכם.`,
      line`הקלידו את הסיסמה הישנה בשדה ${'change_password.current'} (אחרי איפוס: ${'change_password.temporary'}).`,
      line`הקלידו סיסמה חדשה בשדה ${'change_password.new'} ושוב בשדה ${'change_password.repeat'}, ולחצו על ${'common.save'}.`,
      line`תוצג ההודעה ${'change_password.success'}.`,
    ],
    problems: [
      { problem: line`הסיסמה החדשה נדחית.`, fix: line`הדף מפרט מה חסר בה: אורך, אותיות גדולות וקטנות, ספרות, סימנים, או שהיא נפוצה מדי או מכילה את מספר הזהות.` },
      { problem: line`אינכם יודעים את הסיסמה הנוכחית.`, fix: line`צאו מהמערכת והשתמשו ב${'sign_in.forgot'}.` },
    ],
    help,
  },
  'role-choice': {
    title: 'בחירת תפקיד וארגון',
    intro: line`לאדם אחד יכולים להיות כמה מינויים (מנהל שגם מלמד, הורה לשני ילדים). לאחר הכניסה בוחרים באיזה מהם פועלים.`,
    before: [line`מינוי פעיל, שנרשם על ידי מנהל בית הספר או הארגון.`],
    steps: [
      line`לאחר הכניסה, הדף ${'role_choice.title'} מציג את התפקידים שלכם, כל אחד עם הארגון שלו.`,
      line`בחרו אחד תחת ${'role_choice.label'} ולחצו על ${'common.confirm'}.`,
      line`כדי להחליף מאוחר יותר, לחצו על ${'role_choice.switch'} בתפריט שליד שמכם.`,
    ],
    problems: [
      { problem: line`לא מוצג אף תפקיד.`, fix: line`אין לכם מינוי פעיל (אולי הסתיים עם שנת הלימודים). פנו למנהל בית הספר או לארגון לחידושו.` },
      { problem: line`מערכת אומרת שהתפקיד שלכם אינו מורשה.`, fix: line`עברו לתפקיד שהמערכת מיועדת לו.` },
    ],
    help,
  },
  support: {
    title: 'פנייה למוקד התמיכה',
    intro: line`שאלו שאלה או דווחו על תקלה בכתב. הפנייה מגיעה למנהלי בית הספר שלכם (פנייה של מנהל מגיעה לדרג שמעליו, ופנייה בלי כניסה מגיעה למשרד), והם יכולים להעביר אותה הלאה; התשובה חוזרת אליכם.`,
    before: [line`מה עשיתם ומה הדף הציג; אם זה עוזר, צילום מסך (PNG או JPEG, עד 1 MB). בלי כניסה, גם טלפון נייד או כתובת דואר אלקטרוני שאליהם תגיע התשובה.`],
    steps: [
      line`אחרי כניסה, פתחו את ${'support.menu'} ברשימת השירותים בדף הבית. אם אינכם מצליחים להיכנס, לחצו על הקישור ${'support.ask_signed_out'} בדף הכניסה.`,
      line`בחרו ${'support.category'}: ${'support.category_sign_in'}, ${'support.category_registration'}, ${'support.category_roles'} או ${'support.category_other'}.`,
      line`הקלידו ${'support.subject'} ו${'support.text'}; צרפו ${'support.screenshot'} אם הוא מראה את הבעיה.`,
      line`בלי כניסה, הקלידו ${'support.contact'} והשלימו את ${'registration.captcha'}.`,
      line`לחצו על ${'support.submit'}. הדף מציג את ${'support.reference'}: שמרו אותו. ההודעה שמביאה את התשובה מציינת אותו, וציינו אותו אם תפנו שוב באותו עניין.`,
      line`כדי לעקוב, פתחו את ${'support.my_requests'} (מתחת לרשימת השירותים בדף הבית): לכל פנייה מוצג ${'support.state'}: ${'support.state_open'}, ${'support.state_answered'} או ${'support.state_closed'}. פתחו פנייה וקראו בה את ${'support.replies'}.`,
    ],
    problems: [
      { problem: line`עדיין אין תשובה.`, fix: line`הפנייה נשארת ${'support.state_open'} עד שמישהו עונה; ייתכן שהועברה לדרג הממונה, ודף הפנייה מראה אצל מי היא עכשיו. אם בחשבון שלכם יש טלפון נייד או דואר אלקטרוני, התשובה נשלחת גם לשם.` },
      { problem: line`פניתם בלי כניסה ואין לכם רשימת פניות.`, fix: line`התשובה נשלחת רק לפרטי הקשר שהקלדתם; שמרו את מספר הפנייה כדי לציין אותה. אחרי שתוכלו להיכנס, פניות חדשות יופיעו ב${'support.my_requests'}.` },
      { problem: line`הדף אומר ששלחתם יותר מדי פניות.`, fix: line`המתינו מעט ונסו שוב; בינתיים ייתכן שהתשובה לפנייה קודמת כבר מחכה ב${'support.my_requests'}.` },
    ],
    help: line`אם גם ${'support.menu'} אינו עוזר, פנו בעצמכם למזכירות בית הספר. לעולם אל תכתבו את הסיסמה בפנייה: התמיכה אף פעם לא מבקשת אותה.`,
  },
  'admin-new-user': {
    title: 'הוספת משתמש ומינוי',
    intro: line`לפני שמנפיקים סיסמה יש להגדיר את המשתמש: מספר הזהות, התפקיד ותאריכי המינוי.`,
    before: [line`מספר הזהות של האדם; להורה, גם מספר הזהות של הילד.`],
    steps: [
      line`ב${'admin.users_title'} בחרו ${'admin.new_user'}.`,
      line`הקלידו ${'admin.col_national_id'} ולחצו על ${'admin.show_name'}: השם מהמרשם מוצג.`,
      line`בחרו ${'admin.col_role'} (ומעל בית ספר, גם ${'admin.col_organization'}).`,
      line`הקלידו ${'admin.issue_date'} ו${'admin.end_date'}.`,
      line`לאב, אם או אפוטרופוס הקלידו ${'admin.child_national_id'}. לחצו על ${'common.save'}.`,
    ],
    problems: [
      { problem: line`מספר הזהות נדחה.`, fix: line`בדקו את עשר הספרות.` },
      { problem: line`לא ניתן לתת תפקיד זה כאן, או שלאדם כבר יש אותו בתאריכים אלה.`, fix: line`בחרו תפקיד שמותר לכם לתת, או ערכו את המינוי הקיים.` },
      { problem: line`הילד לא נמצא.`, fix: line`הילד צריך להיות תלמיד באחד מבתי הספר שלכם; הוסיפו קודם את התלמיד.` },
    ],
    help: adminHelp,
  },
  'admin-appointments': {
    title: 'עריכה, סיום וחידוש של מינויים',
    intro: line`מינוי נותן לאדם תפקיד בארגון בין שני תאריכים; הגישה נקבעת לפיו.`,
    before: [line`מספר הזהות של האדם, או התפקיד שאת מינוייו מחדשים.`],
    steps: [
      line`ב${'admin.users_title'} מצאו את האדם (מספר זהות ותפקיד, ואז ${'admin.search'}) ולחצו על שמו.`,
      line`תחת ${'admin.appointments'} לחצו על ${'admin.edit'}, שנו את ${'admin.issue_date'} או ${'admin.end_date'} ולחצו על ${'common.save'}.`,
      line`כדי לסיים מינוי מהיום, לחצו על ${'admin.end_appointment'}.`,
      line`בסוף שנת הלימודים לחצו על ${'admin.renew_all'} מתחת לטבלת המשתמשים, בדקו את הרשימה ואשרו (או ${'admin.cancel'}).`,
    ],
    problems: [
      { problem: line`תאריך הסיום לפני תאריך ההתחלה.`, fix: line`תקנו את התאריכים.` },
      { problem: line`אין מה לחדש.`, fix: line`כל המינויים ברשימה כבר חודשו או טרם התחילו; חידוש נוסף אינו משנה דבר.` },
    ],
    help: adminHelp,
  },
  'admin-reset': {
    title: 'איפוס סיסמה של משתמש',
    intro: line`כשמורה או תלמיד אינם מצליחים להיכנס, אפשר לתת להם סיסמה זמנית חדשה; בכניסה הבאה הם בוחרים סיסמה משלהם.`,
    before: [line`מספר הזהות והתפקיד של המשתמש.`],
    steps: [
      line`ב${'admin.users_title'} הקלידו ${'admin.col_national_id'}, בחרו ${'admin.col_role'} ולחצו על ${'admin.search'}.`,
      line`בסוף שורת המשתמש לחצו על שני החצים ⇄ (${'admin.reset'}).`,
      line`לשאלה ${'admin.reset_confirm'} לחצו על ${'common.confirm'}.`,
      line`${'admin.reset_hand_over'} היא מוצגת פעם אחת בלבד.`,
    ],
    problems: [
      { problem: line`אין ⇄ בשורה.`, fix: line`אפשר לאפס רק תפקידים שמתחת לשלכם, לעולם לא את החשבון שלכם: את הסיסמה שלכם משנים מהתפריט.` },
      { problem: line`המשתמש יכול לשחזר בעצמו.`, fix: line`הפנו אותו ל${'sign_in.forgot'} בדף הכניסה, בלי צורך להגיע.` },
    ],
    help: adminHelp,
  },
  'admin-bulk-passwords': {
    title: 'סיסמאות לקבוצה',
    intro: line`הנפיקו סיסמאות זמניות לקבוצת משתמשים בבת אחת, עם פתקים להדפסה.`,
    before: [line`המשתמשים צריכים להיות מוגדרים מראש (ראו הוספת משתמש).`],
    steps: [
      line`פתחו את ${'admin.bulk_passwords'}.`,
      line`ב${'admin.user_type'} בחרו למשל ${'admin.type_teachers'} ולחצו על ${'admin.search'}.`,
      line`סמנו את התיבה שליד כל שם (או השתמשו בכפתור לכל המתאימים).`,
      line`לחצו על ${'admin.change_passwords'} והמתינו: דף ההתקדמות מתרענן מעצמו.`,
      line`לחצו על ${'admin.batch_show'}. ${'admin.batch_hand_over'}`,
    ],
    problems: [
      { problem: line`חלק מהאנשים נמצאים באצווה שטרם הסתיימה.`, fix: line`פתחו אותה והציגו קודם את סיסמאותיה; אחרת הפתקים המודפסים שלה יהיו שגויים.` },
      { problem: line`הסיסמאות אינן מוצגות עוד.`, fix: line`הן מוצגות פעם אחת ולזמן מוגבל. הנפיקו שוב.` },
    ],
    help: adminHelp,
  },
  'admin-import': {
    title: 'ייבוא משתמשים מקובץ',
    intro: line`הגדירו משתמשים ומינויים רבים בבת אחת מקובץ CSV או Excel (XLSX); הדוח מציג את תוצאת כל שורה. הרצת אותו קובץ שוב אינה משנה דבר.`,
    before: [
      line`קובץ CSV בקידוד UTF-8, או קובץ XLSX שהעמודות בגיליון הראשון שלו; השורה הראשונה היא שמות העמודות: national_id, role, ולפי הצורך start, end, child_national_id, email.`,
      line`קובץ ה-zip של OneRoster 1.2 ממערכת בית הספר מיובא דרך הקישור ${'oneroster.title'} שבדף זה; הדף ההוא מסביר איך לציין את הארגון שלכם ב-orgs.csv.`,
    ],
    steps: [
      line`פתחו את ${'admin.import'}.`,
      line`מעל בית ספר, בחרו ${'admin.col_organization'}.`,
      line`בחרו את הקובץ ב${'imports.file'}. כדי לשלוח קישורים לקביעת סיסמה, סמנו ${'import.send_invitations'}.`,
      line`לחצו על ${'import.submit'} וקראו את ${'import.report'}: כל שורה אומרת אם נוצרה, כבר הייתה קיימת או נדחתה ומדוע. קובץ גדול מיובא ברקע: דף ההתקדמות מתרענן מעצמו עד שהדוח מוכן, ואפשר לסגור אותו ולחזור אליו מאוחר יותר.`,
    ],
    problems: [
      { problem: line`הקובץ אינו UTF-8 או ששורתו הראשונה שגויה.`, fix: line`ב-Excel שמרו כ-"CSV UTF-8" או כ-"Excel Workbook (.xlsx)" ובדקו את שמות העמודות.` },
      { problem: line`קובץ ה-XLSX נדחה.`, fix: line`קובצי xls ו-ods ישנים אינם XLSX: ב-Excel שמרו כ-"Excel Workbook (.xlsx)".` },
      { problem: line`חלק מהשורות נדחו.`, fix: line`תקנו אותן והעלו את הקובץ שוב: שורות שכבר נוצרו אינן משתנות.` },
    ],
    help: adminHelp,
  },
  'admin-oneroster': {
    title: 'ייבוא קובץ ייצוא של OneRoster',
    intro: line`מביא לקליד את ייצוא OneRoster 1.2 של מערכת בית הספר: בתי הספר, האנשים והמינויים שלהם, והקישור בין הורים לילדיהם. ייבוא חוזר של אותו קובץ zip אינו משנה דבר.`,
    before: [
      line`קובץ ה-zip שמערכת בית הספר ייצאה: manifest.csv, orgs.csv, users.csv, roles.csv או enrollments.csv (או שניהם), ואם יש, academicSessions.csv; כולם בשורש ה-zip או כולם בתיקייה אחת (דחסו את התיקייה שבה נמצאים הקבצים עצמם, לא את התיקייה שמעליה).`,
      line`הקבצים בקידוד UTF-8. הארגון שלכם הוא השורה ב-orgs.csv שה-sourcedId שלה הוא המזהה שלו בקליד או שה-identifier שלה הוא הקוד שלו; הדף ${'oneroster.title'} מציג אותם. שורות הארגונים שמעל הארגון שלכם נשארות כפי שהן.`,
      line`ב-users.csv, מספר הזהות של כל אדם ב-userIds, בצורה {national_id:012345674}, או ב-identifier; התפקיד של כל אדם בכל ארגון ב-roles.csv (OneRoster 1.2), או בעמודות role ו-orgSourcedIds של users.csv (גרסה 1.1), או לפי enrollments.csv; ילדיו של הורה או אפוטרופוס לפי ה-sourcedId שלהם ב-agentSourcedIds. תאריכים בצורה 2026-09-23.`,
    ],
    steps: [
      line`פתחו את ${'admin.import'} ולחצו על הקישור ${'oneroster.title'}.`,
      line`בחרו את קובץ ה-zip ב${'oneroster.file'} ולחצו על ${'oneroster.submit'}.`,
      line`קראו את הדוח: לכל קובץ, מה נוצר, עודכן או נשאר ללא שינוי; את המינויים מכל הקבצים, ובשמו את מי שתאריכי מינויו הוזזו (מה היו ומה הם) או שמינויו הסתיים; את שנת הלימודים של שורות ללא תאריכים; ואחר כך כל שורה שנדחתה, לפי קובץ, שורה, עמודה ומה שכתוב בתא.`,
    ],
    problems: [
      { problem: line`קובץ ה-zip נדחה כולו, ודבר לא נשמר.`, fix: line`ההודעה מציינת את הקובץ הבעייתי ומה לתקן: תיקייה עמוקה מדי, קבצים בשני מקומות, שם קובץ באותיות גדולות וקטנות שגויות, קובץ שאינו UTF-8. תקנו והעלו את קובץ ה-zip שוב.` },
      { problem: line`שורות "אינן תחת הארגון שלכם".`, fix: line`ציינו את הארגון שלכם ב-orgs.csv לפי המזהה שלו בקליד או הקוד שלו, ואת בתי הספר שתחתיו לפי parentSourcedId.` },
      { problem: line`שורות "לצד הארגון שלכם ולא תחתיו".`, fix: line`הייצוא כולל גם בתי ספר אחרים של האזור: השורות שלהם אינן מיובאות. ייצאו את הארגון שלכם בלבד, או התעלמו משורות אלה.` },
      { problem: line`סגן או עובד משרד שמופיע כ-administrator הפך לעובד.`, fix: line`קובץ אינו הופך איש למנהל אלא אם כתוב בו principal או districtAdministrator: את הסגנים ממנים במערכת. מנהל או סגן שמונו במערכת שומרים על המינוי, ושורת ה-administrator בקובץ מתקבלת במקומו.` },
      { problem: line`אדם לא נמצא במרשם האוכלוסין.`, fix: line`בדקו את מספר הזהות ב-userIds: קליד לעולם אינו יוצר אדם מתוך קובץ.` },
    ],
    help: adminHelp,
  },
  'admin-invitations': {
    title: 'שליחת קישורים לקביעת סיסמה',
    intro: line`במקום למסור סיסמאות, שלחו לאנשים במייל קישור שבו הם קובעים סיסמה בעצמם.`,
    before: [line`כתובת דוא"ל בחשבון של כל אחד.`],
    steps: [
      line`לאדם אחד: פתחו את הדף שלו ב${'admin.users_title'}, לחצו על ${'invitation.send'} ועל ${'common.confirm'}.`,
      line`לרבים: פתחו את ${'invitation.bulk_title'}, בחרו סוג ב${'admin.user_type'}, לחצו על ${'admin.search'}, סמנו את האנשים ולחצו על ${'invitation.send_selected'}.`,
      line`דף ההתקדמות מפרט למי לא נשלח קישור ומדוע (אין מייל, אין מספר זהות, חשבון מושבת).`,
    ],
    problems: [
      { problem: line`לאדם אין מייל.`, fix: line`אפסו את הסיסמה שלו במקום זאת ומסרו לו אותה.` },
      { problem: line`הקישור כבר אינו פועל אצלו.`, fix: line`רק הקישור האחרון פועל; שלחו חדש.` },
    ],
    help: adminHelp,
  },
  'admin-approvals': {
    title: 'אישור הרשמות',
    intro: line`מי שנרשם בעצמו אינו יכול להגיש דבר עד שההרשמה מאושרת.`,
    before: [line`הרשאה לאשר חשבונות (מנהלי המשרד).`],
    steps: [
      line`פתחו את ${'approvals.title'}.`,
      line`בדקו את שמו של כל אחד ואת עמודת ${'approvals.registry'}: האם הפרטים תואמים למרשם האוכלוסין.`,
      line`לחצו על ${'approvals.approve'} בשורה שלו.`,
    ],
    problems: [
      { problem: line`האדם אינו במרשם.`, fix: line`הפרטים הם הצהרה שלו: בדקו אותם מולו לפני האישור.` },
    ],
    help: adminHelp,
  },
  'admin-announcements': {
    title: 'פרסום הודעות',
    intro: line`מנהלי המשרד, המחוז, האזור ובית הספר מפרסמים הודעות לאנשי הארגון שלהם, לפי הצורך לתפקידים נבחרים, בין שני תאריכים; ההודעות מוצגות בדף הבית, החדשה ביותר למעלה.`,
    before: [line`תוכן ההודעה (טקסט פשוט; כתובות שמתחילות ב-https:// הופכות לקישורים), למי היא מיועדת, והתאריכים.`],
    steps: [
      line`פתחו את ${'announcements.title'} ולחצו על ${'announcements.new'}.`,
      line`הקלידו ${'announcements.field_title'} ו${'announcements.field_text'}.`,
      line`בחרו ${'announcements.field_organization'}: ההודעה מוצגת בו ובכל מה שמתחתיו. תחת ${'announcements.field_roles'} סמנו תפקידים, או אף אחד לכולם.`,
      line`הקלידו ${'announcements.field_starts'} ו${'announcements.field_ends'}, או השאירו ריק לתקופת ברירת המחדל.`,
      line`לחצו על ${'announcements.publish'}. מאוחר יותר, ${'announcements.edit'} משנה אותה ו${'announcements.withdraw'} מורידה אותה.`,
    ],
    problems: [
      { problem: line`התוכן נדחה.`, fix: line`יש בו תווי כיווניות בלתי נראים (כמו RLO), שמגיעים לרוב עם טקסט מועתק: הסירו אותם. HTML אינו מופעל; הוא מוצג כפי שהוקלד.` },
      { problem: line`איש אינו רואה את ההודעה.`, fix: line`בדקו את התאריכים והתפקידים: היא מוצגת רק בין תאריכיה ורק לתפקידים שסומנו.` },
    ],
    help: adminHelp,
  },
  'admin-clients': {
    title: 'מערכות מחוברות (לקוחות OpenID)',
    intro: line`מערכות שמכניסות אנשים באמצעות קליד, או קוראות ל-API שלו, נרשמות כאן.`,
    before: [line`שם המערכת ו${'clients.col_redirects'} המדויקות שמפתחיה מוסרים לכם.`],
    steps: [
      line`פתחו את ${'clients.title'} ולחצו על ${'clients.new'}.`,
      line`מלאו את הטופס (${'clients.col_name'}, סוג ושימושים, כתובות והרשאות) ולחצו על ${'clients.register'}.`,
      line`העתיקו את ${'clients.secret_label'}, המוצג פעם אחת, למאגר הסודות של המערכת.`,
      line`כדי לשנות את השם, ${'clients.col_names'}, הכתובות, ה-scopes או התפקידים של מערכת לחצו על ${'clients.edit'}, שנו אותם ולחצו על ${'clients.save'}; השינוי חל מיד. ${'clients.col_id'}, הבעלות, הסוג ואופן השימוש נשארים כפי שנרשמו.`,
      line`להחלפת הסוד לחצו על ${'clients.rotate'}; להסרה לחצו על ${'clients.remove'}. שתי הפעולות מבקשות אישור.`,
    ],
    problems: [
      { problem: line`כתובת נדחית.`, fix: line`ההודעה מציינת את הכתובת ואת הכלל שהופר. כתבו כל כתובת בדיוק כפי שהמערכת שולחת אותה, כל אחת בשורה משלה, ב-https, או ב-http רק עבור localhost, ללא רווחים וללא תווים בלתי נראים; הכתובות של מערכת צד שלישי כולן על מארח אחד.` },
      { problem: line`הדף אומר שהמערכת שונתה מאז שפתחתם את הטופס.`, fix: line`מישהו אחר שינה אותה, או שהסוד שלה הוחלף: הטופס מציג אותה כעת כפי שהיא. הזינו את השינויים שוב ולחצו על ${'clients.save'}.` },
      { problem: line`אחרי שינוי, המשתמשים נותקו מהמערכת.`, fix: line`הסרת scope או תפקיד, או שינוי סוג האסימונים, מסיימת את הכניסות למערכת, כדי שאיש לא ישמור יותר ממה שמותר לה עכשיו. המשתמשים נכנסים שוב, בלי סיסמה אם הם מחוברים לקליד.` },
      { problem: line`הסוד אבד.`, fix: line`אי אפשר להציג אותו שוב: לחצו על ${'clients.rotate'} ומסרו את החדש למערכת.` },
    ],
    help: adminHelp,
  },
  'admin-support': {
    title: 'מענה לפניות למוקד התמיכה',
    intro: line`פניות מגיעות למנהלי הארגון שבו הפונה פועל; פנייה של מנהל עולה לדרג שמעליו, ופנייה בלי כניסה מגיעה למשרד. אתם רואים כל פנייה בארגון שלכם ובכל מה שמתחתיו.`,
    before: [line`הרשאה לענות לפניות (לכל המנהלים, בכל דרג: בית ספר, אזור, מחוז ומשרד).`],
    steps: [
      line`פתחו את ${'support.queue_title'} בסרגל הניווט של דפי הניהול.`,
      line`תחת ${'support.state'} בחרו ${'support.state_open'} ולחצו על ${'support.filter'}; פתחו פנייה לפי ${'support.reference'} שלה.`,
      line`קראו את הפנייה: ${'support.requester'}, ${'support.origin'}, הדף שממנו הגיעה, ו${'support.screenshot_link'} אם יש.`,
      line`הקלידו ${'support.reply'} ולחצו על ${'support.reply_submit'}: הפונה מקבל הודעה ב-SMS או בדואר אלקטרוני אם יש לו טלפון נייד או דואר אלקטרוני במערכת (אחרת יראה את התשובה ב${'support.my_requests'}), והפנייה מסומנת ${'support.state_answered'}.`,
      line`אם נדרש הדרג הממונה (החלטה או הרשאה שאין לכם), לחצו על ${'support.escalate'}: הפנייה עוברת למנהלי הארגון שמעליכם ויוצאת מהרשימה שלכם.`,
      line`כשלא נשאר מה לעשות, לחצו על ${'support.close'}; פנייה סגורה נשארת לקריאה אבל אינה מקבלת תשובות נוספות.`,
    ],
    problems: [
      { problem: line`אין כפתור ${'support.escalate'}.`, fix: line`הפנייה במשרד, הדרג העליון: ענו לה או סגרו אותה.` },
      { problem: line`פנייה נעלמה מהרשימה.`, fix: line`היא הועברה לדרג הממונה: היא אצלו עכשיו, עם התשובות שכבר ניתנו.` },
      { problem: line`הפונה פנה בלי כניסה.`, fix: line`כל אחד יכול לכתוב כל דבר בלי כניסה: לעולם אל תכתבו סיסמה או פרטים אישיים בתשובה. הפנו אותו לשחזור סיסמה, או אפסו את סיסמתו אחרי שבדקתם מי הוא.` },
    ],
    help: adminHelp,
  },
};
