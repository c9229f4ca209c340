// Attack (issue 13 review): a SCIM client bound to school A must not write the mobile or the
// email of a person it does not wholly hold. The mobile on record is where a sign-in code goes
// (identity/code-sign-in.ts), so a client that could set it for school C's principal, who has
// not completed their profile yet, could sign in as them. The CSV and OneRoster imports write
// an address only for people wholly the importer's (admin/scope.ts actsOnAccount); SCIM too.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import * as oidc from 'openid-client';
import { addClient } from '../../src/federation/clients.ts';
import { clientSecretKey } from '../../src/federation/client-secrets.ts';
import { codeRecipient } from '../../src/identity/code-sign-in.ts';
import { deriveKeys } from '../../src/secrets.ts';
import { databaseKinds, startListeningApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';
import { configFor } from '../helpers/oidc.ts';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const EXT = 'urn:ietf:params:scim:schemas:extension:kelid:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

for (const kind of databaseKinds) describe(`SCIM never takes over another school's person on ${kind}`, () => {
  let t: TestApp & { baseUrl: string };
  let tree: Tree;
  let token: string;
  let principalC: string;
  let teacherAC: string;
  let studentA: string;
  let principalA: string;

  const scim = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${t.baseUrl}/scim/v2${path}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as Record<string, unknown> };
  };
  const contacts = async (accountId: string) => t.handle.db.selectFrom('accounts').select(['mobile', 'email']).where('id', '=', accountId).executeTakeFirstOrThrow();

  before(async () => {
    t = await startListeningApp(kind);
    tree = await createTree(t.handle.db);
    const db = t.handle.db;
    // School C's principal, made by the district, who has not signed in to complete their profile yet.
    principalC = (await createAccount(db, t.hasher, { nationalId: nationalIdFor(7301), password: 'x-Password-1404', mobile: '+989121110001',
      memberships: [{ organizationId: tree.schoolC, role: 'principal' }] })).accountId;
    // A teacher of both schools: school A's client holds only part of them.
    teacherAC = (await createAccount(db, t.hasher, { nationalId: nationalIdFor(7302), password: 'x-Password-1404', mobile: '+989121110002',
      memberships: [{ organizationId: tree.schoolA, role: 'teacher' }, { organizationId: tree.schoolC, role: 'teacher' }] })).accountId;
    // School A's own student: the client's to give contacts to.
    studentA = (await createAccount(db, t.hasher, { nationalId: nationalIdFor(7303), password: 'x-Password-1404',
      memberships: [{ organizationId: tree.schoolA, role: 'student' }] })).accountId;
    // School A's principal: an administrator a school system neither gives nor takes away.
    principalA = (await createAccount(db, t.hasher, { nationalId: nationalIdFor(7304), password: 'x-Password-1404',
      memberships: [{ organizationId: tree.schoolA, role: 'principal' }, { organizationId: tree.schoolA, role: 'teacher' }] })).accountId;
    const secret = 'sis-a-secret-'.padEnd(40, 'z');
    const added = await addClient(db, clientSecretKey(deriveKeys(t.config.secret!).federation), {
      clientId: 'sis-a', name: 'sis-a', firstParty: true, confidential: true, secret, redirectUris: [], postLogoutRedirectUris: [],
      grantTypes: ['client_credentials'], scopes: ['scim'], accessTokenFormat: 'opaque', backchannelLogoutUri: null, roles: [], organizationId: tree.schoolA,
    }, [], { actorAccountId: null, actingMembershipId: null, ip: null });
    assert.ok(added.ok);
    token = (await oidc.clientCredentialsGrant(await configFor(t.baseUrl, { id: 'sis-a', secret }), { scope: 'scim' })).access_token;
  });
  after(() => t.close());

  test('a create naming another school\'s principal does not replace their mobile (where sign-in codes go)', async () => {
    const created = await scim('POST', '/Users', {
      schemas: [USER, EXT], userName: nationalIdFor(7301),
      phoneNumbers: [{ value: '+989129999999', type: 'mobile' }], emails: [{ value: 'attacker@example.com', type: 'work' }],
      [EXT]: { appointments: [{ role: 'student', organization: tree.schoolA }] },
    });
    assert.ok(created.status === 201 || created.status === 400, JSON.stringify(created.body));
    assert.deepEqual(await contacts(principalC), { mobile: '+989121110001', email: null });
    const recipient = await codeRecipient(t.handle.db, { kind: 'national_id', value: nationalIdFor(7301) });
    assert.equal(recipient?.mobile, '+989121110001', 'a sign-in code still goes to the principal\'s own mobile');
  });

  test('PATCH and PUT of a teacher of two schools leave their contacts alone (400 mutability)', async () => {
    const patched = await scim('PATCH', `/Users/${teacherAC}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'phoneNumbers', value: [{ value: '+989129999998', type: 'mobile' }] }] });
    assert.equal(patched.status, 400, JSON.stringify(patched.body));
    assert.equal(patched.body.scimType, 'mutability');
    const put = await scim('PUT', `/Users/${teacherAC}`, { schemas: [USER], userName: nationalIdFor(7302), emails: [{ value: 'attacker@example.com', type: 'work' }] });
    assert.equal(put.status, 400, JSON.stringify(put.body));
    assert.deepEqual(await contacts(teacherAC), { mobile: '+989121110002', email: null });
  });

  test('the client\'s own student still gets the contacts it gives', async () => {
    const patched = await scim('PATCH', `/Users/${studentA}`, { schemas: [PATCH], Operations: [{ op: 'add', path: 'phoneNumbers', value: [{ value: '+989121110003', type: 'mobile' }] }] });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual((await contacts(studentA)).mobile, '+989121110003');
  });

  test('a school system never ends or hides the principal\'s appointment (PUT leaving it out, active false, DELETE)', async () => {
    const principalRow = async () => t.handle.db.selectFrom('memberships').select([sql<string | null>`ends_on::text`.as('ends'), 'deprovisioned_at'])
      .where('account_id', '=', principalA).where('role', '=', 'principal').executeTakeFirstOrThrow();
    const was = await principalRow();
    const principalHolds = async () => { const now = await principalRow(); return now.deprovisioned_at === null && now.ends === was.ends; };
    const user = await scim('GET', `/Users/${principalA}`);
    assert.equal(user.status, 200);
    const teacher = (user.body[EXT] as { appointments: { value: string; role: string; organization: string }[] }).appointments.find((a) => a.role === 'teacher')!;
    await scim('PUT', `/Users/${principalA}`, { schemas: [USER, EXT], userName: nationalIdFor(7304), [EXT]: { appointments: [teacher] } });
    assert.ok(await principalHolds(), 'PUT leaving the principal appointment out does not end it');
    await scim('PATCH', `/Users/${principalA}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: false }] });
    assert.ok(await principalHolds(), 'active false does not end it');
    await scim('DELETE', `/Users/${principalA}`);
    assert.ok(await principalHolds(), 'DELETE does not end or deprovision it');
  });
});
