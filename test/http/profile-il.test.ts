// The Israeli profile: Hebrew by default, 9-digit IDs, the demo principal's role choice.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadDemoData } from '../../src/demo/demo-data.ts';
import { deriveKeys } from '../../src/secrets.ts';
import { createAgent } from '../helpers/agent.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

describe('the il profile', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp('pglite', { KELID_PROFILE: 'il' });
    t.clock.set(new Date('2026-11-25T08:00:00Z'));
    await loadDemoData(t.handle, { profile: 'il', password: 'Kelid-Demo-1405', hasher: t.hasher, today: '2026-11-25', personalDataKey: deriveKeys(t.config.secret!).personalData });
  });
  after(() => t.close());

  test('pages are Hebrew and right to left by default', async () => {
    const page = await createAgent(t.app).get('/sign-in');
    assert.match(page.body, /<html lang="he" dir="rtl">/);
  });

  test('the demo principal signs in with a short ID (padded to 9 digits) and is asked to choose a role', async () => {
    const agent = createAgent(t.app);
    const response = await agent.submit('/sign-in', { identifier: '12345674', password: 'Kelid-Demo-1405' });
    assert.equal(response.headers.location, '/role');
    const role = await agent.get('/role');
    assert.match(role.body, /בחרו תפקיד וארגון/);
    assert.equal([...role.body.matchAll(/name="membershipId"/g)].length, 2);
  });

  test('an Israeli ID with a wrong check digit is refused in Hebrew', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', headers: { 'accept-language': 'he' }, payload: { identifier: '039337422', password: 'x' } });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().error.message, 'מספר הזהות אינו תקין');
  });
});
