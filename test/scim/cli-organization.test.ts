// `npm run kelid -- clients add … --organization` binds a SCIM client to an organization's
// subtree (by id or ministry code); a binding without the scope scim, or to no organization,
// is one clear line and exit code 1.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';

const exec = promisify(execFile);
const cli = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
const SECRET = 'cli-scim-secret-'.padEnd(48, 'x');

describe('kelid clients add --organization', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  const school = randomUUID();
  const kelid = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await exec(process.execPath, [cli, ...args], { env: { ...process.env, DATABASE_URL: database.url, KELID_SECRET: SECRET }, encoding: 'utf8' });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };
  before(async () => {
    database = await createTestDatabase();
    handle = await openDatabase({ databaseUrl: database.url, dataDir: '', poolSize: 2 });
    await migrate(handle);
    await handle.db.insertInto('organizations').values({ id: school, parent_id: null, level: 'school', type: 'public', name: 'دبستان الف', code: '12345678', path: `/${school}/` }).execute();
  });
  after(async () => { await handle.close(); await database.drop(); });

  test('binds by id or by code, lists the binding, and refuses what cannot be bound', async () => {
    const scim = ['--grant', 'client_credentials', '--scope', 'scim'];
    const byId = await kelid('clients', 'add', 'sis-one', '--name', 'SIS', ...scim, '--organization', school);
    assert.equal(byId.code, 0, byId.stderr);
    const byCode = await kelid('clients', 'add', 'sis-two', '--name', 'SIS', ...scim, '--organization', '12345678');
    assert.equal(byCode.code, 0, byCode.stderr);
    const rows = await handle.db.selectFrom('oidc_clients').select(['client_id', 'organization_id']).where('client_id', 'in', ['sis-one', 'sis-two']).orderBy('client_id').execute();
    assert.deepEqual(rows.map((r) => r.organization_id), [school, school]);
    assert.match((await kelid('clients', 'list')).stdout, new RegExp(`SCIM for the subtree of organization ${school}`));
    const unknown = await kelid('clients', 'add', 'sis-three', '--name', 'SIS', ...scim, '--organization', 'nowhere');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no organization nowhere/);
    const noScope = await kelid('clients', 'add', 'sis-four', '--name', 'SIS', '--grant', 'client_credentials', '--scope', '', '--organization', school);
    assert.equal(noScope.code, 1);
    assert.match(noScope.stderr, /--scope scim/);
    assert.equal(await handle.db.selectFrom('oidc_clients').select('client_id').where('client_id', 'in', ['sis-three', 'sis-four']).executeTakeFirst(), undefined);
  });
});
