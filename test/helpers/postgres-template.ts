// A migrated database on the test PostgreSQL server, made once per test run by the global setup:
// a test database is then created as its copy (CREATE DATABASE … TEMPLATE) instead of empty and
// migrated, which took ~0.3 s of every one of them.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';

export const POSTGRES_TEMPLATE_VAR = 'KELID_TEST_POSTGRES_TEMPLATE';

/**
 * Creates and migrates the template on the server of `adminUrl` (a superuser's, as
 * createTestDatabase needs); answers its name and how to drop it. No connection to it is left
 * open: PostgreSQL copies a database only while nobody is connected to it.
 */
export async function makePostgresTemplate(adminUrl: string): Promise<{ name: string; remove(): Promise<void> }> {
  const name = `kelid_template_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = async (text: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), dataDir: '', poolSize: 1 });
  try {
    await migrate(handle);
  } finally {
    await handle.close();
  }
  return { name, remove: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** The template's name, when the global setup made one. */
export const postgresTemplate = (): string | undefined => process.env[POSTGRES_TEMPLATE_VAR] || undefined;
