// The plan a keyed statement runs with (src/db/keyed.ts): prepared on a connection with the keyed
// pool's settings, so planned once, generically, as on a keyed connection, and run under EXPLAIN.
import pg from 'pg';
import type { CompiledQuery } from 'kysely';
import { KEYED_SESSION_SETTINGS } from '../../src/db/postgres.ts';

type PlanNode = { 'Node Type': string; 'Index Name'?: string; 'Shared Hit Blocks': number; 'Shared Read Blocks': number; Plans?: PlanNode[] };

/**
 * Runs `compiled` as a keyed connection would (its generic plan) under EXPLAIN (ANALYZE, BUFFERS):
 * answers the plan's indexes and node types as one text (to match against) and the buffers it
 * touched. The plan is made at the statement's first run, then `meanwhile` (the tables growing,
 * as a connection's plan outlives the sizes it was made for), then the measured run.
 * Parameters: strings, numbers, booleans, dates and arrays of strings (EXECUTE takes literals).
 */
export async function keyedPlan(
  url: string, compiled: Pick<CompiledQuery, 'sql' | 'parameters'>, meanwhile: () => Promise<unknown> = async () => undefined,
): Promise<{ plan: string; buffers: number }> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    await client.query(KEYED_SESSION_SETTINGS);
    await client.query({ name: 'measured', text: compiled.sql, values: [...compiled.parameters] });
    await meanwhile();
    const literals = compiled.parameters.map((value) => {
      if (value instanceof Date) return client.escapeLiteral(value.toISOString());
      if (['string', 'number', 'boolean'].includes(typeof value)) return client.escapeLiteral(String(value));
      if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
        return client.escapeLiteral(`{${value.map((item: string) => `"${item.replace(/["\\]/g, '\\$&')}"`).join(',')}}`);
      }
      throw new Error(`keyedPlan: a parameter of another kind (${typeof value})`);
    });
    const { rows: [row] } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`explain (analyze, buffers, format json) execute measured(${literals.join(', ')})`);
    const root = row!['QUERY PLAN'][0].Plan;
    const names: string[] = [];
    const walk = (node: PlanNode) => { names.push(node['Index Name'] ? `${node['Node Type']} using ${node['Index Name']}` : node['Node Type']); node.Plans?.forEach(walk); };
    walk(root);
    return { plan: names.join(' · '), buffers: root['Shared Hit Blocks'] + root['Shared Read Blocks'] };
  } finally {
    await client.end();
  }
}
