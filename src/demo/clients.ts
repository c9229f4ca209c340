/**
 * The demo's OpenID clients (DESIGN.md Contracts: demo OIDC clients): the three example apps
 * of `examples/`, a client-credentials-only service, and a school information system bound to
 * school A's subtree. Their secrets are documented demo values, stored as HMACs like any.
 */
import type { ClientInput } from '../domain/oidc-client.ts';
import type { Profile } from '../domain/profile.ts';

const employees = ['teacher', 'staff', 'deputy', 'principal', 'district_admin', 'province_admin', 'ministry_admin'] as const;

// Every scope of the contract (DESIGN.md: OpenID Connect), so that an app may ask for any: a
// person's claims are only what they hold (`children` of a person who is no parent: empty).
const CONTRACT_SCOPES: ClientInput['scopes'] = ['openid', 'profile', 'email', 'phone', 'national_id', 'roles', 'children', 'offline_access'];

const app = (clientId: string, name: string, port: number, roles: ClientInput['roles']): ClientInput & { secret: string } => ({
  clientId, name, firstParty: true, confidential: true, secret: `${clientId}-secret`,
  redirectUris: [`http://localhost:${port}/callback`], postLogoutRedirectUris: [`http://localhost:${port}/`],
  grantTypes: ['authorization_code', 'refresh_token'], scopes: [...CONTRACT_SCOPES],
  accessTokenFormat: 'opaque', backchannelLogoutUri: `http://localhost:${port}/backchannel-logout`, roles,
});

// What Kelid shows people (the role choice, a refusal, the console): the profile's language,
// as the example apps call themselves in it (examples/*/texts.ts).
const names = {
  ir: { exams: 'ثبت نام آزمون مدارس تیز هوشان', parents: 'پورتال اولیا', payslips: 'فیش حقوقی', service: 'سرویس نمونه', sis: 'سامانه اطلاعات مدرسه (مدرسه الف)' },
  il: { exams: 'הרשמה למבחני מחוננים', parents: 'פורטל הורים', payslips: 'תלושי שכר', service: 'שירות הדגמה', sis: 'מערכת המידע של בית הספר (בית ספר א)' },
} as const satisfies Record<Profile, Record<string, string>>;

/** The demo's clients, named in the profile's language. */
export const demoClients = (profile: Profile): (ClientInput & { secret: string; boundToSchoolA?: boolean })[] => [
  app('exam-registration', names[profile].exams, 4001, ['student']),
  app('parents-portal', names[profile].parents, 4002, ['father', 'mother', 'guardian']),
  app('payslips', names[profile].payslips, 4003, [...employees]),
  {
    clientId: 'demo-service', name: names[profile].service, firstParty: true, confidential: true, secret: 'demo-service-secret',
    redirectUris: [], postLogoutRedirectUris: [], grantTypes: ['client_credentials'], scopes: [],
    accessTokenFormat: 'opaque', backchannelLogoutUri: null, roles: [],
  },
  {
    clientId: 'school-sis', name: names[profile].sis, firstParty: true, confidential: true, secret: 'school-sis-secret',
    redirectUris: [], postLogoutRedirectUris: [], grantTypes: ['client_credentials'], scopes: ['scim'],
    accessTokenFormat: 'opaque', backchannelLogoutUri: null, roles: [], boundToSchoolA: true,
  },
];
