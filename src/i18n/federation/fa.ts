/**
 * Persian texts of single sign-on (issue 10): the provider's pages, the staff entry, the
 * consent and refusal pages; the other locales must fill the same keys (a missing one is a
 * type error). Seed wording where the seeds give it (GLOSSARY §2, §11).
 */
export const faFederation = {
  'sign_in.done': 'وارد شدید.',
  'sign_in.staff_title': 'ورود کارکنان سازمان‌ها', // cf. 001:30 «ورود کاربران دانشگاه به سیستم»
  'sign_in.staff_lead': 'ورود معلمان، کادر اجرایی، مدیران و کارشناسان با همان نام کاربری و رمز عبور',
  'sign_in.staff_link': 'ورود کارکنان سازمان‌ها',
  'sign_in.everyone_link': 'ورود دانش آموزان و اولیا',
  'role_choice.no_staff_role': 'شما در حال حاضر حکم فعالی به عنوان کارمند یا معلم ندارید. برای ورود دانش آموزان و اولیا از صفحه ورود عمومی استفاده کنید.',
  'oidc.sign_in_again': 'سامانه‌ای که از آن آمده‌اید خواسته است دوباره وارد شوید.',
  'oidc.error.invalid_request': 'درخواست سامانه متصل نامعتبر است. به آن سامانه برگردید و دوباره تلاش کنید.',
  'oidc.error.invalid_client': 'این سامانه در «کلید» ثبت نشده است.',
  'oidc.error.invalid_redirect_uri': 'نشانی بازگشت این سامانه در «کلید» ثبت نشده است؛ برای امنیت شما به آن بازگردانده نمی‌شوید.',
  'oidc.error.access_denied': 'دسترسی رد شد.',
  'oidc.error.invalid_scope': 'این سامانه اطلاعاتی خواسته است که اجازه آن را ندارد.',
  'oidc.error.unauthorized_client': 'این سامانه اجازه این نوع ورود را ندارد.',
  'oidc.error.login_required': 'ابتدا باید وارد شوید.',
  'oidc.error.other': 'ورود به سامانه متصل انجام نشد.',
  'oidc.logout_title': 'خروج',
  'oidc.logout_question': 'آیا می‌خواهید از «کلید» و همه سامانه‌هایی که با آن وارد شده‌اید خارج شوید؟',
  'oidc.logout_yes': 'بله، خارج شوم',
  'oidc.logout_no': 'نه، فقط از این سامانه',
  'oidc.already_signed_out': 'شما از «کلید» خارج شده‌اید. برای بازگشت به سامانه ادامه دهید.',
  'oidc.continue': 'ادامه',
  'oidc.logged_out_title': 'خارج شدید',
  'oidc.logged_out': 'از «کلید» و سامانه‌های متصل خارج شدید.',
  'oidc.left_app': 'از این سامانه خارج شدید، ولی هنوز در «کلید» هستید. روی رایانه‌ای که دیگران هم با آن کار می‌کنند، از «کلید» هم خارج شوید.',
  'oidc.to_home': 'رفتن به «کلید» برای خروج',
  'oidc.consent_title': 'اجازه دسترسی',
  'oidc.consent_lead': 'سامانه «{app}» می‌خواهد این اطلاعات شما را ببیند:',
  'oidc.consent_allow': 'اجازه می‌دهم',
  'oidc.consent_deny': 'اجازه نمی‌دهم',
  'oidc.scope_profile': 'نام، نام خانوادگی و زبان شما',
  'oidc.scope_national_id': 'کد ملی شما',
  'oidc.scope_phone': 'شماره تلفن همراه شما',
  'oidc.scope_email': 'پست الکترونیک شما',
  'oidc.scope_roles': 'نقش‌ها و احکام فعال شما (مدرسه، منطقه، استان) و نقشی که با آن وارد می‌شوید',
  'oidc.scope_children': 'فرزندان شما: نام، کد ملی، مدرسه و پایه',
  'oidc.scope_offline_access': 'دسترسی پس از خروج شما (تا زمانی که اجازه را پس بگیرید)',
  'oidc.refused_title': 'ورود به این سامانه ممکن نیست',
  'oidc.refused_no_role': 'سامانه «{app}» برای نقش‌های شما نیست. اگر نقش دیگری دارید، با حساب دیگری وارد شوید یا با مدیر مدرسه تماس بگیرید.',
  'oidc.refused_pending': 'ثبت نام شما هنوز کامل یا تایید نشده است؛ تا آن زمان امکان استفاده از سامانه «{app}» نیست.',
  'oidc.back_to_app': 'بازگشت به «{app}»',
  'oidc.other_account': 'ورود با حساب دیگر',
  'oidc.role_for_app': 'با کدام نقش وارد «{app}» می‌شوید؟',
  'oidc.expired_title': 'درخواست ورود منقضی شده است',
  'oidc.expired': 'این درخواست ورود پیدا نشد یا منقضی شده است. به سامانه‌ای که از آن آمده‌اید برگردید و دوباره وارد شوید.',
} as const;

export type FederationKey = keyof typeof faFederation;
