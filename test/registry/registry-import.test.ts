import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { isValidNationalId, nationalIdCheckDigit } from '../../src/domain/national-id.ts';
import { importRegistry, RegistryFileError } from '../../src/identity/registry.ts';
import { hmacHex } from '../../src/secrets.ts';
import { openTestDatabase } from '../helpers/app.ts';

const HEADER = 'national_id,first_name,last_name,birth_date,birth_certificate_serial,gender';
const key = Buffer.alloc(32, 7);

/** A valid Iranian code per number; each test uses its own range so tests share one database. */
function idFor(n: number): string {
  const first9 = `2${String(n).padStart(8, '0')}`;
  const id = first9 + String(nationalIdCheckDigit(first9));
  assert.ok(isValidNationalId(id, 'ir'), id);
  return id;
}

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let handle: DatabaseHandle;

before(async () => {
  database = await openTestDatabase('postgres');
  handle = database.handle;
});
after(async () => {
  await database.close();
});

const importText = (text: string, profile: 'ir' | 'il' = 'ir') =>
  importRegistry(handle.db, Readable.from([Buffer.from(text, 'utf8')]), { profile, personalDataKey: key, source: 'test.csv' });
const person = (nationalId: string) =>
  handle.db.selectFrom('people').selectAll().where('national_id', '=', nationalId).executeTakeFirst();
const peopleCount = async () => Number((await handle.db.selectFrom('people').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

describe('registry import', () => {
  test('imports good rows and reports each bad row by line number with its reasons', async () => {
    const text = [
      HEADER,
      `${idFor(101)},سارا,احمدی,2005-09-06,123456,female`,
      `${idFor(102).slice(0, 9)}0,رضا,کریمی,2011-05-10,,male`,
      `${idFor(103)},,کریمی,2011-13-01,12,x`,
      '',
      `${idFor(104)},مریم,رضایی,1386/11/30,,`,
    ].join('\n');
    const report = await importText(text);
    assert.deepEqual(report, {
      created: 2, updated: 0, unchanged: 0, rejected: 2,
      problems: [
        'line 3: national_id.checksum (national_id)',
        'line 4: name.required (first_name), date.invalid (birth_date), serial.invalid (birth_certificate_serial), gender.invalid (gender)',
      ],
    });
    const maryam = await person(idFor(104));
    assert.equal(maryam?.birth_date, '2008-02-19');
    assert.equal(maryam?.gender, null);
  });

  test('accepts a byte-order mark, Persian digits, Arabic letter forms and columns in any order', async () => {
    const text = '\ufeffbirth_date,last_name,first_name,national_id\n'
      + `۱۳۸۴/۰۶/۱۵,كريمي,علي,${[...idFor(201)].map((d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]).join('')}\n`;
    const report = await importText(text);
    assert.equal(report.created, 1);
    const row = await person(idFor(201));
    assert.deepEqual([row?.first_name, row?.last_name, row?.birth_date], ['علی', 'کریمی', '2005-09-06']);
  });

  test('importing the same file again changes nothing', async () => {
    const text = [HEADER, ...[301, 302, 303].map((n) => `${idFor(n)},نام${n},خانواده,2010-01-0${n - 300},65432${n - 300},male`)].join('\r\n');
    assert.deepEqual(await importText(text), { created: 3, updated: 0, unchanged: 0, rejected: 0, problems: [] });
    const before = await person(idFor(301));
    assert.deepEqual(await importText(text), { created: 0, updated: 0, unchanged: 3, rejected: 0, problems: [] });
    assert.deepEqual(await person(idFor(301)), before);
  });

  test('a changed name updates that person only', async () => {
    const rows = (name: string) => [HEADER, `${idFor(401)},${name},یزدانی,2009-04-04,,female`, `${idFor(402)},نرگس,یزدانی,2009-04-04,,female`].join('\n');
    await importText(rows('کیمیا'));
    const report = await importText(rows('کیمیا سادات'));
    assert.deepEqual([report.created, report.updated, report.unchanged], [0, 1, 1]);
    assert.equal((await person(idFor(401)))?.first_name, 'کیمیا سادات');
  });

  test('stores the birth-certificate serial only as an HMAC, and an empty serial keeps it', async () => {
    await importText(`${HEADER}\n${idFor(501)},هادی,ملکی,1999-09-09,۷۶۵۴۳۲,male\n`);
    const row = await person(idFor(501));
    assert.equal(row?.birth_serial_hmac, hmacHex(key, '765432'));
    assert.ok(!JSON.stringify(row).includes('765432'), 'no column holds the serial in clear');
    const again = await importText(`national_id,first_name,last_name,birth_date\n${idFor(501)},هادی,ملکی,1999-09-09\n`);
    assert.equal(again.unchanged, 1);
    assert.equal((await person(idFor(501)))?.birth_serial_hmac, hmacHex(key, '765432'));
  });

  test('a wrong header is refused, naming the missing column, and nothing is written', async () => {
    const count = await peopleCount();
    await assert.rejects(importText(`national_id,first_name,family_name,birth_date\n${idFor(601)},a,b,2000-01-01\n`), (error: unknown) => {
      assert.ok(error instanceof RegistryFileError);
      assert.match(error.message, /missing column\(s\): last_name/);
      assert.match(error.message, /unknown column\(s\): family_name/);
      return true;
    });
    await assert.rejects(importText(''), RegistryFileError);
    assert.equal(await peopleCount(), count);
  });

  test('a row with the wrong number of fields is rejected; broken quoting stops the whole import', async () => {
    const report = await importText(`${HEADER}\n${idFor(701)},a,b,2000-01-01,,\n${idFor(702)},a,b\n`);
    assert.deepEqual([report.created, report.rejected, report.problems], [1, 1, ['line 3: csv.column_count']]);
    const count = await peopleCount();
    await assert.rejects(importText(`${HEADER}\n${idFor(703)},a,b,2000-01-01,,\n${idFor(704)},"a"b,c,2000-01-01,,\n`), /line 3: the file is not valid CSV/);
    assert.equal(await peopleCount(), count);
  });

  test('when an ID appears twice, the later line wins', async () => {
    const report = await importText(`${HEADER}\n${idFor(801)},اول,نوری,2000-01-01,,\n${idFor(801)},دوم,نوری,2000-01-01,,\n`);
    assert.deepEqual([report.created, report.updated], [1, 1]);
    assert.equal((await person(idFor(801)))?.first_name, 'دوم');
  });

  test('records one registry.imported audit event with the counts', async () => {
    await importText(`${HEADER}\n${idFor(901)},سینا,قاسمی,2001-02-03,,male\nbad,,,,,\n`);
    const event = await handle.db.selectFrom('audit_events').select(['type', 'data']).where('type', '=', 'registry.imported')
      .orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    assert.deepEqual(event.data, { created: 1, updated: 0, unchanged: 0, rejected: 1, source: 'test.csv' });
  });

  test('streams a 100,000-row file', async (t) => {
    const rows = 100_000;
    async function* file() {
      yield `${HEADER}\n`;
      for (let start = 0; start < rows; start += 1000) {
        let chunk = '';
        for (let n = start; n < start + 1000; n++) chunk += `${idFor(10_000_001 + n)},نام,خانواده,2010-01-01,,female\n`;
        yield chunk;
      }
    }
    const started = performance.now();
    const report = await importRegistry(handle.db, Readable.from(file()), { profile: 'ir', personalDataKey: key });
    assert.deepEqual([report.created, report.rejected], [rows, 0]);
    t.diagnostic(`100,000 rows imported in ${Math.round(performance.now() - started)} ms`);
  });
});
