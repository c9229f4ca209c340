// The demo's school information system (DESIGN.md Contracts): `school-sis`, secret
// `school-sis-secret`, client credentials with scope `scim`, bound to school A's subtree. Loaded
// with the demo data, it gets a token from Kelid's provider and keeps school A's roster, and
// nothing of another school.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { demoKeys, loadDemoData, type DemoSummary } from '../../src/demo/demo-data.ts';
import { createPasswordHasher } from '../../src/identity/passwords.ts';
import type { ScimGroup } from '../../src/scim/groups.ts';
import type { ScimUser } from '../../src/scim/users.ts';
import { deriveKeys } from '../../src/secrets.ts';
import { startListeningApp, type TestApp } from '../helpers/app.ts';
import { configFor } from '../helpers/oidc.ts';

describe('the demo client school-sis', () => {
  let t: TestApp & { baseUrl: string };
  let summary: DemoSummary;
  let token: string;
  const get = async (path: string) => {
    const response = await fetch(`${t.baseUrl}/scim/v2${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: await response.json() as { totalResults: number; Resources: (ScimUser & ScimGroup)[] } };
  };

  before(async () => {
    t = await startListeningApp('postgres');
    summary = await loadDemoData(t.handle, {
      profile: 'ir', password: 'Kelid-Demo-1405', hasher: createPasswordHasher({ memoryCost: 8192, timeCost: 1, parallelism: 1 }),
      today: '2025-11-20', ...demoKeys(deriveKeys(t.config.secret!)),
    });
    const config = await configFor(t.baseUrl, { id: 'school-sis', secret: 'school-sis-secret' });
    token = (await oidc.clientCredentialsGrant(config, { scope: 'scim' })).access_token;
  });
  after(() => t.close());

  test('its token opens SCIM for school A only', async () => {
    const groups = await get('/Groups?excludedAttributes=members');
    assert.equal(groups.status, 200);
    assert.equal(groups.body.totalResults, 1);
    const schoolA = groups.body.Resources[0]!.id as string;
    const users = await get('/Users?count=200');
    assert.equal(users.status, 200);
    assert.ok(users.body.totalResults > 0);
    for (const user of users.body.Resources) {
      const places = user['urn:ietf:params:scim:schemas:extension:kelid:2.0:User'].appointments.map((a: { organization: string }) => a.organization);
      assert.ok(places.length > 0 && places.every((id: string) => id === schoolA), `${user.id} only with school A's appointments`);
    }
    const ministryAdmin = summary.fixedAccounts.find((a) => a.role === 'ministry_admin')!;
    assert.equal((await get(`/Users?filter=${encodeURIComponent(`userName eq "${ministryAdmin.nationalId}"`)}`)).body.totalResults, 0);
  });
});
