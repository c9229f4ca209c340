// BENCH_SQL=1 in the benchmarks: PostgreSQL counts every statement (pg_stat_statements with
// planning tracked), reported per grant or sign-in of a measured load.
import type pg from 'pg';

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/** Server settings for startTestPostgres: pg_stat_statements loaded, planning counted too. */
export const statementStatsSettings = {
  shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all',
  'pg_stat_statements.track_utility': 'off', 'pg_stat_statements.track_planning': 'on',
};

/**
 * The statements of a measured load (pg_stat_statements), per grant: how many, and PostgreSQL's time
 * for them; the top 14 by calls (or by time spent, `by: 'time'`), each with the buffers it touched a
 * call (a statement that reads a table through grows with the table: hundreds or thousands here).
 */
export async function statementsPerGrant(admin: pg.Client | pg.Pool, grants: number, { by = 'calls' }: { by?: 'calls' | 'time' } = {}) {
  const { rows } = await admin.query<{ query: string; calls: string; total: number; plan: number; blocks: string }>(`
    select regexp_replace(query, '\\s+', ' ', 'g') as query, calls, total_exec_time as total, total_plan_time as plan,
      shared_blks_hit + shared_blks_read as blocks from pg_stat_statements
    where query not ilike '%pg_stat_statements%' order by ${by === 'calls' ? 'calls desc, total_exec_time desc' : 'total_exec_time + total_plan_time desc'}`);
  const n = Math.max(grants, 1);
  return {
    statements: round(rows.reduce((sum, r) => sum + Number(r.calls), 0) / n, 2),
    executionMs: round(rows.reduce((sum, r) => sum + r.total, 0) / n, 3),
    planningMs: round(rows.reduce((sum, r) => sum + r.plan, 0) / n, 3),
    top: rows.slice(0, 14).map((r) => ({
      perGrant: round(Number(r.calls) / n, 2), meanMs: round(r.total / Number(r.calls), 3), meanPlanMs: round(r.plan / Number(r.calls), 3),
      buffersPerCall: round(Number(r.blocks) / Number(r.calls)), query: r.query.slice(0, 140),
    })),
  };
}
