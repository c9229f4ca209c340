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
  'lang.ar': 'العربية',
  'lang.en': 'English',
  'digits.choice': 'ارقام',
  'digits.arab': '٠١٢',
  'digits.latn': '012',
  'common.language': 'زبان',
  'common.save': 'ذخیره', // 000:126, 000:158
  'common.confirm': 'تایید', // 000:250
  'common.sign_out': 'خروج',
  'common.home': 'صفحه اصلی',
  'common.continue': 'ادامه',
  'common.skip': 'رفتن به محتوا',
  'common.errors_above': 'لطفاً موارد زیر را اصلاح کنید:',
  'common.required_mark': 'موارد ستاره دار اجباری می باشند', // 001:83

  'sign_in.title': 'ورود',
  'sign_in.for_app': 'برای ادامه به «{app}» وارد شوید.',
  'sign_in.continue_to_app': 'ادامه به «{app}»',
  'sign_in.identifier': 'نام کاربری (کد ملی یا کد کاربری)', // 000:33 username = national ID
  'sign_in.password': 'رمز عبور',
  'sign_in.submit': 'ورود', // 000:246
  'sign_in.invalid': 'نام کاربری یا رمز عبور صحیح نیست.',
  'sign_in.wait': 'تلاش‌های ناموفق زیاد بود. لطفاً {seconds} ثانیه دیگر دوباره تلاش کنید.',
  'sign_in.too_frequent': 'ورود به این حساب پشت‌سرهم بیش از حد انجام شده است. لطفاً {seconds} ثانیه دیگر دوباره تلاش کنید.',
  'sign_in.locked': 'به دلیل تلاش‌های ناموفق پیاپی، ورود به این حساب تا {minutes} دقیقه دیگر ممکن نیست.',
  'sign_in.address_limited': 'از این نشانی تلاش‌های ناموفق زیادی انجام شده است. لطفاً {minutes} دقیقه دیگر دوباره تلاش کنید.',
  'sign_in.captcha': 'بررسی امنیتی',
  'sign_in.captcha_required': 'تلاش‌های ناموفق زیاد بوده است. برای ادامه، بررسی امنیتی زیر را انجام دهید و دوباره وارد شوید.',
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
  'password.common': 'این رمز عبور بسیار رایج است و به راحتی حدس زده می‌شود',
  'password.contains_identity': 'رمز عبور نباید کد ملی یا کد کاربری شما را داشته باشد',
  'password.mismatch': 'رمز عبور و تکرار آن یکسان نیستند',
  'password.same_as_current': 'رمز عبور جدید باید با رمز عبور فعلی متفاوت باشد',
  'password.policy': 'رمز انتخابی حداقل باید شامل {min} کاراکتر باشد و از حروف بزرگ، حروف کوچک، اعداد و کاراکترهای خاص تشکیل شده باشد', // 000:158

  'role_choice.title': 'نقش و سازمان خود را انتخاب کنید', // 000:250
  'role_choice.label': 'نقش و سازمان',
  'role_choice.none_active': 'شما در حال حاضر هیچ حکم فعالی ندارید. برای دسترسی به خدمات با مدیر مدرسه یا سازمان خود تماس بگیرید.',
  'role_choice.switch': 'تغییر نقش',
  'role_choice.invalid': 'این نقش برای شما فعال نیست',
  'role_choice.required': 'لطفاً نقش و سازمان خود را انتخاب نمایید',

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
  'home.no_services_for_roles': 'هیچ یک از خدمات برای نقش‌های فعلی شما نیست.',
  'home.user_code': 'کد کاربری',
  'home.username': 'نام کاربری',
  'service.exams': 'ثبت نام آزمون مدارس تیز هوشان', // 000:63
  'service.payslips': 'فیش حقوقی', // 000:97
  'service.parents': 'پورتال اولیا',
  'menu.change_password': 'تغییر کلمه عبور', // 000:154

  'registration.title': 'ثبت نام', // 001:3
  'registration.rules_heading': 'متقاضی گرامی، لطفا مطالب زیر را با دقت مطالعه بفرمایید:', // 001:69
  'registration.rule_1': 'این روال ثبت نام، مربوط به دانشجویان و دانش آموختگان ایرانی دانشگاههای داخل و خارج از کشور است. دانشجویان غیر ایرانی شاغل به تحصیل در ایران، از طریق صفحه انگلیسی سامانه اقدام به ثبت نام نمایند', // 001:71 (شاعل → شاغل)
  'registration.rule_2': 'ثبت نام در سامانه، نیازمند داشتن آدرس ایمیل و شماره موبایل معتبر و در دسترس است. در صفحه دوم ثبت نام، باید کدهای تاییدیه که برای ایمیل و موبایل شما ارسال می شود را وارد کنید (هر دو کد) تا کار ادامه یابد. بنابراین ایمیل و موبایل خود را در دسترس داشته باشید', // 001:72
  'registration.rule_3': 'لازم است با شماره همراه و ایمیل شخصی خود در سامانه ثبت نام نمایید. اطلاع رسانی های بعدی و همچنین ورود به سامانه، بر اساس اطلاعات اولیه وارد شده توسط متقاضی انجام می شود', // 001:73
  'registration.rule_4': 'این مرحله، به منزله پیش ثبت نام می باشد و صرفا جهت تعیین نام کاربری (کد ملی شما) و رمز عبور می باشد', // 001:74
  'registration.rule_5': 'در مرحله بعد لازم است با نام کاربری (کد ملی) خود وارد سامانه شوید و اطلاعات ثبت نام خود را تکمیل نمایید. پیش از تکمیل ثبت نام و دریافت تایید، امکان ثبت هیچ درخواستی وجود ندارد', // 001:75
  'registration.international_rule_1': 'این روال ثبت نام، مربوط به دانشجویان غیر ایرانی شاغل به تحصیل در ایران است که با گذرنامه خود ثبت نام می کنند. دانشجویان و دانش آموختگان ایرانی از صفحه ثبت نام فارسی اقدام نمایند', // after 001:71
  'registration.international_rule_4': 'این مرحله، به منزله پیش ثبت نام می باشد و صرفا جهت تعیین رمز عبور می باشد. نام کاربری شما کد کاربری است که پس از ایجاد حساب با پیامک و ایمیل برای شما ارسال می شود', // after 001:74
  'registration.international_rule_5': 'در مرحله بعد لازم است با همان کد کاربری وارد سامانه شوید و اطلاعات ثبت نام خود را تکمیل نمایید. پیش از تکمیل ثبت نام و دریافت تایید، امکان ثبت هیچ درخواستی وجود ندارد', // after 001:75
  'registration.accept_rules': 'با قوانین گفته شده موافق هستم', // 001:79
  'registration.nationality': 'تابعیت', // 001:106
  'registration.citizen': 'ایرانی', // 001:107
  'registration.first_name': 'نام',
  'registration.last_name': 'نام خانوادگی',
  'registration.national_id': 'کد ملی',
  'registration.birth_date': 'تاریخ تولد (مثال: {example})',
  'registration.mobile': 'شماره موبایل', // 001:108
  'registration.email': 'پست الکترونیک', // 001:108
  'registration.password': 'رمز عبور',
  'registration.repeat': 'تکرار رمز عبور',
  'registration.captcha': 'بررسی امنیتی',
  'registration.send': 'ارسال', // 001:119
  // 001:111 names a «ارسال کد» button; the buttons of the seed's screenshots, and ours, read «پیامک» and «تماس» (GLOSSARY.md A15).
  'registration.codes_hint': '(کد فعال سازی پیامک) برای دریافت کد فعال سازی روی دکمه پیامک یا تماس کلیک نمایید',
  'registration.mobile_code': 'کد فعال سازی پیامک',
  'registration.email_code': 'کد فعال سازی پست الکترونیک',
  'registration.send_sms': 'پیامک', // 001:115
  'registration.send_call': 'تماس', // 001:115
  'registration.call_status': 'از طرف سیستم با شما تماس گرفته می شود', // 001:131
  'registration.being_created': 'حساب کاربری شما در حال ایجاد است.',
  'registration.sms_when_done': 'پس از پایان کار، پیامکی برای شما ارسال می‌شود.',
  'registration.step_identification': 'مشخصات',
  'registration.step_verification': 'تایید',
  'registration.step_finish': 'پایان',
  'registration.resend_email': 'ارسال دوباره کد پست الکترونیک',
  'registration.edit': 'ویرایش مشخصات',
  'otp.title': 'ورود با رمز یکبار مصرف',
  'otp.intro': 'می توانید با کد تایید وارد شوید. کد ملی (یا کد کاربری) خود را وارد کنید و «ارسال پیامک» را بزنید تا کد به تلفن همراه ثبت شده در حساب شما فرستاده شود.',
  'otp.send_sms': 'ارسال پیامک',
  'otp.send_call': 'اعلام کد با تماس تلفنی',
  'otp.code': 'کد تایید',
  'otp.code_sent': 'اگر مشخصات ثبت شده باشد، یک کد ۶ رقمی با پیامک به تلفن همراه حساب فرستاده شد.',
  'otp.code_called': 'اگر مشخصات ثبت شده باشد، با تلفن همراه حساب تماس گرفته می شود و کد ۶ رقمی خوانده می شود.',
  'otp.resend_sms': 'ارسال دوباره پیامک',
  'otp.resend_call': 'اعلام کد با تماس',
  'otp.edit': 'کد ملی دیگر',
  'otp.too_many_wrong': 'امروز برای این ورود بیش از حد مجاز کد نادرست وارد شده است. لطفاً با رمز عبور وارد شوید یا فردا دوباره تلاش کنید.',
  'otp.too_many': 'درخواست کد بیش از حد مجاز بوده است. لطفاً {minutes} دقیقه دیگر دوباره تلاش کنید یا با رمز عبور وارد شوید.',
  'sign_in.with_code': 'ورود با رمز یکبار مصرف (پیامک)',
  'sign_in.with_password': 'ورود با رمز عبور',
  'sign_in.forgot': 'رمز ورود را نمیدانم', // 000:50
  'sign_in.register': 'ثبت نام',
  'recovery.use_email': 'بازیابی با پست الکترونیک',
  'recovery.use_mobile': 'بازیابی با تلفن همراه',
  'recovery.intro_email': 'کد ملی (یا اگر کد ملی ندارید، کد کاربری) و پست الکترونیکی را که تأیید کرده اید وارد کنید. اگر مشخصات درست باشد، پیوند انتخاب رمز عبور جدید به همان نشانی فرستاده می شود.',
  'recovery.send_link': 'ارسال پیوند',
  'recovery.link_sent': 'اگر مشخصات درست باشد، پیوند انتخاب رمز عبور جدید به پست الکترونیک فرستاده شد. این پیوند یک بار و تا ۳۰ دقیقه کار می کند. می توانید این صفحه را ببندید.',
  'recovery.link_token': 'رمز پیوند (برای برنامه‌ها)',
  'recovery.open_link': 'باز کردن پیوند',
  'recovery.resend_link': 'ارسال دوباره پیوند',
  'recovery.choose_password': 'رمز عبور جدید خود را انتخاب کنید.',
  'recovery.link_invalid': 'این پیوند کار نمی‌کند: یا پیش از این به کار رفته، یا پیوند تازه تری فرستاده شده، یا کامل نیست. پیوند تازه بخواهید.',
  'recovery.link_expired': 'زمان این پیوند گذشته است. پیوند تازه بخواهید.',
  'recovery.link_title': 'انتخاب رمز عبور جدید',
  'recovery.link_continue': 'ادامه',
  'recovery.title': 'درخواست گذر واژه', // 000:187
  'recovery.intro': 'با وارد کردن کد ملی، سربرگ شناسنامه و شماره همراه و فشردن کلید تایید، در صورت صحیح بودن اطلاعات، کد بازیابی به شماره همراه ثبت شده پیامک می شود. شما بدون نیاز به مراجعه حضوری به مدیر، می توانید رمز جدید خود را تعیین کنید.', // 000:189, 000:171
  'recovery.intro_answer': 'کد ملی را وارد کنید، سوال امنیتی را که هنگام تعیین رمز عبور انتخاب کردید برگزینید، پاسخ آن را بنویسید و تایید را بزنید. در صورت صحیح بودن اطلاعات، کد بازیابی به شماره همراه ثبت شده پیامک می شود.',
  'recovery.serial': 'سربرگ شناسنامه (۶ رقم عددی وارد شود)', // 000:195
  'recovery.mobile': 'تلفن همراه', // 000:199
  'recovery.code_sent': 'اگر اطلاعات وارد شده صحیح باشد، کد بازیابی به شماره همراه ثبت شده پیامک شد. کد را وارد کنید و رمز عبور جدید را تعیین نمایید.',
  'recovery.code': 'کد بازیابی',
  'recovery.new_password': 'رمز عبور جدید',
  'recovery.resend': 'ارسال دوباره کد',
  'recovery.done': 'رمز عبور شما با موفقیت تغییر یافت. اکنون با کد ملی و رمز عبور جدید وارد شوید.', // 000:162, 000:205
  'recovery.start_again': 'شروع دوباره',
  'recovery.back_to_sign_in': 'بازگشت به صفحه ورود',
  'recovery.too_many_wrong': 'امروز برای بازیابی این حساب بیش از حد مجاز کد نادرست وارد شده است. لطفاً فردا دوباره تلاش کنید یا از مدیر مدرسه رمز عبور تازه بخواهید.',
  'recovery.too_many': 'درخواست‌های بازیابی زیاد بود. لطفاً {minutes} دقیقه دیگر دوباره تلاش کنید.',
  'registration.too_many': 'این مشخصات بیش از حد مجاز وارد شده است. لطفاً {minutes} دقیقه دیگر دوباره تلاش کنید.',
  'registration.too_many_today': 'این مشخصات امروز بیش از حد مجاز وارد شده است. لطفاً فردا دوباره تلاش کنید یا از مدرسه بخواهید شما را ثبت نام کند.',
  'serial.required': 'لطفاً سربرگ شناسنامه را وارد نمایید',
  'serial.invalid': 'سربرگ شناسنامه باید ۶ رقم عددی باشد', // 000:195
  'registration.already_registered_link': 'بازیابی رمز عبور',
  'profile.title': 'تکمیل اطلاعات ثبت نام',
  'profile.intro': 'پیش از تکمیل ثبت نام و دریافت تایید، امکان ثبت هیچ درخواستی وجود ندارد', // 001:75
  'profile.father_name': 'نام پدر',
  'profile.gender': 'جنسیت',
  'profile.choose': 'انتخاب کنید',
  'profile.female': 'زن',
  'profile.male': 'مرد',
  'profile.address': 'نشانی',
  'profile.postal_code': 'کد پستی',
  'profile.father_name_required': 'لطفاً نام پدر را وارد نمایید',
  'profile.gender_required': 'لطفاً جنسیت را انتخاب کنید',
  'profile.address_required': 'لطفاً نشانی را وارد نمایید',
  'profile.postal_code_invalid': 'کد پستی باید {digits} رقم باشد',
  'profile.awaiting_approval': 'اطلاعات شما ثبت شد و در انتظار تایید است. پس از تایید، خدمات در دسترس خواهند بود.',
  'send.too_many_for_recipient': 'برای این شماره یا نشانی پیام زیادی فرستاده شده است. لطفاً {seconds} ثانیه دیگر دوباره تلاش کنید.',
  'send.too_many_from_address': 'از این نشانی درخواست زیادی ارسال شده است. لطفاً {seconds} ثانیه دیگر دوباره تلاش کنید.',
  'send.budget_exhausted': 'ارسال پیامک موقتاً ممکن نیست. لطفاً کمی بعد دوباره تلاش کنید.',
  'nationality.use_citizen_page': 'شهروندان از صفحه فارسی ثبت نام ثبت نام نمایند',
  'passport.required': 'لطفاً شماره گذرنامه را وارد نمایید',
  'passport.invalid': 'شماره گذرنامه معتبر نیست',
  'passport.country_invalid': 'کشور صادرکننده گذرنامه را انتخاب کنید',
  'passport.already_registered': 'با این گذرنامه قبلاً ثبت نام شده است.',
  'passport.mismatch': 'نام یا تاریخ تولد با اطلاعات ثبت شده برای این گذرنامه مطابقت ندارد',
  'registration.foreign': 'غیر ایرانی',
  'registration.passport_number': 'شماره گذرنامه',
  'registration.passport_country': 'کشور صادرکننده گذرنامه',
  'registration.international_link': 'دانشجویان غیر ایرانی: ثبت نام از طریق صفحه انگلیسی',
  'registration.start_again': 'شروع دوباره ثبت نام',
  'rules.must_accept': 'برای ادامه باید با قوانین موافقت کنید',
  'nationality.use_english_page': 'دانشجویان غیر ایرانی از طریق صفحه انگلیسی سامانه ثبت نام نمایند',
  'first_name.required': 'لطفاً نام را وارد نمایید', // 001:191
  'last_name.required': 'لطفاً نام خانوادگی را وارد نمایید', // 001:193
  'birth_date.required': 'لطفاً تاریخ تولد را وارد نمایید', // 001:197
  'date.invalid': 'تاریخ وارد شده معتبر نیست',
  'mobile.required': 'لطفاً شماره موبایل را وارد نمایید', // 001:199
  'mobile.invalid': 'شماره موبایل باید ۱۱ رقم بوده، عدد اول آن صفر و عدد دوم آن ۹ باشد', // 001:88
  'email.required': 'لطفاً پست الکترونیک را وارد نمایید', // 001:201
  'email.invalid': 'پست الکترونیک معتبر نیست',
  'captcha.invalid': 'تصویر امنیتی صحیح نیست',
  'captcha.noscript': 'برای بررسی امنیتی باید جاوااسکریپت مرورگر روشن باشد؛ بدون آن فرم پذیرفته نمی‌شود. لطفاً جاوااسکریپت را روشن کنید یا از مرورگر دیگری استفاده کنید.',
  'captcha.image_label': 'تصویر امنیتی را وارد کنید:', // 001:117
  'captcha.image_alt': 'تصویر امنیتی: عددی پنج رقمی',
  'captcha.question': 'اگر تصویر را نمی‌بینید، به جای آن حاصل جمع {a} و {b} را وارد کنید.',
  'captcha.not_found': 'این تصویر امنیتی منقضی شده یا وجود ندارد.',
  'national_id.already_registered': 'با این کد ملی قبلاً ثبت نام شده است. اگر رمز عبور خود را فراموش کرده اید، از بازیابی رمز عبور استفاده کنید.',
  'registry.mismatch': 'نام، نام خانوادگی یا تاریخ تولد با اطلاعات ثبت احوال مطابقت ندارد',
  'registry.not_found': 'این کد ملی در اطلاعات ثبت احوال یافت نشد',
  'code.required': 'کد فعال سازی را وارد نمایید', // 001:113
  'code.format': 'کد فعال سازی شش رقم است',
  'code.not_sent': 'ابتدا کد فعال سازی را دریافت کنید',
  'code.expired': 'این کد منقضی شده است، لطفا کد جدیدی دریافت کنید',
  'code.invalid': 'کد صحیح نمی باشد',
  'code.activation_expired': 'کد فعال سازی قبلی منقضی شده است، لطفا مجددا اقدام به دریافت کد نمایید', // 001:137
  'code.activation_invalid': 'کد فعال سازی صحیح نمی باشد',
  'code.sms_invalid': 'کد فعال سازی پیامک شما منقضی شده و یا صحیح نمی باشد', // 001:205 (منتقضی → منقضی)
  'code.too_many_tries': 'تعداد تلاش‌ها بیش از حد مجاز است. لطفا مجددا اقدام به دریافت کد نمایید',
  'code.cooldown': 'لطفاً {seconds} ثانیه دیگر برای دریافت کد جدید صبر کنید',
  'flow.not_found': 'این فرایند پیدا نشد. لطفاً از ابتدا شروع کنید.',
  'flow.expired': 'مهلت این فرایند به پایان رسیده است. لطفاً از ابتدا شروع کنید.',
  'flow.changed': 'این فرم در صفحه دیگری تغییر کرده است. لطفاً صفحه را دوباره باز کنید.',
  'flow.action_not_allowed': 'این کار در این مرحله ممکن نیست',
  'flow.actions': 'کارها',
  'flow.available_in': 'تا {seconds} ثانیه دیگر',
  'code.valid_until': 'این کد تا ساعت {time} معتبر است.',

  'error.title': 'خطا',
  'error.not_found': 'صفحه مورد نظر پیدا نشد.',
  'error.csrf': 'فرم منقضی شده یا نامعتبر است. لطفاً صفحه را دوباره باز کنید و دوباره تلاش کنید.',
  'error.session_required': 'برای ادامه ابتدا وارد شوید.',
  'error.access_denied': 'شما به این بخش دسترسی ندارید.',
  'error.must_change_password': 'ابتدا باید رمز عبور موقت خود را تغییر دهید.',
  'error.rate_limited': 'درخواست‌های شما بیش از حد مجاز است. لطفاً کمی بعد دوباره تلاش کنید.',
  'error.bad_request': 'درخواست نامعتبر است.',
  'error.body_invalid': 'این درخواست فرم این مرحله نیست',
  'error.field_invalid': 'مقدار این فیلد نامعتبر است',
  'error.text_malformed': 'این مقدار نویسه‌های نامعتبر دارد؛ لطفاً آن را دوباره تایپ کنید',
  'error.field_too_long': 'مقدار این فیلد بیش از حد طولانی است',
  'error.unsupported_media': 'نوع محتوای این درخواست در این‌جا پذیرفته نمی‌شود.',
  'error.payload_too_large': 'حجم درخواست بیش از حد مجاز است.',
  'error.file_too_large': 'حجم فایل بیشتر از {mb} مگابایت است.',
  'error.one_file': 'فقط یک فایل بفرستید.',
  'error.too_many_fields': 'تعداد فیلدهای درخواست بیش از حد مجاز است.',
  'error.unavailable': 'سامانه چند لحظه در دسترس نیست. لطفاً چند ثانیه دیگر دوباره تلاش کنید.',
  'error.unexpected': 'خطای غیرمنتظره‌ای رخ داد. لطفاً دوباره تلاش کنید.',
  'error.busy': 'سامانه در حال حاضر شلوغ است. لطفاً {seconds} ثانیه دیگر دوباره تلاش کنید.',
  'error.back_home': 'بازگشت به صفحه اصلی',
  'error.back_to_form': 'بازگشت به فرم',
} as const;

export type MessageKey = keyof typeof fa;
export type Catalog = Record<MessageKey, string>;
