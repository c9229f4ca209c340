import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dictionary } from '@zxcvbn-ts/language-common';
import { isCommonPassword } from '../../src/domain/common-passwords.ts';

test('the most common passwords are refused whatever their case or digit script', () => {
  for (const pw of ['123456', 'password', 'PASSWORD', 'qwerty', 'p@ssw0rd', 'P@ssw0rd', 'iloveyou', '۱۲۳۴۵۶', '١٢٣٤٥٦']) {
    assert.equal(isCommonPassword(pw), true, pw);
  }
});

test('only the first 10,000 entries of the list count', () => {
  const list = dictionary['passwords-common'];
  const last = list[9_999] ?? '';
  const beyond = list.slice(10_000).find((p) => !list.slice(0, 10_000).some((q) => q.toLowerCase() === p.toLowerCase()));
  assert.equal(isCommonPassword(last), true);
  assert.ok(beyond !== undefined);
  assert.equal(isCommonPassword(beyond), false);
});

test('an uncommon password passes', () => {
  assert.equal(isCommonPassword('Kelid-Mehr-1404!'), false);
  assert.equal(isCommonPassword(''), false);
});
