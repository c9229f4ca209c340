/**
 * Persian: the base catalog, and so the type of every other catalog (a missing key in he or
 * en is a type error). Wording from GLOSSARY.md where the seeds give it (source in comments);
 * the seeds write تایید without hamza and no ZWNJ, and so do we where we quote them.
 */
export const fa = {
  'app.name': 'کلید',
  'app.tagline': 'ورود یکپارچه به سامانه‌های آموزش و پرورش',
  'lang.fa': 'فارسی',
  'lang.he': 'עברית',
  'lang.en': 'English',
  'common.language': 'زبان',
  'common.save': 'ذخیره', // 000:126, 000:158
  'common.confirm': 'تایید', // 000:250
  'common.sign_out': 'خروج',
  'common.home': 'صفحه اصلی',
  'common.skip': 'رفتن به محتوا',
  'common.errors_above': 'لطفاً موارد زیر را اصلاح کنید:',
  'common.required_mark': 'موارد ستاره دار اجباری می باشند', // 001:83

  'sign_in.title': 'ورود',
  'sign_in.identifier': 'نام کاربری (کد ملی یا کد کاربری)', // 000:33 username = national ID
  'sign_in.password': 'رمز عبور',
  'sign_in.submit': 'ورود', // 000:246
  'sign_in.invalid': 'نام کاربری یا رمز عبور صحیح نیست.',
  'sign_in.wait': 'تلاش‌های ناموفق زیاد بود. لطفاً {seconds} ثانیه دیگر دوباره تلاش کنید.',
  'sign_in.locked': 'به دلیل تلاش‌های ناموفق پیاپی، ورود به این حساب تا {minutes} دقیقه دیگر ممکن نیست.',
  'sign_in.address_limited': 'از این نشانی تلاش‌های ناموفق زیادی انجام شده است. لطفاً {minutes} دقیقه دیگر دوباره تلاش کنید.',
  'sign_in.signed_out': 'از سامانه خارج شدید.',
  'sign_in.session_expired': 'نشست شما به پایان رسیده است. لطفاً دوباره وارد شوید.',

  'identifier.required': 'لطفاً نام کاربری (کد ملی) را وارد نمایید',
  'identifier.invalid': 'نام کاربری باید کد ملی یا کد کاربری باشد',
  'national_id.required': 'لطفاً کد ملی را وارد نمایید',
  'national_id.format': 'در فیلد کد ملی فقط عدد وارد نمایید', // 001:87
  'national_id.checksum': 'کد ملی معتبر نیست', // 001:195

  'password.required': 'لطفاً رمز عبور را وارد نمایید', // 001:203
  'password.too_short': 'رمز عبور باید حداقل {min} کاراکتر باشد',
  'password.too_long': 'رمز عبور بیش از حد طولانی است (حداکثر {max} کاراکتر)',
  'password.needs_upper': 'رمز عبور باید حروف بزرگ داشته باشد',
  'password.needs_lower': 'رمز عبور باید حروف کوچک داشته باشد',
  'password.needs_digit': 'رمز عبور باید عدد داشته باشد',
  'password.needs_symbol': 'رمز عبور باید کاراکتر خاص داشته باشد',
  'password.common': 'این رمز عبور بسیار رایج است و به راحتی حدس زده می شود',
  'password.contains_identity': 'رمز عبور نباید کد ملی یا کد کاربری شما را داشته باشد',
  'password.mismatch': 'رمز عبور و تکرار آن یکسان نیستند',
  'password.same_as_current': 'رمز عبور جدید باید با رمز عبور فعلی متفاوت باشد',
  'password.policy': 'رمز انتخابی حداقل باید شامل {min} کاراکتر باشد و از حروف بزرگ، حروف کوچک، اعداد و کاراکترهای خاص تشکیل شده باشد', // 000:158

  'role_choice.title': 'نقش و سازمان خود را انتخاب کنید', // 000:250
  'role_choice.label': 'نقش و سازمان',
  'role_choice.none_active': 'شما در حال حاضر هیچ حکم فعالی ندارید. برای دسترسی به خدمات با مدیر مدرسه یا سازمان خود تماس بگیرید.',
  'role_choice.switch': 'تغییر نقش',
  'role_choice.invalid': 'این نقش برای شما فعال نیست',

  'role.student': 'دانش آموز',
  'role.teacher': 'معلم',
  'role.staff': 'کادر اجرایی',
  'role.deputy': 'معاون',
  'role.principal': 'مدیر',
  'role.father': 'پدر',
  'role.mother': 'مادر',
  'role.guardian': 'سرپرست',
  'role.district_admin': 'کارشناس منطقه',
  'role.province_admin': 'کارشناس استان',
  'role.ministry_admin': 'کارشناس وزارت',
  'role.university_staff': 'کاربر دانشگاه',
  'role.university_student': 'دانشجو',

  'change_password.title': 'تغییر کلمه عبور', // 000:154
  'change_password.current': 'رمز عبور قدیمی',
  'change_password.temporary': 'رمز عبور موقت',
  'change_password.new': 'رمز عبور جدید',
  'change_password.repeat': 'تکرار رمز عبور', // 001:108
  'change_password.success': 'کلمه عبور شما با موفقیت تغییر یافت', // 000:162
  'change_password.must_change': 'رمز عبور شما موقت است. پیش از ادامه، رمز عبور جدیدی انتخاب کنید.',
  'change_password.current_wrong': 'رمز عبور قدیمی صحیح نیست',
  'change_password.other_sessions_ended': 'ورود شما در دستگاه‌های دیگر پایان یافت.',

  'home.title': 'صفحه اصلی',
  'home.greeting': '{name}، خوش آمدید',
  'home.acting_as': 'نقش فعلی',
  'home.appointment': 'حکم', // 000:126
  'home.appointment_period': 'از {start} تا {end}',
  'home.appointment_open': 'از {start}',
  'home.services': 'خدمات', // 001:11
  'home.no_services': 'تا زمانی که حکم فعالی ندارید، دسترسی به خدمات ممکن نیست.',
  'home.user_code': 'کد کاربری',
  'home.username': 'نام کاربری',
  'service.exams': 'ثبت نام آزمون مدارس تیزهوشان', // 000:63
  'service.payslips': 'فیش حقوقی', // 000:97
  'service.parents': 'پورتال اولیا',
  'menu.change_password': 'تغییر کلمه عبور', // 000:154

  'error.title': 'خطا',
  'error.not_found': 'صفحه مورد نظر پیدا نشد.',
  'error.csrf': 'فرم منقضی شده یا نامعتبر است. لطفاً صفحه را دوباره باز کنید و دوباره تلاش کنید.',
  'error.session_required': 'برای ادامه ابتدا وارد شوید.',
  'error.access_denied': 'شما به این بخش دسترسی ندارید.',
  'error.must_change_password': 'ابتدا باید رمز عبور موقت خود را تغییر دهید.',
  'error.rate_limited': 'درخواست‌های شما بیش از حد مجاز است. لطفاً کمی بعد دوباره تلاش کنید.',
  'error.bad_request': 'درخواست نامعتبر است.',
  'error.field_invalid': 'مقدار این فیلد نامعتبر است',
  'error.field_too_long': 'مقدار این فیلد بیش از حد طولانی است',
  'error.unsupported_media': 'فقط درخواست‌های JSON پذیرفته می شوند.',
  'error.payload_too_large': 'حجم درخواست بیش از حد مجاز است.',
  'error.unexpected': 'خطای غیرمنتظره‌ای رخ داد. لطفاً دوباره تلاش کنید.',
  'error.back_home': 'بازگشت به صفحه اصلی',
} as const;

export type MessageKey = keyof typeof fa;
export type Catalog = Record<MessageKey, string>;
