/**
 * The demo's OpenID clients (DESIGN.md Contracts: demo OIDC clients): the three example apps
 * of `examples/`, a client-credentials-only service, and a school information system bound to
 * school A's subtree. Their secrets are documented demo values, stored as HMACs like any.
 */
import type { ClientInput } from '../domain/oidc-client.ts';

const employees = ['teacher', 'staff', 'deputy', 'principal', 'district_admin', 'province_admin', 'ministry_admin'] as const;

const app = (clientId: string, name: string, port: number, roles: ClientInput['roles'], scopes: ClientInput['scopes']): ClientInput & { secret: string } => ({
  clientId, name, firstParty: true, confidential: true, secret: `${clientId}-secret`,
  redirectUris: [`http://localhost:${port}/callback`], postLogoutRedirectUris: [`http://localhost:${port}/`],
  grantTypes: ['authorization_code', 'refresh_token'], scopes: ['openid', 'profile', 'national_id', 'roles', 'offline_access', ...scopes],
  accessTokenFormat: 'opaque', backchannelLogoutUri: `http://localhost:${port}/backchannel-logout`, roles,
});

export const demoClients: (ClientInput & { secret: string; boundToSchoolA?: boolean })[] = [
  app('exam-registration', 'ثبت نام آزمون مدارس تیزهوشان', 4001, ['student'], []),
  app('parents-portal', 'پورتال اولیا', 4002, ['father', 'mother', 'guardian'], ['children']),
  app('payslips', 'فیش حقوقی', 4003, [...employees], []),
  {
    clientId: 'demo-service', name: 'Demo service', firstParty: true, confidential: true, secret: 'demo-service-secret',
    redirectUris: [], postLogoutRedirectUris: [], grantTypes: ['client_credentials'], scopes: [],
    accessTokenFormat: 'opaque', backchannelLogoutUri: null, roles: [],
  },
  {
    clientId: 'school-sis', name: 'School information system (school A)', firstParty: true, confidential: true, secret: 'school-sis-secret',
    redirectUris: [], postLogoutRedirectUris: [], grantTypes: ['client_credentials'], scopes: ['scim'],
    accessTokenFormat: 'opaque', backchannelLogoutUri: null, roles: [], boundToSchoolA: true,
  },
];
