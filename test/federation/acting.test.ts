// Whether a role chosen earlier in a sign-in stands for the next request to the same app
// (src/federation/acting.ts stillServed), without asking the database again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stillServed, type ChosenRole } from '../../src/federation/acting.ts';

const employees = ['teacher', 'staff', 'deputy', 'principal'] as const;
const request = { servesRoles: employees, asksRoles: true, secondFactorPassed: false, secondFactorRequired: true };
const chosen = (over: Partial<ChosenRole>): ChosenRole => ({ sessionId: 's', membershipId: 'm', actingRole: 'teacher', activeRoles: ['teacher'], ...over });

test('a chosen appointment stands while active, served, and (an administrator\'s) past a required second factor', () => {
  assert.equal(stillServed(chosen({}), request), true);
  assert.equal(stillServed(chosen({ actingRole: null }), request), false, 'ended, not started or unapproved: the statement gives no role');
  assert.equal(stillServed(chosen({ actingRole: 'student' }), request), false, 'no longer a role the app serves');
  assert.equal(stillServed(chosen({ actingRole: 'principal' }), request), false, 'an administrator without the second factor now required');
  assert.equal(stillServed(chosen({ actingRole: 'principal' }), { ...request, secondFactorPassed: true }), true);
  assert.equal(stillServed(chosen({ actingRole: 'principal' }), { ...request, secondFactorRequired: false }), true);
  assert.equal(stillServed(chosen({ actingRole: 'student' }), { ...request, servesRoles: [] }), true, 'an app for anyone');
});

test('"no role" (taken when roles were not asked) stands only while roles are still not asked and a served role is held', () => {
  const none = chosen({ membershipId: null, actingRole: null, activeRoles: ['principal'] });
  assert.equal(stillServed(none, { ...request, asksRoles: false }), true);
  assert.equal(stillServed(none, request), false, 'a request that asks for roles is decided again');
  assert.equal(stillServed({ ...none, activeRoles: ['student'] }, { ...request, asksRoles: false }), false, 'no served role held any more');
  assert.equal(stillServed({ ...none, activeRoles: [] }, { ...request, servesRoles: [], asksRoles: false }), true, 'an app for anyone');
});
