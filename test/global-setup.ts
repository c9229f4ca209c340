// Global setup for `node --test --test-global-setup=test/global-setup.ts`.
//
// Runs once in the test runner's main process before any test file starts
// (each test file then runs in its own child process, which inherits this
// process's environment), and globalTeardown runs once after all of them,
// also when tests fail.
//
// - PostgreSQL: uses DATABASE_URL when set; otherwise starts a throw-away
//   embedded PostgreSQL 18. Either way the admin URL is passed to the test
//   processes in KELID_TEST_DATABASE_URL (see test/helpers/postgres.ts), and a
//   migrated template database is made there for the test databases to copy
//   (test/helpers/postgres-template.ts).
// - Chromium: unless KELID_TEST_CHROMIUM names another, unpacks the
//   @sparticuz/chromium headless shell once here, so parallel test files don't
//   race to unpack it (see test/helpers/browser.ts).

import { ensureSparticuzChromium, usesSparticuzChromium } from './helpers/browser.ts';
import { startTestPostgres, TEST_DATABASE_URL_VAR } from './helpers/postgres.ts';
import type { TestPostgresServer } from './helpers/postgres.ts';
import { makePgliteTemplate, PGLITE_TEMPLATE_VAR } from './helpers/pglite-template.ts';
import { makePostgresTemplate, POSTGRES_TEMPLATE_VAR } from './helpers/postgres-template.ts';

let server: TestPostgresServer | undefined;
let template: { file: string; remove(): Promise<void> } | undefined;
let postgresTemplate: { name: string; remove(): Promise<void> } | undefined;

export async function globalSetup(): Promise<void> {
  const [database, browser, pglite] = await Promise.allSettled([
    (async () => {
      const external = process.env['DATABASE_URL'];
      const url = external || (server = await startTestPostgres()).url;
      process.env[TEST_DATABASE_URL_VAR] = url;
      postgresTemplate = await makePostgresTemplate(url);
      process.env[POSTGRES_TEMPLATE_VAR] = postgresTemplate.name;
    })(),
    (async () => {
      if (usesSparticuzChromium()) await ensureSparticuzChromium();
    })(),
    (async () => {
      template = await makePgliteTemplate();
      process.env[PGLITE_TEMPLATE_VAR] = template.file;
    })(),
  ]);
  for (const result of [database, browser, pglite]) {
    if (result.status === 'rejected') {
      await postgresTemplate?.remove().catch(() => undefined);
      await server?.stop();
      await template?.remove();
      throw result.reason;
    }
  }
}

export async function globalTeardown(): Promise<void> {
  await postgresTemplate?.remove().catch(() => undefined);
  postgresTemplate = undefined;
  await server?.stop();
  server = undefined;
  await template?.remove();
  template = undefined;
}
