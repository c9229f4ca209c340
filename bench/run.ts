// `npm run bench -- <name>`: runs one benchmark from bench/ and prints its figures.
const benchmarks: Record<string, () => Promise<unknown>> = {
  login: async () => (await import('./login.ts')).runLoginBenchmark(),
  registration: async () => (await import('./registration.ts')).runRegistrationBenchmark(),
  admin: async () => (await import('./admin.ts')).runAdminBenchmark(),
  oidc: async () => (await import('./oidc.ts')).runOidcBenchmark(),
  otp: async () => (await import('./otp.ts')).runOtpBenchmark(),
  'exam-day': async () => (await import('./exam-day.ts')).runExamDayBenchmark(),
  import: async () => (await import('./import.ts')).runImportBenchmark(),
  pages: async () => (await import('./pages.ts')).runPagesBenchmark(),
};

const name = process.argv[2] ?? '';
const run = benchmarks[name];
if (!run) {
  console.error(`usage: npm run bench -- <${Object.keys(benchmarks).join('|')}>`);
  process.exit(2);
}
await run();
