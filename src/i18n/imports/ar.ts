import type { ImportsKey } from './fa.ts';

/** Arabic texts of the spreadsheet import and export (see fa.ts; the words are those of docs/arabic-terms.md). */
export const arImports: Record<ImportsKey, string> = {
  'imports.intro': 'ملف CSV أو Excel (XLSX) بأعمدة: الرقم الوطني، والدور، وبداية التعيين ونهايته (اختيارية؛ بالتقويم الهجري الشمسي أو الميلادي)، والرقم الوطني للابن لأولياء الأمور، وعنوان البريد الإلكتروني لروابط تعيين كلمة المرور (اختياري). يحمل الصف الأول أسماء الأعمدة. استيراد الملف نفسه مرة أخرى لا يغير شيئًا.',
  'imports.file': 'ملف CSV أو XLSX',
  'import.formula_no_result': 'هذه الخلية صيغة بلا نتيجة محفوظة؛ افتح الملف في Excel واحفظه، أو اكتب القيمة',
  'import.cell_error': 'تحتوي هذه الخلية على قيمة خطأ (مثل #REF!)',
  'import.merged_cell': 'الخلايا المدمجة غير مقبولة؛ ألغِ دمجها واملأ كل خلية',
  'import.cell_unreadable': 'تعذرت قراءة قيمة هذه الخلية',
  'import.not_xlsx': 'هذا ليس ملف Excel (XLSX) صالحًا. إن كان ملف CSV، فاجعل امتداده .csv؛ وإن كان ملف .xls أو .ods قديمًا، فاحفظه في Excel بصيغة «مصنف Excel (.xlsx)» أو «CSV UTF-8».',
  'import.zip_bomb': 'ملف XLSX هذا كبير جدًا أو مضغوط أكثر من اللازم، فلم تتم قراءته.',
  'import.xlsx_no_sheet': 'لا توجد ورقة عمل في ملف XLSX هذا.',
  'import.xlsx_other_sheets': 'قُرئت الورقة الأولى فقط («{name}»)؛ وتُجوهلت الأوراق الأخرى، وعددها {count}.',
  'import.xlsx_hidden_sheet': 'الورقة الأولى («{name}») مخفية، لكنها قُرئت.',
  'import.send_file': 'يجب أن يكون متن الطلب ملف CSV (Content-Type: text/csv) أو نموذج multipart فيه ملف واحد .csv أو .xlsx.',
  'imports.export_xlsx': 'تصدير إلى Excel',
  'imports.sheet_name': 'المستخدمون',
  'imports.yes': '✓',
  'imports.job_title': 'الاستيراد من ملف',
  'imports.job_running': 'جارٍ الاستيراد: الصفوف المفحوصة {done} من {total}.',
  'imports.job_queued': 'استُلم الملف؛ ويبدأ استيراده بعد قليل.',
  'imports.job_refresh': 'تتحدث هذه الصفحة تلقائيًا.',
  'imports.job_failed': 'تعذر استيراد هذا الملف؛ ولم يُحفظ شيء.',
  'imports.job_started': 'الملف كبير: يجري استيراده في الخلفية.',
  'imports.job_progress': 'تقدم الاستيراد',
};
