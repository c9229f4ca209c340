import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkRegistryHeader, parseRegistryRow } from '../../src/domain/registry-row.ts';

const good = { national_id: '0076229645', first_name: 'سارا', last_name: 'احمدی', birth_date: '2005-09-06' };

function problemsOf(record: Record<string, string>, profile: 'ir' | 'il' = 'ir') {
  const result = parseRegistryRow(record, profile);
  assert.equal(result.ok, false);
  return result.ok ? [] : result.problems;
}

describe('a registry row', () => {
  test('a complete row is accepted and normalized', () => {
    const result = parseRegistryRow({ ...good, birth_certificate_serial: '123456', gender: 'female' }, 'ir');
    assert.deepEqual(result, {
      ok: true,
      value: { nationalId: '0076229645', firstName: 'سارا', lastName: 'احمدی', birthDate: '2005-09-06', serial: '123456', gender: 'female' },
    });
  });

  test('Persian digits are read in the ID, the Solar Hijri date and the serial', () => {
    const result = parseRegistryRow({
      national_id: '۰۰۷۶۲۲۹۶۴۵', first_name: 'سارا', last_name: 'احمدی', birth_date: '۱۳۸۴/۰۶/۱۵', birth_certificate_serial: '۱۲۳۴۵۶',
    }, 'ir');
    assert.ok(result.ok);
    assert.equal(result.value.nationalId, '0076229645');
    assert.equal(result.value.birthDate, '2005-09-06');
    assert.equal(result.value.serial, '123456');
  });

  test('a year below 1700 is Solar Hijri, otherwise Gregorian', () => {
    const hijri = parseRegistryRow({ ...good, birth_date: '1390/02/20' }, 'ir');
    assert.ok(hijri.ok);
    assert.equal(hijri.value.birthDate, '2011-05-10');
    const gregorian = parseRegistryRow({ ...good, birth_date: '2011-05-10' }, 'ir');
    assert.ok(gregorian.ok);
    assert.equal(gregorian.value.birthDate, '2011-05-10');
  });

  test('Arabic letter forms and stray spaces in names are normalized', () => {
    const result = parseRegistryRow({ ...good, first_name: '  علي ', last_name: 'كريمي\u200f' }, 'ir');
    assert.ok(result.ok);
    assert.equal(result.value.firstName, 'علی');
    assert.equal(result.value.lastName, 'کریمی');
  });

  test('leading zeros dropped by a spreadsheet are restored', () => {
    const result = parseRegistryRow({ ...good, national_id: '76229645' }, 'ir');
    assert.ok(result.ok);
    assert.equal(result.value.nationalId, '0076229645');
  });

  test('each problem gets its own reason code and field', () => {
    assert.deepEqual(problemsOf({ national_id: '0076229646', first_name: ' ', last_name: 'x', birth_date: '2005-02-30', birth_certificate_serial: '12345', gender: 'f' }), [
      { field: 'national_id', code: 'national_id.checksum' },
      { field: 'first_name', code: 'name.required' },
      { field: 'birth_date', code: 'date.invalid' },
      { field: 'birth_certificate_serial', code: 'serial.invalid' },
      { field: 'gender', code: 'gender.invalid' },
    ]);
  });

  test('missing values are named', () => {
    assert.deepEqual(problemsOf({ national_id: '', first_name: 'a', last_name: '', birth_date: '' }), [
      { field: 'national_id', code: 'national_id.required' },
      { field: 'last_name', code: 'name.required' },
      { field: 'birth_date', code: 'date.required' },
    ]);
  });

  test('an impossible Solar Hijri day is refused', () => {
    assert.deepEqual(problemsOf({ ...good, birth_date: '1384/07/31' }), [{ field: 'birth_date', code: 'date.invalid' }]);
  });

  test('serial and gender are optional; a serial must be exactly six digits', () => {
    const result = parseRegistryRow({ ...good, birth_certificate_serial: '', gender: '' }, 'ir');
    assert.ok(result.ok);
    assert.equal(result.value.serial, undefined);
    assert.equal(result.value.gender, undefined);
    assert.deepEqual(problemsOf({ ...good, birth_certificate_serial: '12345a' }), [{ field: 'birth_certificate_serial', code: 'serial.invalid' }]);
    assert.deepEqual(problemsOf({ ...good, birth_certificate_serial: '1234567' }), [{ field: 'birth_certificate_serial', code: 'serial.invalid' }]);
  });

  test('a name longer than 100 characters is refused', () => {
    assert.deepEqual(problemsOf({ ...good, last_name: 'ا'.repeat(101) }), [{ field: 'last_name', code: 'name.too_long' }]);
  });

  test('the Israeli profile checks Israeli IDs', () => {
    const result = parseRegistryRow({ ...good, national_id: '39337423', first_name: 'שרה', last_name: 'כהן' }, 'il');
    assert.ok(result.ok);
    assert.equal(result.value.nationalId, '039337423');
    assert.deepEqual(problemsOf({ ...good, national_id: '039337422' }, 'il'), [{ field: 'national_id', code: 'national_id.checksum' }]);
  });
});

describe('the registry header', () => {
  test('the optional columns may be left out', () => {
    assert.deepEqual(checkRegistryHeader(['national_id', 'first_name', 'last_name', 'birth_date']), { missing: [], unknown: [], duplicated: [] });
  });

  test('missing, unknown and repeated columns are named', () => {
    assert.deepEqual(checkRegistryHeader(['national_id', 'first_name', 'first_name', 'birthdate']), {
      missing: ['last_name', 'birth_date'], unknown: ['birthdate'], duplicated: ['first_name'],
    });
  });
});
