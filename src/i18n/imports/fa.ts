/**
 * Persian texts of the spreadsheet import and export (issue 13 §4): XLSX files, their cells'
 * problems, the zip checks, the background import's progress, the XLSX export. The other
 * locales must fill the same keys (a missing one is a type error).
 */
export const faImports = {
  'imports.intro': 'فایل CSV یا Excel (XLSX) با ستون های کد ملی، نقش، شروع و پایان حکم (اختیاری؛ شمسی یا میلادی) و برای اولیا کد ملی فرزند، و پست الکترونیک برای پیوند تعیین رمز عبور (اختیاری). سطر اول نام ستون هاست. اجرای دوباره همان فایل چیزی را تغییر نمی دهد.',
  'imports.file': 'فایل CSV یا XLSX',
  'import.formula_no_result': 'این خانه فرمول است و نتیجه ذخیره شده ندارد؛ فایل را در Excel باز و دوباره ذخیره کنید یا مقدار را بنویسید',
  'import.cell_error': 'مقدار این خانه خطاست (مانند ‎#REF!‎)',
  'import.merged_cell': 'خانه های ادغام شده پذیرفته نیست؛ ادغام را بردارید و هر خانه را پر کنید',
  'import.cell_unreadable': 'مقدار این خانه خوانده نشد',
  'import.not_xlsx': 'فایل Excel (XLSX) معتبر نیست. اگر فایل CSV است، پسوند آن را ‎.csv‎ بگذارید؛ اگر فایل قدیمی ‎.xls‎ یا ‎.ods‎ است، آن را در Excel با قالب «Excel Workbook (.xlsx)» یا «CSV UTF-8» ذخیره کنید.',
  'import.zip_bomb': 'فایل XLSX بیش از حد بزرگ است یا بیش از حد فشرده شده است و خوانده نشد.',
  'import.xlsx_no_sheet': 'فایل XLSX هیچ برگه ای ندارد.',
  'import.xlsx_other_sheets': 'فقط برگه اول («{name}») خوانده شد؛ {count} برگه دیگر نادیده گرفته شد.',
  'import.xlsx_hidden_sheet': 'برگه اول («{name}») پنهان است، ولی خوانده شد.',
  'import.send_file': 'بدنه درخواست باید فایل CSV (Content-Type: text/csv) یا فرم multipart با یک فایل ‎.csv‎ یا ‎.xlsx‎ باشد.',
  'imports.export_xlsx': 'خروجی Excel',
  'imports.sheet_name': 'کاربران',
  'imports.yes': '✓',
  'imports.job_title': 'ورود از فایل',
  'imports.job_running': 'در حال ورود: {done} از {total} سطر بررسی شد.',
  'imports.job_queued': 'فایل دریافت شد و ورود آن به زودی آغاز می شود.',
  'imports.job_refresh': 'این صفحه خودبه خود به روز می شود.',
  'imports.job_failed': 'ورود این فایل انجام نشد و چیزی ذخیره نشد.',
  'imports.job_started': 'فایل بزرگ است و ورود آن در پس زمینه انجام می شود.',
  'imports.job_progress': 'پیشرفت ورود',
} as const;

export type ImportsKey = keyof typeof faImports;
