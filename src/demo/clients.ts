/**
 * The demo's OpenID clients (DESIGN.md Contracts: demo OIDC clients): the three example apps
 * of `examples/`, a client-credentials-only service, and a school information system bound to
 * school A's subtree. Their secrets are documented demo values, stored as HMACs like any.
 */
import type { Locale } from '../config.ts';
import type { ClientInput, ClientNames } from '../domain/oidc-client.ts';
import type { Profile } from '../domain/profile.ts';

const employees = ['teacher', 'staff', 'deputy', 'principal', 'district_admin', 'province_admin', 'ministry_admin'] as const;

// Every scope of the contract (DESIGN.md: OpenID Connect), so that an app may ask for any: a
// person's claims are only what they hold (`children` of a person who is no parent: empty).
const CONTRACT_SCOPES: ClientInput['scopes'] = ['openid', 'profile', 'email', 'phone', 'national_id', 'roles', 'children', 'offline_access'];

const app = (clientId: string, name: string, names: ClientNames, port: number, roles: ClientInput['roles']): ClientInput & { secret: string } => ({
  clientId, name, names, firstParty: true, confidential: true, secret: `${clientId}-secret`,
  redirectUris: [`http://localhost:${port}/callback`], postLogoutRedirectUris: [`http://localhost:${port}/`],
  grantTypes: ['authorization_code', 'refresh_token'], scopes: [...CONTRACT_SCOPES],
  accessTokenFormat: 'opaque', backchannelLogoutUri: `http://localhost:${port}/backchannel-logout`, roles,
});

// What Kelid shows people (the role choice, a refusal, the console), in each language, as the
// example apps call themselves in it (examples/*/texts.ts); the name is the profile's language's.
const names = {
  exams: { fa: 'ثبت نام آزمون مدارس تیز هوشان', he: 'הרשמה למבחני מחוננים', en: 'Gifted-school exam registration', ar: 'التسجيل في امتحان مدارس الموهوبين' },
  parents: { fa: 'پورتال اولیا', he: 'פורטל הורים', en: 'Parents portal', ar: 'بوابة أولياء الأمور' },
  payslips: { fa: 'فیش حقوقی', he: 'תלושי שכר', en: 'Payslips', ar: 'قسائم الرواتب' },
  service: { fa: 'سرویس نمونه', he: 'שירות הדגמה', en: 'Demo service', ar: 'خدمة تجريبية' },
  sis: { fa: 'سامانه اطلاعات مدرسه (مدرسه الف)', he: 'מערכת המידע של בית הספר (בית ספר א)', en: 'School information system (school A)', ar: 'نظام معلومات المدرسة (المدرسة أ)' },
} as const satisfies Record<string, Record<Locale, string>>;
const own: Record<Profile, Locale> = { ir: 'fa', il: 'he' };

/** The demo's clients, named in the profile's language, with their names in the others. */
export const demoClients = (profile: Profile): (ClientInput & { secret: string; boundToSchoolA?: boolean })[] => [
  app('exam-registration', names.exams[own[profile]], names.exams, 4001, ['student']),
  app('parents-portal', names.parents[own[profile]], names.parents, 4002, ['father', 'mother', 'guardian']),
  app('payslips', names.payslips[own[profile]], names.payslips, 4003, [...employees]),
  {
    clientId: 'demo-service', name: names.service[own[profile]], names: names.service, firstParty: true, confidential: true, secret: 'demo-service-secret',
    redirectUris: [], postLogoutRedirectUris: [], grantTypes: ['client_credentials'], scopes: [],
    accessTokenFormat: 'opaque', backchannelLogoutUri: null, roles: [],
  },
  {
    clientId: 'school-sis', name: names.sis[own[profile]], names: names.sis, firstParty: true, confidential: true, secret: 'school-sis-secret',
    redirectUris: [], postLogoutRedirectUris: [], grantTypes: ['client_credentials'], scopes: ['scim'],
    accessTokenFormat: 'opaque', backchannelLogoutUri: null, roles: [], boundToSchoolA: true,
  },
];
