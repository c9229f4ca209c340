// Attack (issue 13 review): exceljs's reader keeps every shared string of an XLSX in memory
// (sharedStrings 'cache'), each costing far more than its bytes. A 1.6 MB upload whose
// xl/sharedStrings.xml lists 4 million two-letter strings (72 MB, a ratio of 44: under every
// zip limit) took the process's heap from 0.3 to 1.9 GB: past KELID's 1 GB heap, the identity
// provider of every school goes down. A file with more shared strings (or runs) than a 100,000-row
// user file can hold, or a larger sharedStrings.xml, is refused as a bomb before exceljs reads it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import yauzl from 'yauzl';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount, createTree, nationalIdFor, type Tree } from '../helpers/fixtures.ts';
import { buildXlsx, multipartBody } from '../helpers/xlsx.ts';
import { buildZip } from '../helpers/zip.ts';

const PASSWORD = 'Modir-Madreseh-1404!';

/** The entries of a zip, in its order. */
const unzip = (bytes: Buffer) => new Promise<{ name: string; data: Buffer }[]>((resolve, reject) => yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
  if (error) return reject(error);
  const out: { name: string; data: Buffer }[] = [];
  zip.on('entry', (entry: yauzl.Entry) => zip.openReadStream(entry, (e, stream) => {
    if (e) return reject(e);
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => { out.push({ name: entry.fileName, data: Buffer.concat(chunks) }); zip.readEntry(); });
  }));
  zip.on('end', () => resolve(out));
  zip.readEntry();
}));

describe('An XLSX whose shared strings would fill the memory is refused', () => {
  let t: TestApp;
  let tree: Tree;
  let token: string;

  before(async () => {
    t = await startTestApp('pglite', { KELID_ADMIN_MFA: 'optional', KELID_IMPORT_BACKGROUND_ROWS: '1000000' });
    tree = await createTree(t.handle.db);
    await createAccount(t.handle.db, t.hasher, { nationalId: nationalIdFor(1), password: PASSWORD, memberships: [{ organizationId: tree.schoolA, role: 'principal' }] });
    await t.handle.db.insertInto('people').values({ national_id: nationalIdFor(40), first_name: 'نفر', last_name: 'آزمون', birth_date: '2012-01-01' }).execute();
    token = (await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { identifier: nationalIdFor(1), password: PASSWORD } })).json().token;
  });
  after(() => t.close());

  const send = async (bytes: Buffer) => {
    const body = await multipartBody({ name: 'users.xlsx', bytes });
    return t.app.inject({ method: 'POST', url: '/api/v1/admin/imports', payload: body.payload, headers: { authorization: `Bearer ${token}`, 'content-type': body.contentType } });
  };

  /** A one-row user file whose sharedStrings.xml also lists `extra` strings (or rich-text runs) no cell uses. */
  const padded = async (extra: number, item: (i: number) => string) => {
    const base = await unzip(await buildXlsx([{ rows: [['national_id', 'role'], [nationalIdFor(40), 'student']] }]));
    return buildZip(base.map((e) => {
      if (e.name !== 'xl/sharedStrings.xml') return e;
      const xml = e.data.toString('utf8');
      const close = xml.lastIndexOf('</sst>');
      const parts = [xml.slice(0, close)];
      for (let i = 0; i < extra; i++) parts.push(item(i));
      parts.push('</sst>');
      return { name: e.name, data: Buffer.from(parts.join('')) };
    }));
  };

  test('the file itself is imported', async () => {
    const sent = await send(await padded(0, () => ''));
    assert.equal(sent.statusCode, 200, sent.body);
    assert.equal(sent.json().created, 1);
  });

  test('600,000 unused shared strings: 422 import.zip_bomb, nothing read into memory', async () => {
    const sent = await send(await padded(600_000, (i) => `<si><t>${i % 7 === 0 ? (i % 1000).toString(36) : 'ab'}</t></si>`));
    assert.equal(sent.statusCode, 422, sent.body.slice(0, 300));
    assert.equal(sent.json().error.code, 'import.zip_bomb');
  });

  test('rich-text runs count as strings too', async () => {
    const sent = await send(await padded(300_000, (i) => `<si><r><t>${(i * 7919 % 100_000).toString(36)}</t></r><r><t>b</t></r></si>`));
    assert.equal(sent.statusCode, 422, sent.body.slice(0, 300));
    assert.equal(sent.json().error.code, 'import.zip_bomb');
  });

  test('a sharedStrings.xml larger than a user file\'s: 422 import.zip_bomb', async () => {
    const long = 'x'.repeat(1000);
    const sent = await send(await padded(60_000, (i) => `<si><t>${i}${long}</t></si>`));
    assert.equal(sent.statusCode, 422, sent.body.slice(0, 300));
    assert.equal(sent.json().error.code, 'import.zip_bomb');
  });
});
