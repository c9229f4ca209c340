/**
 * SCIM's discovery (RFC 7644 §4, RFC 7643 §5–7): what Kelid's SCIM service supports, exactly.
 * Users are created, read, replaced, patched and deleted; Groups (schools) are read-only; no
 * bulk, no password change, no sorting beyond `sortBy`/`sortOrder` on filterable attributes.
 */
import { SCIM_ROLES } from './user-input.ts';
import { KELID_USER_SCHEMA, USER_SCHEMA } from './users.ts';
import { GROUP_SCHEMA } from './groups.ts';

/** The most resources one page holds (`count` above it is cut down to it). */
export const MAX_PAGE = 200;
export const DEFAULT_PAGE = 100;

const SPC = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const RESOURCE_TYPE = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

type Attr = { name: string; type: string; multiValued: boolean; required: boolean; caseExact: boolean; mutability: string; returned: string; uniqueness: string; description: string; subAttributes?: Attr[]; canonicalValues?: string[] };
const attr = (name: string, type: string, mutability: string, description: string, more: Partial<Attr> = {}): Attr =>
  ({ name, type, multiValued: false, required: false, caseExact: false, mutability, returned: 'default', uniqueness: 'none', description, ...more });

export function serviceProviderConfig(baseUrl: string) {
  return {
    schemas: [SPC],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_PAGE },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [{
      type: 'oauthbearertoken', name: 'OAuth 2.0 client credentials',
      description: 'An access token from Kelid\'s OpenID provider (/oidc/token, grant_type=client_credentials, scope=scim) for a client bound to an organization', primary: true,
    }],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

export function resourceTypes(baseUrl: string) {
  return [
    { schemas: [RESOURCE_TYPE], id: 'User', name: 'User', endpoint: '/Users', description: 'A person with appointments in the client\'s organizations', schema: USER_SCHEMA,
      schemaExtensions: [{ schema: KELID_USER_SCHEMA, required: false }], meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/User` } },
    { schemas: [RESOURCE_TYPE], id: 'Group', name: 'Group', endpoint: '/Groups', description: 'A school of the client\'s subtree (read-only; Kelid has no classes)', schema: GROUP_SCHEMA,
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/Group` } },
  ];
}

const userAttributes: Attr[] = [
  attr('userName', 'string', 'immutable', 'The national ID (Latin digits; a non-citizen: passport:<country>:<number>)', { required: true, uniqueness: 'server' }),
  attr('externalId', 'string', 'readWrite', 'The client\'s own identifier of the person, unique for the client', { caseExact: true }),
  attr('name', 'complex', 'readOnly', 'From the civil registry: read-only', { subAttributes: [
    attr('givenName', 'string', 'readOnly', 'First name, from the civil registry'), attr('familyName', 'string', 'readOnly', 'Last name, from the civil registry'),
    attr('formatted', 'string', 'readOnly', 'Given and family name'),
  ] }),
  attr('displayName', 'string', 'readOnly', 'Given and family name'),
  attr('emails', 'complex', 'readWrite', 'One address; writable until the person completes their own profile', { multiValued: true, subAttributes: [
    attr('value', 'string', 'readWrite', 'The address'), attr('type', 'string', 'readOnly', 'Always work', { canonicalValues: ['work'] }), attr('primary', 'boolean', 'readOnly', 'Always true'),
  ] }),
  attr('phoneNumbers', 'complex', 'readWrite', 'One mobile (E.164); writable until the person completes their own profile', { multiValued: true, subAttributes: [
    attr('value', 'string', 'readWrite', 'The mobile number'), attr('type', 'string', 'readOnly', 'Always mobile', { canonicalValues: ['mobile'] }), attr('primary', 'boolean', 'readOnly', 'Always true'),
  ] }),
  attr('active', 'boolean', 'readWrite', 'An appointment in the client\'s organizations holds today; false ends them all'),
];

const kelidAttributes: Attr[] = [
  attr('appointments', 'complex', 'readWrite', 'Appointments in the client\'s organizations: add one without value; leave one out to end it', { multiValued: true, subAttributes: [
    attr('value', 'string', 'readOnly', 'The appointment\'s id'),
    attr('role', 'string', 'immutable', 'The role', { canonicalValues: [...SCIM_ROLES], required: true }),
    attr('organization', 'reference', 'immutable', 'The id of a Group (school)', { required: true }),
    attr('startsOn', 'string', 'immutable', 'First day, YYYY-MM-DD (default: the school year\'s)'),
    attr('endsOn', 'string', 'readWrite', 'Last day, YYYY-MM-DD or null (default: the school year\'s)'),
  ] }),
];

const groupAttributes: Attr[] = [
  attr('displayName', 'string', 'readOnly', 'The school\'s name', { required: true }),
  attr('externalId', 'string', 'readOnly', 'The school\'s ministry code', { caseExact: true }),
  attr('members', 'complex', 'readOnly', 'Users with an appointment there that holds today', { multiValued: true, subAttributes: [
    attr('value', 'string', 'readOnly', 'The User\'s id'), attr('$ref', 'reference', 'readOnly', 'The User'), attr('display', 'string', 'readOnly', 'The User\'s name'),
  ] }),
];

export function schemas(baseUrl: string) {
  const schema = (id: string, name: string, description: string, attributes: Attr[]) =>
    ({ schemas: [SCHEMA], id, name, description, attributes, meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${id}` } });
  return [
    schema(USER_SCHEMA, 'User', 'A person of the client\'s organizations', userAttributes),
    schema(KELID_USER_SCHEMA, 'KelidUser', 'Kelid\'s appointments', kelidAttributes),
    schema(GROUP_SCHEMA, 'Group', 'A school', groupAttributes),
  ];
}
