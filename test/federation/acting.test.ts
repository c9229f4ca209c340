// Whether a role chosen earlier in a sign-in stands for the next request to the same app
// (src/federation/acting.ts stillServed), without asking the database again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideRole, stillServed, type ChosenRole } from '../../src/federation/acting.ts';
import type { MembershipView } from '../../src/identity/memberships.ts';

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
  const none = chosen({ membershipId: null, actingRole: null, activeRoles: ['teacher', 'principal'] });
  assert.equal(stillServed(none, { ...request, asksRoles: false }), true);
  assert.equal(stillServed(none, request), false, 'a request that asks for roles is decided again');
  assert.equal(stillServed({ ...none, activeRoles: ['student'] }, { ...request, asksRoles: false }), false, 'no served role held any more');
  assert.equal(stillServed({ ...none, activeRoles: [] }, { ...request, servesRoles: [], asksRoles: false }), true, 'an app for anyone');
});

test('let in by administrators\' appointments alone, a person acts as one even where the app does not ask for roles', () => {
  const admins = ['district_admin', 'province_admin', 'ministry_admin'] as const;
  const noRoles = { ...request, servesRoles: admins, asksRoles: false };
  const onlyAdmin = chosen({ membershipId: null, actingRole: null, activeRoles: ['district_admin', 'student'] });
  assert.equal(stillServed(onlyAdmin, noRoles), false, 'the second factor, required, not passed');
  assert.equal(stillServed(onlyAdmin, { ...noRoles, secondFactorPassed: true }), true);
  assert.equal(stillServed(onlyAdmin, { ...noRoles, secondFactorRequired: false }), true);
  assert.equal(stillServed(chosen({ membershipId: null, actingRole: null, activeRoles: ['principal'] }), { ...request, asksRoles: false }), false,
    'an employees\' app that serves a principal as such');

  const membership = (role: MembershipView['role']) => ({ id: role, role }) as MembershipView;
  const context = { pending: false, asksRoles: false, servesRoles: admins as readonly MembershipView['role'][], secondFactorPassed: false, secondFactorRequired: true };
  assert.deepEqual(decideRole([membership('district_admin')], context), { kind: 'second_factor' });
  assert.deepEqual(decideRole([membership('district_admin')], { ...context, secondFactorPassed: true }), { kind: 'take', membershipId: null, role: null });
  assert.deepEqual(decideRole([membership('district_admin')], { ...context, secondFactorRequired: false }), { kind: 'take', membershipId: null, role: null });
  assert.deepEqual(decideRole([membership('teacher'), membership('principal')], { ...context, servesRoles: employees }), { kind: 'take', membershipId: null, role: null },
    'a teacher too: let in as a teacher, not only as an administrator');
  assert.deepEqual(decideRole([membership('principal')], { ...context, servesRoles: [] }), { kind: 'take', membershipId: null, role: null },
    'an app for anyone lets the person in as no one in particular');
  assert.deepEqual(decideRole([], context), { kind: 'refuse', reason: 'no_role' });
});
