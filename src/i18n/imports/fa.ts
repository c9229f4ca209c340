/**
 * Persian texts of a school's user file, imported and exported: the import's form, report and
 * refusals (issue 5 §7), XLSX files, their cells' problems, the zip checks, the background
 * import's progress, the XLSX export (issue 13 §4). The other locales must fill the same keys
 * (a missing one is a type error).
 */
export const faImports = {
  'imports.intro': 'فایل CSV یا Excel (XLSX) با ستون‌های کد ملی، نقش، شروع و پایان حکم (اختیاری؛ شمسی یا میلادی) و برای اولیا کد ملی فرزند، و پست الکترونیک برای پیوند تعیین رمز عبور (اختیاری). سطر اول نام ستون هاست. اجرای دوباره همان فایل چیزی را تغییر نمی‌دهد.',
  'imports.file': 'فایل CSV یا XLSX',
  'import.formula_no_result': 'این خانه فرمول است و نتیجه ذخیره شده ندارد؛ فایل را در Excel باز و دوباره ذخیره کنید یا مقدار را بنویسید',
  'import.cell_error': 'مقدار این خانه خطاست (مانند ‎#REF!‎)',
  'import.merged_cell': 'خانه‌های ادغام شده پذیرفته نیست؛ ادغام را بردارید و هر خانه را پر کنید',
  'import.cell_unreadable': 'مقدار این خانه خوانده نشد',
  'import.not_xlsx': 'فایل Excel (XLSX) معتبر نیست. اگر فایل CSV است، پسوند آن را ‎.csv‎ بگذارید؛ اگر فایل قدیمی ‎.xls‎ یا ‎.ods‎ است، آن را در Excel با قالب «Excel Workbook (.xlsx)» یا «CSV UTF-8» ذخیره کنید.',
  'import.zip_bomb': 'فایل XLSX بیش از حد بزرگ است یا بیش از حد فشرده شده است و خوانده نشد.',
  'import.xlsx_no_sheet': 'فایل XLSX هیچ برگه‌ای ندارد.',
  'import.xlsx_other_sheets': 'فقط برگه اول («{name}») خوانده شد؛ {count} برگه دیگر نادیده گرفته شد.',
  'import.xlsx_hidden_sheet': 'برگه اول («{name}») پنهان است، ولی خوانده شد.',
  'import.send_file': 'بدنه درخواست باید فایل CSV (Content-Type: text/csv) یا فرم multipart با یک فایل ‎.csv‎ یا ‎.xlsx‎ باشد.',
  'imports.export_xlsx': 'خروجی Excel',
  'imports.sheet_name': 'کاربران',
  'imports.yes': '✓',
  'imports.job_title': 'ورود از فایل',
  'imports.job_running': 'در حال ورود: {done} از {total} سطر بررسی شد.',
  'imports.job_queued': 'فایل دریافت شد و ورود آن به زودی آغاز می‌شود.',
  'imports.job_refresh': 'این صفحه خودبه خود به روز می‌شود.',
  'imports.job_failed': 'ورود این فایل انجام نشد و چیزی ذخیره نشد.',
  'imports.job_started': 'فایل بزرگ است و ورود آن در پس زمینه انجام می‌شود.',
  'imports.job_progress': 'پیشرفت ورود',
  // The user file of a school (issue 5 §7): its form, its report and its refusals.
  'import.intro': 'فایل CSV با ستون‌های کد ملی، نقش، شروع و پایان حکم (اختیاری؛ شمسی یا میلادی) و برای اولیا کد ملی فرزند، و پست الکترونیک برای پیوند تعیین رمز عبور (اختیاری). اجرای دوباره همان فایل چیزی را تغییر نمی‌دهد.',
  'import.submit': 'بارگذاری',
  'import.report': 'گزارش ورود',
  'import.counts': '{created} مورد ایجاد شد، {existing} مورد از قبل وجود داشت، {rejected} مورد پذیرفته نشد.',
  'import.line': 'سطر',
  'import.outcome': 'نتیجه',
  'import.reasons': 'دلیل',
  'import.created': 'ایجاد شد',
  'import.existing': 'از قبل وجود داشت',
  'import.rejected': 'پذیرفته نشد',
  'import.more_rows': '{shown} سطر اول از {count} سطر نمایش داده شده است.',
  'import.no_file': 'فایلی انتخاب نشده است.',
  'import.bad_header': 'سطر اول فایل باید نام ستون‌ها باشد: national_id,role و در صورت نیاز start,end,child_national_id,email',
  'import.bad_header_unknown': 'سطر اول فایل باید نام ستون‌ها باشد: national_id,role و در صورت نیاز start,end,child_national_id,email. این‌ها از آن‌ها نیستند: {unknown}.',
  'import.oneroster_file': 'این فایل، یکی از فایل‌های خروجی OneRoster است (ستون sourcedId دارد). کل فایل zip خروجی OneRoster (manifest.csv، orgs.csv، users.csv و…) را از «ورود اطلاعات از OneRoster» بارگذاری کنید، نه یکی از فایل‌های آن را.',
  'import.too_many_rows': 'فایل بیش از ۱۰۰٬۰۰۰ سطر دارد؛ آن را چند بخش کنید.',
  'import.not_csv': 'فایل CSV معتبر نیست.',
  'import.not_csv_at': 'فایل در سطر {line} به شکل CSV خوانده نمی‌شود: خانه‌ای در آن سطر با گیومه (") باز می‌شود و در پایان خانه بسته نمی‌شود، یا سطر از {kb} کیلوبایت بلندتر است. خانه‌ای که با گیومه شروع می‌شود باید با گیومه تمام شود و هر گیومه‌ی درون آن دوتایی ("") نوشته شود؛ گیومه‌ی درون خانه‌ای که با گیومه شروع نمی‌شود همان‌طور که هست خوانده می‌شود.',
  'import.not_utf8': 'فایل متن UTF-8 نیست (سطر {line}). آن را با رمزگذاری UTF-8 ذخیره کنید (در Excel: CSV UTF-8).',
  'import.send_csv': 'بدنه درخواست باید فایل CSV باشد (Content-Type: text/csv).',
  'import.role_unknown': 'نقش شناخته نشد: یکی از نام‌های نقش را بنویسید (دانش آموز، معلم، کادر اجرایی، معاون، پدر، مادر، سرپرست)، به هر یک از زبان‌های کلید.',
  'import.start_invalid': 'تاریخ شروع نامعتبر است',
  'import.end_invalid': 'تاریخ پایان نامعتبر است',
  'import.child_invalid': 'کد ملی فرزند نامعتبر است',
  'import.duplicate_row': 'این کد ملی با همین نقش در سطرهای قبلی فایل آمده است',
  'import.child_not_for_role': 'کد ملی فرزند فقط برای پدر، مادر یا سرپرست است',
} as const;

export type ImportsKey = keyof typeof faImports;
