// One row of a school's user file (src/admin/import-row.ts), pure: role names as people type them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { roleNames } from '../../src/admin/import.ts';
import { headerRefusal, parseImportRow } from '../../src/admin/import-row.ts';
import { nationalIdFor } from '../helpers/fixtures.ts';
import { catalogs } from '../../src/i18n/catalogs.ts';

const roleOf = (role: string) => {
  const parsed = parseImportRow({ national_id: nationalIdFor(7), role }, 'ir', roleNames);
  return parsed.ok ? parsed.row.role : parsed.problems.join('+');
};

test('a role\'s Persian name with a ZWNJ (as the Persian keyboard types it), a space, none, or extra ones is the same role', () => {
  for (const typed of ['دانش‌آموز', 'دانش آموز', 'دانشآموز', ' دانش‌‌آموز ', 'دانش \u200c آموز', 'دانش\u00a0آموز']) {
    assert.equal(roleOf(typed), 'student', JSON.stringify(typed));
  }
  // Arabic-keyboard letters (ي ك), an invisible direction mark, a code in capitals, Hebrew and Arabic names.
  assert.equal(roleOf('معاون\u200f'), 'deputy');
  assert.equal(roleOf('TEACHER'), 'teacher');
  assert.equal(roleOf('סגן מנהל'), 'deputy');
  assert.equal(roleOf('סגן  מנהל'), 'deputy');
  assert.equal(roleOf('طالب'), 'student');
  // What is no role stays refused.
  for (const typed of ['', 'دانش', 'آموز', 'astronaut', 'دانش‌آموزان']) assert.equal(roleOf(typed), 'import.role_unknown', JSON.stringify(typed));
});

test('the unknown-role message lists role names the import takes, in each language as it writes them', () => {
  for (const locale of ['en', 'he', 'fa', 'ar'] as const) {
    const listed = /\(([^)]+)\)/.exec(catalogs[locale]['import.role_unknown'])?.[1];
    assert.ok(listed, locale);
    for (const name of listed.split(/[,،]\s*/)) assert.notEqual(roleOf(name), 'import.role_unknown', `${locale}: ${name}`);
  }
});

test('a row refused for its role still gives its national ID as read, in Latin digits; one whose ID is wrong gives none', () => {
  const persian = nationalIdFor(7).replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
  const refused = parseImportRow({ national_id: persian, role: 'astronaut' }, 'ir', roleNames);
  assert.deepEqual(refused, { ok: false, problems: ['import.role_unknown'], nationalId: nationalIdFor(7) });
  const wrong = parseImportRow({ national_id: '۱۲۳', role: 'astronaut' }, 'ir', roleNames);
  assert.ok(!wrong.ok && wrong.nationalId === undefined);
});

test('a header\'s unknown columns are quoted well-formed: cut at 200 units never splits an emoji, controls shown as �', () => {
  const refusal = headerRefusal(['national_id', 'role', `${'x'.repeat(198)}😀`]);
  assert.equal(refusal?.code, 'import.bad_header_unknown');
  const quoted = refusal!.params.unknown!;
  assert.ok(quoted.isWellFormed() && quoted.length <= 200, JSON.stringify(quoted.slice(-4)));
  assert.deepEqual(headerRefusal(['national_id', 'role', 'a\u202eb\u0000']), { code: 'import.bad_header_unknown', params: { unknown: '«a\ufffdb\ufffd»' } });
  assert.deepEqual(headerRefusal(['national_id']), { code: 'import.bad_header', params: {} });
  assert.equal(headerRefusal(['national_id', 'role', 'email']), undefined);
  assert.deepEqual(headerRefusal(['national_id', 'role', 'email', 'role', 'email', 'role']), { code: 'import.bad_header_duplicate', params: { columns: '«role», «email»' } });
  // Unknown or missing columns say so first: a duplicate is the last thing wrong with a header.
  assert.equal(headerRefusal(['national_id', 'national_id'])?.code, 'import.bad_header');
  assert.equal(headerRefusal(['national_id', 'role', 'rol', 'role'])?.code, 'import.bad_header_unknown');
});

test('a file of a OneRoster export uploaded alone is told to upload the whole zip', () => {
  const users = ['sourcedId', 'status', 'dateLastModified', 'enabledUser', 'orgSourcedIds', 'role', 'username', 'userIds', 'givenName', 'familyName'];
  assert.deepEqual(headerRefusal(users), { code: 'import.oneroster_file', params: {} });
  assert.deepEqual(headerRefusal(['sourcedid', 'name', 'type', 'parentsourcedid']), { code: 'import.oneroster_file', params: {} }, 'as the import reads headers, in lower case');
  assert.equal(headerRefusal(['national_id', 'role'])?.code, undefined);
});
