/** On an empty database `npm start` loads the demo data, and says so loudly (DESIGN.md Contracts). */
import type { DatabaseHandle } from '../db/database.ts';
import { loadDemoData, type DemoOptions } from './demo-data.ts';

export async function loadDemoIfEmpty(handle: DatabaseHandle, options: DemoOptions, warn: (message: string) => void): Promise<void> {
  const any = await handle.db.selectFrom('people').select('id').limit(1).executeTakeFirst();
  if (any !== undefined) return;
  const summary = await loadDemoData(handle, options);
  warn(`DEMO DATA LOADED (KELID_DEMO=0 turns this off): ${JSON.stringify(summary.counts)}. Every demo account's password is KELID_DEMO_PASSWORD (default Kelid-Demo-1405): demo only, never in production.`);
}
