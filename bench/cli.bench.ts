/**
 * The `kept` command's own cost (issue #22): `kept due` run the two ways a person runs it, against
 * the floor of each way, in fresh processes taken in turn (A B A B …) so a drift of the machine's
 * speed moves both. The command runs from its cached build (bin/run.cjs): the first run below
 * warms the cache, as a person's first call after install or after changing the sources does.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { findRoot } from '../functions/local/dynamodb-local';
import { median, round } from './stats';
import type { Bench, BenchResult } from './types';

const ROOT = findRoot(); // this file runs bundled from build/run/bench
const RUNS = 20;
const DUE = [
  'due',
  '--calendar',
  'tests/fixtures/calendar-new-york.yaml',
  '--start',
  '2026-11-25T15:00:00-05:00',
  '--duration',
  '4h',
];
const NODE_BUDGET_MS = 300;
const NPX_EXTRA_BUDGET_MS = 300;

function timeOnce(cmd: string, args: string[]): number {
  const start = process.hrtime.bigint();
  const out = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, KEPT_LOG_LEVEL: '' } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (out.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${out.stderr.trim()}`);
  return ms;
}

/** Median wall time of A and of B over RUNS pairs, after one warm-up of each. */
function pair(a: [string, string[]], b: [string, string[]]): { a: number; b: number } {
  timeOnce(...a);
  timeOnce(...b);
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    as.push(timeOnce(...a));
    bs.push(timeOnce(...b));
  }
  return { a: round(median(as), 1), b: round(median(bs), 1) };
}

export const run: Bench = async () => {
  const kept = path.join('bin', 'kept.cjs');
  const node = pair(['node', [kept, ...DUE]], ['node', ['-e', '']]);
  const npx = pair(['npx', ['--no', 'kept', ...DUE]], ['npx', ['--no', '--', 'node', '-e', '']]);
  const extra = round(npx.a - npx.b, 1);
  const results: BenchResult[] = [
    {
      name: 'cli.node.due.median',
      value: node.a,
      unit: 'ms',
      baseline: node.b,
      ratio: round(node.a / node.b, 2),
      budget: `< ${NODE_BUDGET_MS} ms`,
      ok: node.a < NODE_BUDGET_MS,
    },
    { name: 'cli.npx.due.median', value: npx.a, unit: 'ms', baseline: npx.b, ratio: round(npx.a / npx.b, 2) },
    {
      name: 'cli.npx.due.over_npx_floor',
      value: extra,
      unit: 'ms',
      budget: `<= ${NPX_EXTRA_BUDGET_MS} ms`,
      ok: extra <= NPX_EXTRA_BUDGET_MS,
    },
  ];
  return results;
};
