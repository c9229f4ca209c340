// The console's clients page names the organization a SCIM client keeps, in the reader's language.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addClient } from '../../src/federation/clients.ts';
import { clientSecretKey } from '../../src/federation/client-secrets.ts';
import { deriveKeys } from '../../src/secrets.ts';
import { createAgent, type Agent } from '../helpers/agent.ts';
import { startListeningApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor } from '../helpers/fixtures.ts';

const PASSWORD = 'Vezarat-Khaneh-1404!';

describe('the clients page and SCIM clients', () => {
  let t: TestApp & { baseUrl: string };
  let ministry: Agent;

  before(async () => {
    t = await startListeningApp('postgres', { KELID_ADMIN_MFA: 'optional' });
    const tree = await createTree(t.handle.db);
    await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(1), password: PASSWORD, memberships: [{ organizationId: tree.ministry, role: 'ministry_admin' }] });
    ministry = createAgent(t.app, { ip: '10.20.30.40' });
    assert.equal((await ministry.submit('/sign-in', { identifier: nationalIdFor(1), password: PASSWORD })).statusCode, 303);
    const change = { actorAccountId: null, actingMembershipId: null, ip: null };
    const sis = { name: 'SIS', firstParty: true, confidential: true, redirectUris: [], postLogoutRedirectUris: [], grantTypes: ['client_credentials'] as const,
      scopes: ['scim'] as const, accessTokenFormat: 'opaque' as const, backchannelLogoutUri: null, roles: [] };
    const key = clientSecretKey(deriveKeys(t.config.secret!).federation);
    assert.ok((await addClient(t.handle.db, key, { ...sis, grantTypes: [...sis.grantTypes], scopes: [...sis.scopes], clientId: 'sis-bound', organizationId: tree.schoolA }, [], change)).ok);
    assert.ok((await addClient(t.handle.db, key, { ...sis, grantTypes: [...sis.grantTypes], scopes: [...sis.scopes], clientId: 'sis-unbound' }, [], change)).ok);
  });
  after(() => t.close());

  test('a bound client shows its school; an unbound one shows none', async () => {
    const fa = (await ministry.get('/admin/clients')).body;
    assert.match(fa, /SCIM برای: دبستان الف/);
    assert.equal(fa.match(/SCIM برای:/g)?.length, 1, 'only the bound client');
    assert.match((await ministry.get('/admin/clients?lang=en')).body, /SCIM for: دبستان الف/);
  });
});
