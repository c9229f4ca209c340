/**
 * Arabic guides (F31): the English guides' steps in the words of docs/arabic-terms.md
 * («اكتب»، «اضغط»، «اختر»), each label quoted by its catalog key (see guide.ts), so it reads
 * exactly as the page shows it. Where the English names one profile's ways (Persian digits,
 * Iranian months, a Solar Hijri date), the Arabic says what holds in both, as the Hebrew does.
 */
import { line, type Guide, type GuideTopic } from './guide.ts';

const help = line`ما زلت تواجه مشكلة؟ أرسل طلبًا إلى ${'support.menu'} من الخدمات في صفحتك الرئيسية؛ وإن لم تستطع تسجيل الدخول، فاستخدم رابط ${'support.ask_signed_out'} في صفحة تسجيل الدخول. لا تعطِ كلمة المرور لأحد أبدًا، ولا لموظفي الدعم.`;
const adminHelp = line`ما زلت تواجه مشكلة؟ أرسل طلبًا من ${'support.menu'} في صفحتك الرئيسية: يذهب طلب المسؤول إلى المسؤولين في المستوى الأعلى (تسأل المدرسة منطقتها التعليمية، وتسأل المنطقة محافظتها). وكل تغيير تجريه يُسجل في سجل أحداث لوحة الإدارة.`;

export const arGuides: Record<GuideTopic, Guide> = {
  'sign-in': {
    title: 'تسجيل الدخول بكلمة المرور',
    intro: line`اسم المستخدم هو رقمك الوطني (أو رمز المستخدم إن لم يكن لك رقم وطني)؛ وكلمة مرور واحدة تفتح كل خدمات الوزارة.`,
    before: [line`رقمك الوطني أو رمز المستخدم، وكلمة المرور. تحصل على أول كلمة مرور من مدير مدرستك، أو عند التسجيل.`],
    steps: [
      line`افتح صفحة ${'sign_in.title'}.`,
      line`اكتب رقمك الوطني أو رمز المستخدم في حقل ${'sign_in.identifier'}. تُقبل الأرقام العربية والفارسية واللاتينية.`,
      line`اكتب كلمة المرور في حقل ${'sign_in.password'} واضغط ${'sign_in.submit'}.`,
      line`إن كان لك أكثر من دور، فاختر الدور الذي تعمل به الآن (انظر دليل اختيار الدور).`,
      line`إن كانت كلمة المرور مؤقتة، فاختر كلمة مرور جديدة قبل المتابعة.`,
    ],
    problems: [
      { problem: line`خطأ في اسم المستخدم أو كلمة المرور.`, fix: line`تحقق من لغة لوحة المفاتيح ومن مفتاح Caps Lock، ثم حاول مجددًا. وإن نسيت كلمة المرور، فاضغط ${'sign_in.forgot'}.` },
      { problem: line`محاولات فاشلة كثيرة: تطلب منك الصفحة الانتظار، أو تعرض ${'sign_in.captcha'}.`, fix: line`انتظر الدقائق التي تذكرها الصفحة، أو أكمل التحقق، ثم حاول مرة أخرى. ينتهي القفل من تلقاء نفسه، ويستطيع مدير مدرستك أيضًا رفعه.` },
      { problem: line`ليست معك كلمة المرور، لكن هاتفك مسجل.`, fix: line`استخدم ${'sign_in.with_code'} بدلًا من ذلك.` },
    ],
    help,
  },
  'one-time-code': {
    title: 'تسجيل الدخول برمز لمرة واحدة',
    intro: line`بدلًا من كلمة المرور، يُرسل رمز إلى الهاتف المحمول المسجل في حسابك.`,
    before: [line`رقمك الوطني أو رمز المستخدم، والهاتف المحمول المسجل في حسابك.`],
    steps: [
      line`في صفحة تسجيل الدخول اضغط ${'sign_in.with_code'}.`,
      line`اكتب رقمك الوطني أو رمز المستخدم في حقل ${'sign_in.identifier'}.`,
      line`اضغط ${'otp.send_sms'}، أو ${'otp.send_call'} لتسمع الرمز في مكالمة هاتفية.`,
      line`اكتب الرمز الذي وصلك في حقل ${'otp.code'} واضغط ${'sign_in.submit'}.`,
    ],
    problems: [
      { problem: line`لم يصل أي رمز.`, fix: line`انتظر حتى ينتهي العد التنازلي على الزر، ثم اضغط ${'otp.resend_sms'}. لا يُرسل الرمز إلا إلى الرقم المسجل في الحساب؛ فإن تغير رقمك، فاطلب من مدير مدرستك تحديثه.` },
      { problem: line`انتهت صلاحية الرمز، أو كُتب خطأً مرات كثيرة.`, fix: line`اطلب رمزًا جديدًا؛ فلا يعمل إلا أحدث رمز.` },
      { problem: line`طُلبت رموز كثيرة جدًا.`, fix: line`انتظر الدقائق التي تذكرها الصفحة، أو استخدم ${'sign_in.with_password'}.` },
      { problem: line`كتبت الرقم الوطني لشخص آخر.`, fix: line`اضغط ${'otp.edit'} واكتب رقمك.` },
    ],
    help,
  },
  registration: {
    title: 'التسجيل',
    intro: line`التسجيل هنا تسجيل مبدئي: يحدد اسم المستخدم (رقمك الوطني) وكلمة المرور. بعد تسجيل الدخول تستكمل بياناتك، وتُفتح الخدمات بعد اعتمادها.`,
    before: [line`رقمك الوطني، وتاريخ ميلادك، وهاتف محمول شخصي وعنوان بريد إلكتروني تستطيع الوصول إليهما الآن: تُرسل الرموز إلى كليهما.`],
    steps: [
      line`في صفحة تسجيل الدخول اضغط ${'sign_in.register'}.`,
      line`اقرأ القواعد، وحدد ${'registration.accept_rules'} واضغط ${'common.confirm'}.`,
      line`املأ حقول ${'registration.first_name'} و${'registration.last_name'} و${'registration.national_id'} وتاريخ الميلاد و${'registration.mobile'} و${'registration.email'}، تمامًا كما في السجل المدني.`,
      line`اختر كلمة مرور، واكتبها في حقل ${'registration.password'} ثم مرة أخرى في حقل ${'registration.repeat'}.`,
      line`أكمل ${'registration.captcha'} واضغط ${'registration.send'}.`,
      line`اضغط ${'registration.send_sms'} (أو ${'registration.send_call'} لتسمع الرمز)، ثم اكتب الرمزين في حقلي ${'registration.mobile_code'} و${'registration.email_code'}، واضغط ${'registration.send'}.`,
      line`تعرض الصفحة: ${'registration.being_created'} وتصلك رسالة نصية حين يصبح الحساب جاهزًا؛ عندها سجّل الدخول واستكمل بياناتك.`,
    ],
    problems: [
      { problem: line`${'code.activation_expired'}`, fix: line`الرموز صالحة لدقائق معدودة. اطلب رمزًا جديدًا بزر ${'registration.send_sms'} أو ${'registration.resend_email'}.` },
      { problem: line`تقول الصفحة إن الرقم الوطني مسجل من قبل.`, fix: line`لديك حساب من قبل: اتبع رابط ${'registration.already_registered_link'} لتختار كلمة مرور جديدة.` },
      { problem: line`كُتب أحد البيانات خطأً (الهاتف المحمول أو البريد الإلكتروني).`, fix: line`اضغط ${'registration.edit'}، وصححه، واطلب رموزًا جديدة.` },
      { problem: line`اسمك أو تاريخ ميلادك لا يطابق السجل المدني.`, fix: line`اكتبهما تمامًا كما في شهادة ميلادك.` },
    ],
    help,
  },
  recovery: {
    title: 'استعادة كلمة مرور منسية',
    intro: line`تستطيع أن تختار كلمة مرور جديدة بنفسك، دون مراجعة المدير: يُرسل رمز إلى الهاتف المحمول المسجل في حسابك.`,
    before: [line`رقمك الوطني والهاتف المحمول المسجل في حسابك؛ وبحسب الخدمة، الرقم التسلسلي لشهادة ميلادك أيضًا، أو سؤال التحقق من الهوية الذي اخترته وإجابته.`],
    steps: [
      line`في صفحة تسجيل الدخول اضغط ${'sign_in.forgot'}.`,
      line`اكتب ${'registration.national_id'}، ثم إما ${'recovery.serial'} و${'recovery.mobile'}، وإما ${'set_password.question'} و${'set_password.answer'}، بحسب ما تطلبه الصفحة.`,
      line`أكمل ${'registration.captcha'} واضغط ${'common.confirm'}.`,
      line`اكتب الرمز الذي وصلك برسالة نصية في حقل ${'recovery.code'}، وكلمة المرور الجديدة في حقل ${'recovery.new_password'} ثم مرة أخرى في حقل ${'registration.repeat'}، واضغط ${'common.save'}.`,
      line`سجل الدخول برقمك الوطني وكلمة المرور الجديدة: ${'recovery.back_to_sign_in'}.`,
    ],
    problems: [
      { problem: line`لم يصل أي رمز.`, fix: line`إن كانت البيانات مطابقة، يُرسل الرمز إلى الهاتف المحمول المسجل. انتظر حتى ينتهي العد التنازلي، ثم اضغط ${'recovery.resend'}.` },
      { problem: line`تغير رقم هاتفك المحمول.`, fix: line`اضغط ${'recovery.use_email'}، ثم ${'recovery.send_link'}: يصل رابط إلى بريدك الإلكتروني المؤكد؛ افتحه واضغط ${'recovery.link_continue'}.` },
      { problem: line`انتهت صلاحية الرمز، أو قُدمت طلبات استعادة كثيرة جدًا.`, fix: line`انتظر الدقائق التي تذكرها الصفحة وابدأ من جديد؛ فلا يعمل إلا أحدث رمز أو رابط.` },
    ],
    help,
  },
  'set-password': {
    title: 'تعيين كلمة المرور من الرابط المرسل بالبريد الإلكتروني',
    intro: line`أرسلت إليك مدرستك أو الوزارة رسالة بريد إلكتروني بعنوان «كلمة المرور لأنظمة وزارة التربية والتعليم الإلكترونية»، فيها رابط لتعيين كلمة المرور.`,
    before: [line`رسالة البريد الإلكتروني التي فيها الرابط، ورقمك الوطني، وعنوان بريد إلكتروني تستطيع قراءته الآن.`],
    steps: [
      line`افتح الرابط الوارد في الرسالة.`,
      line`اكتب ${'set_password.your_id'} واضغط ${'common.confirm'}.`,
      line`اكتب ${'set_password.new_password'} ثم مرة أخرى في حقل ${'registration.repeat'}. والرابط ${'set_password.policy_link'} يبين ما تحتاج إليه كلمة المرور.`,
      line`اختر ${'set_password.question'} واكتب ${'set_password.answer'}: يتيح لك ذلك إثبات هويتك لاحقًا عند الحاجة.`,
      line`اكتب ${'registration.email'} واضغط ${'common.save'}؛ ثم اكتب ${'set_password.email_code'} واضغط ${'common.save'} مرة أخرى.`,
      line`تعرض الصفحة: ${'set_password.saved'} كما تعرض رمز المستخدم الخاص بك، وهو لا يتغير أبدًا. اضغط ${'set_password.close'} وسجّل الدخول برمز المستخدم (أو الرقم الوطني) وكلمة المرور الجديدة.`,
    ],
    problems: [
      { problem: line`تقول الصفحة إن الرابط استُخدم من قبل، أو انتهت صلاحيته، أو أُرسل رابط أحدث منه.`, fix: line`اضغط ${'set_password.new_link'}: يُرسل رابط جديد إلى البريد الإلكتروني المسجل في حسابك. ولا يعمل إلا أحدث رابط.` },
      { problem: line`كُتب الرقم الوطني خطأً عدة مرات.`, fix: line`يُلغى الرابط حفاظًا على أمانك؛ اطلب رابطًا جديدًا.` },
      { problem: line`لم يصل أي رمز إلى بريدك الإلكتروني.`, fix: line`افحص مجلد الرسائل غير المرغوب فيها، ثم اطلب الرمز مرة أخرى.` },
    ],
    help,
  },
  'change-password': {
    title: 'تغيير كلمة المرور',
    intro: line`غيّر كلمة المرور التي أُعطيت لك (وقد تكون معقدة يصعب تذكرها) إلى كلمة مرور من اختيارك، من داخل حسابك.`,
    before: [line`كلمة المرور الحالية.`],
    steps: [
      line`سجل الدخول وافتح ${'menu.change_password'} في القائمة المجاورة لاسمك.`,
      line`اكتب كلمة المرور القديمة في حقل ${'change_password.current'} (وبعد إعادة التعيين: ${'change_password.temporary'}).`,
      line`اكتب كلمة المرور الجديدة في حقل ${'change_password.new'} ثم مرة أخرى في حقل ${'change_password.repeat'}، ثم اضغط ${'common.save'}.`,
      line`تعرض الصفحة: ${'change_password.success'}`,
    ],
    problems: [
      { problem: line`رُفضت كلمة المرور الجديدة.`, fix: line`تذكر الصفحة ما ينقصها: الطول، أو الأحرف الكبيرة والصغيرة، أو الأرقام، أو العلامات الخاصة، أو أنها شائعة جدًا، أو تحتوي على رقمك الوطني.` },
      { problem: line`لا تعرف كلمة المرور الحالية.`, fix: line`سجل الخروج واستخدم ${'sign_in.forgot'}.` },
    ],
    help,
  },
  'role-choice': {
    title: 'اختيار الدور والمؤسسة',
    intro: line`قد يكون للشخص الواحد عدة تعيينات (مدير يدرّس أيضًا، أو ولي أمر لطفلين). بعد تسجيل الدخول تختار التعيين الذي تعمل به.`,
    before: [line`تعيين نشط، يمنحه لك مدير مدرستك أو مؤسستك.`],
    steps: [
      line`بعد تسجيل الدخول تعرض صفحة ${'role_choice.title'} أدوارك، كل دور مع مؤسسته.`,
      line`اختر أحدها في ${'role_choice.label'} واضغط ${'common.confirm'}.`,
      line`لتبديل الدور لاحقًا، استخدم ${'role_choice.switch'} في القائمة المجاورة لاسمك.`,
    ],
    problems: [
      { problem: line`لا يظهر أي دور.`, fix: line`ليس لديك تعيين نشط (ربما انتهى مع العام الدراسي). اطلب من مدير مدرستك أو مؤسستك تجديده.` },
      { problem: line`تقول إحدى الخدمات إن دورك لا يسمح باستخدامها.`, fix: line`بدّل إلى الدور المخصص لتلك الخدمة.` },
    ],
    help,
  },
  support: {
    title: 'طلب المساعدة من الدعم الفني',
    intro: line`اطرح سؤالًا أو أبلغ عن مشكلة كتابةً. يذهب الطلب إلى مسؤولي مدرستك (وطلب المسؤول إلى المستوى الأعلى، وطلب من لم يسجل الدخول إلى الوزارة)، ولهم أن يرفعوه إلى المستوى الأعلى؛ ثم تعود إليك إجابتهم.`,
    before: [line`ما كنت تفعله وما قالته الصفحة؛ ولقطة شاشة إن كانت تفيد (PNG أو JPEG، بحجم أقصاه ميغابايت واحد). وإن لم تكن قد سجلت الدخول، فرقم هاتف محمول أو عنوان بريد إلكتروني تصلك عليه الإجابة.`],
    steps: [
      line`بعد تسجيل الدخول، افتح ${'support.menu'} من الخدمات في صفحتك الرئيسية. وإن لم تستطع تسجيل الدخول، فاتبع رابط ${'support.ask_signed_out'} في صفحة تسجيل الدخول.`,
      line`اختر ${'support.category'}: ${'support.category_sign_in'}، أو ${'support.category_registration'}، أو ${'support.category_roles'}، أو ${'support.category_other'}.`,
      line`املأ حقلي ${'support.subject'} و${'support.text'}؛ وإن كانت صورة تبين المشكلة، فأرفقها في ${'support.screenshot'}.`,
      line`إن لم تكن قد سجلت الدخول، فاكتب ${'support.contact'} وأكمل ${'registration.captcha'}.`,
      line`اضغط ${'support.submit'}. تعرض الصفحة ${'support.reference'} للطلب: احتفظ به. فالرسالة التي تحمل الإجابة تذكره، وتذكره أنت إن سألت عن المشكلة نفسها مرة أخرى.`,
      line`لمتابعة طلباتك، افتح ${'support.my_requests'} (تحت الخدمات في صفحتك الرئيسية): يظهر لكل طلب ${'support.state'}: ${'support.state_open'} أو ${'support.state_answered'} أو ${'support.state_closed'}. افتح الطلب لتقرأ ${'support.replies'}.`,
    ],
    problems: [
      { problem: line`لم تصل إجابة بعد.`, fix: line`يبقى الطلب في حالة ${'support.state_open'} حتى يجيب عنه أحد؛ وربما رُفع إلى المستوى الأعلى، وصفحة الطلب تذكر من يتولاه الآن. وإن كان لحسابك رقم هاتف محمول أو عنوان بريد إلكتروني، تُرسل الإجابة إليه أيضًا.` },
      { problem: line`أرسلت الطلب دون تسجيل الدخول، وليست لديك قائمة بطلباتك.`, fix: line`لا تذهب الإجابة إلا إلى وسيلة الاتصال التي كتبتها؛ فاحتفظ بالرقم المرجعي لتذكر به الطلب. وحين تستطيع تسجيل الدخول، تظهر الطلبات الجديدة في ${'support.my_requests'}.` },
      { problem: line`تقول الصفحة إنك أرسلت طلبات كثيرة جدًا.`, fix: line`انتظر قليلًا وحاول مجددًا؛ وفي الأثناء قد تكون إجابة طلب سابق موجودة في ${'support.my_requests'}.` },
    ],
    help: line`إن لم يستطع ${'support.menu'} نفسه مساعدتك، فاسأل إدارة مدرستك حضوريًا. لا تكتب كلمة المرور في أي طلب أبدًا: موظفو الدعم لا يطلبونها قط.`,
  },
  'admin-new-user': {
    title: 'إضافة مستخدم وتعيينه',
    intro: line`يجب تعريف المستخدم قبل إصدار كلمة مرور له: رقمه الوطني، ودوره، وتاريخا تعيينه.`,
    before: [line`الرقم الوطني للشخص؛ ولولي الأمر، الرقم الوطني للابن أيضًا.`],
    steps: [
      line`في ${'admin.users_title'} اختر ${'admin.new_user'}.`,
      line`اكتب ${'admin.col_national_id'} واضغط ${'admin.show_name'}: يظهر الاسم من السجل المدني.`,
      line`اختر ${'admin.col_role'} (وفوق مستوى المدرسة، ${'admin.col_organization'} أيضًا).`,
      line`اكتب ${'admin.issue_date'} و${'admin.end_date'}. يبدأ التعيين عادة مع بداية العام الدراسي وينتهي بنهايته.`,
      line`للأب أو الأم أو الوصي، اكتب ${'admin.child_national_id'}. اضغط ${'common.save'}.`,
    ],
    problems: [
      { problem: line`رُفض الرقم الوطني.`, fix: line`تحقق من أرقامه؛ تُقبل الأرقام العربية والفارسية واللاتينية.` },
      { problem: line`لا يمكن منح الدور هنا، أو أن الشخص يشغله من قبل في هذه التواريخ.`, fix: line`اختر دورًا يحق لدورك منحه، أو عدّل التعيين الموجود بدلًا من ذلك.` },
      { problem: line`لم يُعثر على الابن.`, fix: line`يجب أن يكون الابن طالبًا في إحدى مدارسك؛ أضف الطالب أولًا.` },
    ],
    help: adminHelp,
  },
  'admin-appointments': {
    title: 'تعديل التعيينات وإنهاؤها وتجديدها',
    intro: line`التعيين يمنح الشخص دورًا في مؤسسة بين تاريخين؛ والوصول يتبعه.`,
    before: [line`الرقم الوطني للشخص، أو الدور الذي تجدد تعييناته.`],
    steps: [
      line`في ${'admin.users_title'} ابحث عن الشخص (الرقم الوطني والدور، ثم ${'admin.search'}) وافتح صفحته بالضغط على اسمه.`,
      line`تحت ${'admin.appointments'} اضغط ${'admin.edit'}، وغيّر ${'admin.issue_date'} أو ${'admin.end_date'} واضغط ${'common.save'}.`,
      line`لإيقاف تعيين اليوم، اضغط ${'admin.end_appointment'}.`,
      line`في نهاية العام الدراسي، اضغط ${'admin.renew_all'} تحت جدول المستخدمين، وراجع القائمة، ثم أكد (أو ${'admin.cancel'}).`,
    ],
    problems: [
      { problem: line`تاريخ النهاية قبل تاريخ البداية.`, fix: line`صحح التاريخين، واكتبهما بالصيغة التي يعرضها المثال تحت الحقل.` },
      { problem: line`لا شيء للتجديد.`, fix: line`كل تعيين في القائمة مجدد من قبل أو لم يبدأ بعد؛ والتجديد مرتين لا يغير شيئًا.` },
    ],
    help: adminHelp,
  },
  'admin-reset': {
    title: 'إعادة تعيين كلمة مرور مستخدم',
    intro: line`حين لا يستطيع معلم أو طالب تسجيل الدخول، تستطيع أن تعطيه كلمة مرور مؤقتة جديدة؛ ويختار كلمة مروره بنفسه عند تسجيل الدخول التالي.`,
    before: [line`الرقم الوطني للمستخدم ودوره.`],
    steps: [
      line`في ${'admin.users_title'} اكتب ${'admin.col_national_id'}، واختر ${'admin.col_role'} واضغط ${'admin.search'}.`,
      line`في آخر صف المستخدم اضغط السهمين المتعاكسين ⇄ (${'admin.reset'}).`,
      line`ردًا على السؤال ${'admin.reset_confirm'} اضغط ${'common.confirm'}.`,
      line`${'admin.reset_hand_over'} ولا تُعرض إلا مرة واحدة.`,
    ],
    problems: [
      { problem: line`لا يوجد ⇄ في الصف.`, fix: line`لا يجوز لك إعادة التعيين إلا للأدوار التي دون دورك، وليس لحسابك أبدًا: غيّر كلمة مرورك من القائمة.` },
      { problem: line`يستطيع المستخدم إعادة التعيين بنفسه.`, fix: line`دلّه على ${'sign_in.forgot'} في صفحة تسجيل الدخول: لا حاجة إلى المراجعة.` },
    ],
    help: adminHelp,
  },
  'admin-bulk-passwords': {
    title: 'كلمات المرور الجماعية',
    intro: line`أصدر كلمات مرور مؤقتة لمستخدمين كثيرين دفعة واحدة، مع قسائم قابلة للطباعة.`,
    before: [line`يجب أن يكون المستخدمون معرّفين من قبل (انظر إضافة مستخدم).`],
    steps: [
      line`افتح ${'admin.bulk_passwords'}.`,
      line`في ${'admin.user_type'} اختر مثلًا ${'admin.type_teachers'} واضغط ${'admin.search'}.`,
      line`حدد المربع بجانب كل اسم تريده (أو استخدم الزر الذي يشمل كل من يطابق البحث).`,
      line`اضغط ${'admin.change_passwords'} وانتظر: صفحة التقدم تتحدث تلقائيًا.`,
      line`اضغط ${'admin.batch_show'}. ${'admin.batch_hand_over'}`,
    ],
    problems: [
      { problem: line`بعض الأشخاص في دفعة لم تكتمل.`, fix: line`افتح تلك الدفعة واعرض كلمات مرورها أولًا؛ وإلا صارت قسائمها المطبوعة خاطئة.` },
      { problem: line`لم تعد كلمات المرور معروضة.`, fix: line`تُعرض مرة واحدة، لوقت محدود. أصدرها مرة أخرى.` },
    ],
    help: adminHelp,
  },
  'admin-import': {
    title: 'استيراد المستخدمين من ملف',
    intro: line`عرّف مستخدمين وتعيينات كثيرة دفعة واحدة من ملف CSV أو Excel (XLSX)؛ ويبين تقرير نتيجة كل صف. واستيراد الملف نفسه مرة أخرى لا يغير شيئًا.`,
    before: [
      line`ملف CSV محفوظ بترميز UTF-8، أو ملف XLSX أعمدته في ورقته الأولى؛ والصف الأول يسمي الأعمدة: national_id وrole، وعند الحاجة start وend وchild_national_id وemail.`,
      line`ملف zip بصيغة OneRoster 1.2 من نظام معلومات مدرسي يُستورد من رابط ${'oneroster.title'} في الصفحة نفسها؛ وتلك الصفحة تبين كيف يسمي orgs.csv مؤسستك.`,
    ],
    steps: [
      line`افتح ${'admin.import'}.`,
      line`فوق مستوى المدرسة، اختر ${'admin.col_organization'}.`,
      line`اختر الملف في ${'imports.file'}. ولإرسال روابط تعيين كلمة المرور بالبريد الإلكتروني، حدد ${'import.send_invitations'}.`,
      line`اضغط ${'import.submit'} واقرأ ${'import.report'}: يذكر كل سطر هل أُنشئ، أم كان موجودًا من قبل، أم رُفض ولماذا. والملف الكبير يُستورد في الخلفية: تتحدث صفحة تقدمه تلقائيًا حتى يجهز التقرير، ولك أن تغلقها وتعود إليها لاحقًا.`,
    ],
    problems: [
      { problem: line`الملف ليس بترميز UTF-8، أو صفه الأول خاطئ.`, fix: line`احفظه في Excel بصيغة «CSV UTF-8» أو «مصنف Excel (.xlsx)»، وتحقق من أسماء الأعمدة.` },
      { problem: line`رُفض ملف XLSX.`, fix: line`ملفات \u2066.xls\u2069 و\u2066.ods\u2069 القديمة ليست XLSX: احفظها في Excel بصيغة «مصنف Excel (.xlsx)».` },
      { problem: line`رُفضت بعض الصفوف.`, fix: line`صحح تلك الأسطر وارفع الملف مرة أخرى: الصفوف التي أُنشئت من قبل تبقى كما هي.` },
    ],
    help: adminHelp,
  },
  'admin-oneroster': {
    title: 'استيراد تصدير OneRoster',
    intro: line`يُدخل إلى كليد تصدير OneRoster 1.2 من نظام المدرسة: المدارس والأشخاص وتعييناتهم، وربط أولياء الأمور بأطفالهم. استيراد ملف zip نفسه مرة أخرى لا يغيّر شيئًا.`,
    before: [
      line`ملف zip الذي صدّره نظام المدرسة: manifest.csv و orgs.csv و users.csv و roles.csv أو enrollments.csv (أو كلاهما)، و academicSessions.csv إن وُجد؛ كلها في جذر zip أو كلها في مجلد واحد (اضغط المجلد الذي يحتوي الملفات نفسها، لا المجلد الذي فوقه).`,
      line`الملفات بترميز UTF-8. مؤسستك هي صف orgs.csv الذي قيمة sourcedId فيه معرّفها في كليد أو قيمة identifier فيه رمزها؛ وتعرض صفحة ${'oneroster.title'} ما يوجد منهما. أما صفوف المؤسسات التي فوق مؤسستك فتبقى كما هي.`,
      line`في users.csv، الرقم الوطني لكل شخص في userIds بالشكل {national_id:0012345678} أو في identifier؛ ودور كل شخص في كل مؤسسة في roles.csv (OneRoster 1.2)، أو في عمودي role و orgSourcedIds من users.csv (الإصدار 1.1)، أو عبر enrollments.csv؛ وأطفال وليّ الأمر أو الوصي بقيم sourcedId الخاصة بهم في agentSourcedIds. التواريخ بالشكل 2026-09-23 أو 1405/07/01.`,
    ],
    steps: [
      line`افتح ${'admin.import'} واتبع رابط ${'oneroster.title'}.`,
      line`اختر ملف zip في ${'oneroster.file'} واضغط ${'oneroster.submit'}.`,
      line`اقرأ التقرير: لكل ملف، ما أُنشئ أو حُدّث أو بقي دون تغيير؛ والتعيينات من كل الملفات، ومن غُيّرت تواريخ تعيينه (من ماذا إلى ماذا) أو انتهى تعيينه باسمه؛ والسنة الدراسية للأسطر التي بلا تواريخ؛ ثم كل صف مرفوض، بالملف والسطر والعمود وما في الخانة.`,
    ],
    problems: [
      { problem: line`رُفض ملف zip كله، ولم يُحفظ شيء.`, fix: line`تذكر الرسالة الملف المسبب وما يجب إصلاحه: مجلد أعمق من اللازم، ملفات في مكانين، اسم ملف بحالة أحرف خاطئة، ملف ليس بترميز UTF-8. أصلحه وارفع ملف zip مرة أخرى.` },
      { problem: line`صفوف "ليست تحت مؤسستك".`, fix: line`سمِّ مؤسستك في orgs.csv بمعرّفها في كليد أو برمزها، والمدارس التابعة لها بقيمة parentSourcedId.` },
      { problem: line`صفوف "بجانب مؤسستك لا تحتها".`, fix: line`يضم التصدير مدارس أخرى في المنطقة: لا تُستورد صفوفها. صدّر مؤسستك وحدها، أو تجاهل هذه الصفوف.` },
      { problem: line`نائب أو موظف مكتب ذُكر بصفة administrator أصبح موظفًا.`, fix: line`لا يجعل الملف أحدًا مديرًا إلا إذا ذكر principal أو districtAdministrator: عيّن النواب في النظام. يحتفظ المدير أو النائب المعيَّن في النظام بتعيينه، ويُقبل صف administrator في الملف مكانه.` },
      { problem: line`شخص غير موجود في السجل المدني.`, fix: line`تحقق من الرقم الوطني في userIds: لا ينشئ كليد شخصًا من ملف أبدًا.` },
    ],
    help: adminHelp,
  },
  'admin-invitations': {
    title: 'إرسال روابط تعيين كلمة المرور',
    intro: line`بدلًا من توزيع كلمات المرور، أرسل إلى الأشخاص بالبريد الإلكتروني رابطًا يعينون به كلمات مرورهم بأنفسهم.`,
    before: [line`عنوان بريد إلكتروني في حساب كل شخص.`],
    steps: [
      line`لشخص واحد: افتح صفحته في ${'admin.users_title'}، واضغط ${'invitation.send'} ثم ${'common.confirm'}.`,
      line`لأشخاص كثيرين: افتح ${'invitation.bulk_title'}، واختر النوع في ${'admin.user_type'}، واضغط ${'admin.search'}، وحدد الأشخاص واضغط ${'invitation.send_selected'}.`,
      line`تعرض صفحة التقدم بعد ذلك من تُخطي ولماذا (لا بريد إلكتروني، لا رقم وطني، حساب معطل).`,
    ],
    problems: [
      { problem: line`ليس للشخص بريد إلكتروني.`, fix: line`أعد تعيين كلمة مروره بدلًا من ذلك، وسلّمها إليه.` },
      { problem: line`لم يعد الرابط يعمل عنده.`, fix: line`لا يعمل إلا أحدث رابط؛ أرسل رابطًا جديدًا.` },
    ],
    help: adminHelp,
  },
  'admin-approvals': {
    title: 'اعتماد التسجيلات',
    intro: line`من سجلوا بأنفسهم لا يستطيعون تقديم أي طلب حتى يُعتمد تسجيلهم.`,
    before: [line`صلاحية اعتماد الحسابات (لمسؤولي الوزارة).`],
    steps: [
      line`افتح ${'approvals.title'}.`,
      line`تحقق من اسم كل شخص ومن عمود ${'approvals.registry'}: هل تطابق البيانات السجل المدني.`,
      line`اضغط ${'approvals.approve'} في الصف.`,
    ],
    problems: [
      { problem: line`الشخص ليس في السجل المدني.`, fix: line`بياناته مما صرح به بنفسه: تحقق منها مع الشخص قبل الاعتماد.` },
    ],
    help: adminHelp,
  },
  'admin-announcements': {
    title: 'نشر الإعلانات',
    intro: line`ينشر مسؤولو الوزارة والمحافظة والمنطقة التعليمية والمدرسة إعلانات لأفراد مؤسستهم، ولأدوار مختارة إن شاؤوا، بين تاريخين؛ وتظهر في الصفحة الرئيسية، الأحدث أولًا.`,
    before: [line`النص (نص عادي؛ والعناوين التي تبدأ بـ \u2066https://\u2069 تصبح روابط)، ولمن هو، والتاريخان.`],
    steps: [
      line`افتح ${'announcements.title'} واضغط ${'announcements.new'}.`,
      line`املأ ${'announcements.field_title'} و${'announcements.field_text'}.`,
      line`اختر ${'announcements.field_organization'}: يظهر الإعلان في المؤسسة المختارة وفي كل ما يتبعها. وتحت ${'announcements.field_roles'} حدد أدوارًا، أو لا تحدد شيئًا ليظهر للجميع.`,
      line`اكتب ${'announcements.field_starts'} و${'announcements.field_ends'}، أو اتركهما فارغين للمدة الافتراضية.`,
      line`اضغط ${'announcements.publish'}. ولاحقًا، اضغط ${'announcements.edit'} لتغييره، أو ${'announcements.withdraw'} لإيقافه.`,
    ],
    problems: [
      { problem: line`رُفض النص.`, fix: line`يحتوي على علامات اتجاه غير مرئية (مثل RLO)، تُلصق غالبًا مع النص: احذفها. ولا تُرسم شيفرة HTML؛ بل تظهر كما كُتبت.` },
      { problem: line`لا يراه أحد.`, fix: line`تحقق من التاريخين والأدوار: لا يظهر إلا بين تاريخيه، وللأدوار المحددة فقط.` },
    ],
    help: adminHelp,
  },
  'admin-clients': {
    title: 'التطبيقات المتصلة (عملاء OpenID)',
    intro: line`تُسجل هنا التطبيقات التي تسجل دخول الأشخاص عبر «كليد» أو تستدعي واجهاته البرمجية.`,
    before: [line`اسم التطبيق و${'clients.col_redirects'} الدقيقة التي يزودك بها مطوروه.`],
    steps: [
      line`افتح ${'clients.title'} واضغط ${'clients.new'}.`,
      line`املأ النموذج (${'clients.col_name'}، ونوع التطبيق واستخداماته، والعناوين والنطاقات) واضغط ${'clients.register'}.`,
      line`انسخ ${'clients.secret_label'} المعروض مرة واحدة إلى مخزن الأسرار في التطبيق.`,
      line`لتغيير اسم التطبيق أو عناوينه أو نطاقاته أو أدواره اضغط ${'clients.edit'}، وغيّرها ثم اضغط ${'clients.save'}؛ يسري التغيير فورًا. يبقى ${'clients.col_id'} والمالك والنوع وطريقة الاستخدام كما سُجّلت.`,
      line`لتغيير سر التطبيق اضغط ${'clients.rotate'}؛ ولحذفه اضغط ${'clients.remove'}. وكلاهما يطلب التأكيد أولًا.`,
    ],
    problems: [
      { problem: line`فُقد السر.`, fix: line`لا يستطيع «كليد» عرضه مرة أخرى: اضغط ${'clients.rotate'} وأعطِ السر الجديد للتطبيق.` },
    ],
    help: adminHelp,
  },
  'admin-support': {
    title: 'الإجابة عن طلبات الدعم',
    intro: line`تصل الطلبات إلى مسؤولي المؤسسة التي يعمل فيها الشخص؛ وطلب المسؤول نفسه يذهب إلى المستوى الأعلى، وطلب من لم يسجل الدخول إلى الوزارة. وترى كل طلب في مؤسستك وما يتبعها.`,
    before: [line`صلاحية الإجابة عن طلبات الدعم (لكل مسؤول: في المدرسة والمنطقة التعليمية والمحافظة والوزارة).`],
    steps: [
      line`افتح ${'support.queue_title'} من قائمة التنقل في لوحة الإدارة.`,
      line`تحت ${'support.state'} اختر ${'support.state_open'} واضغط ${'support.filter'}؛ وافتح الطلب بالضغط على ${'support.reference'} الخاص به.`,
      line`اقرأ الطلب: ${'support.requester'}، و${'support.origin'}، والصفحة التي جاء منها، و${'support.screenshot_link'} إن وجدت.`,
      line`اكتب ${'support.reply'} واضغط ${'support.reply_submit'}: يُبلغ مقدم الطلب برسالة نصية أو بريد إلكتروني إن كان له هاتف محمول أو بريد إلكتروني مسجل (وإلا قرأها في ${'support.my_requests'})، وتصبح حالة الطلب ${'support.state_answered'}.`,
      line`إن احتاج الطلب إلى المستوى الأعلى (قرار أو صلاحية ليست لك)، فاضغط ${'support.escalate'}: يذهب إلى مسؤولي المؤسسة الأعلى، ويخرج من قائمتك.`,
      line`حين لا يبقى شيء يُفعل، اضغط ${'support.close'}؛ يبقى الطلب المغلق مقروءًا، لكنه لا يقبل إجابات أخرى.`,
    ],
    problems: [
      { problem: line`لا يوجد زر ${'support.escalate'}.`, fix: line`الطلب في الوزارة، وهي المستوى الأعلى: أجب عنه أو أغلقه.` },
      { problem: line`خرج طلب من قائمتك.`, fix: line`رُفع إلى المستوى الأعلى: صار عنده الآن، مع الإجابات التي سبقت.` },
      { problem: line`أرسل مقدم الطلب طلبه دون تسجيل الدخول.`, fix: line`يستطيع أي أحد أن يكتب أي شيء دون تسجيل الدخول: لا تضع أبدًا كلمة مرور أو بيانات شخصية في الإجابة. دلّه على استعادة كلمة المرور، أو أعد تعيينها بعد التحقق من هويته.` },
    ],
    help: adminHelp,
  },
};
