/**
 * Starts the three example apps in one process (`npm run demo` starts Kelid beside them):
 * exam registration on 4001, the parents portal on 4002, payslips on 4003, each with its
 * documented demo client. Only the settings the three share are read from the environment
 * (KELID_ISSUER, KELID_PROFILE, HOST); to change one app's client, port or address, run
 * that app on its own (see its README).
 */
import { examRegistration } from './exam-registration/server.ts';
import { parentsPortal } from './parents-portal/server.ts';
import { payslipsApp } from './payslips/server.ts';
import { runApps } from './shared/run.ts';

const shared = {
  KELID_ISSUER: process.env['KELID_ISSUER'],
  KELID_PROFILE: process.env['KELID_PROFILE'],
  HOST: process.env['HOST'],
};

await runApps([examRegistration, parentsPortal, payslipsApp].map((app) => ({ app, env: shared })));
