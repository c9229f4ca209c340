import type { ImportsKey } from './fa.ts';

/** Hebrew texts of the spreadsheet import and export (see fa.ts). */
export const heImports: Record<ImportsKey, string> = {
  'imports.intro': 'קובץ CSV או Excel (XLSX) עם העמודות מספר זהות, תפקיד, תחילת מינוי וסיום מינוי (לא חובה; תאריך עברי-שמסי או לועזי), להורים מספר הזהות של הילד, וכתובת דואר אלקטרוני לקישור לקביעת סיסמה (לא חובה). השורה הראשונה היא שמות העמודות. ייבוא חוזר של אותו קובץ אינו משנה דבר.',
  'imports.file': 'קובץ CSV או XLSX',
  'import.formula_no_result': 'התא הזה הוא נוסחה ללא תוצאה שמורה; פתחו ושמרו את הקובץ ב-Excel, או הקלידו את הערך',
  'import.cell_error': 'בתא הזה ערך שגיאה (כמו ‎#REF!‎)',
  'import.merged_cell': 'תאים ממוזגים אינם מתקבלים; בטלו את המיזוג ומלאו כל תא',
  'import.cell_unreadable': 'לא ניתן לקרוא את ערך התא',
  'import.not_xlsx': 'זה אינו קובץ Excel ‏(XLSX) תקין. אם זה קובץ CSV, תנו לו את הסיומת ‎.csv‎; אם זה קובץ ‎.xls‎ או ‎.ods‎ ישן, שמרו אותו ב-Excel כ-"Excel Workbook (.xlsx)" או כ-"CSV UTF-8".',
  'import.zip_bomb': 'קובץ ה-XLSX גדול מדי או דחוס מדי, ולא נקרא.',
  'import.xlsx_no_sheet': 'בקובץ ה-XLSX אין גיליון.',
  'import.xlsx_other_sheets': 'נקרא רק הגיליון הראשון („{name}”); {count} גיליונות אחרים לא נקראו.',
  'import.xlsx_hidden_sheet': 'הגיליון הראשון („{name}”) מוסתר, אך הוא נקרא.',
  'import.send_file': 'גוף הבקשה חייב להיות קובץ CSV ‏(Content-Type: text/csv) או טופס multipart עם קובץ ‎.csv‎ או ‎.xlsx‎ אחד.',
  'imports.export_xlsx': 'ייצוא ל-Excel',
  'imports.sheet_name': 'משתמשים',
  'imports.yes': '✓',
  'imports.job_title': 'ייבוא מקובץ',
  'imports.job_running': 'מייבא: {done} מתוך {total} שורות נבדקו.',
  'imports.job_queued': 'הקובץ התקבל; הייבוא יתחיל בקרוב.',
  'imports.job_refresh': 'הדף מתעדכן מעצמו.',
  'imports.job_failed': 'לא ניתן היה לייבא את הקובץ; דבר לא נשמר.',
  'imports.job_started': 'הקובץ גדול: הוא מיובא ברקע.',
  'imports.job_progress': 'התקדמות הייבוא',
};
