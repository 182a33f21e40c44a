/**
 * `npm run bench`: runs every bench/*.bench.ts (or those named on the command line), prints
 * a table and writes bench-results.json (an array of {name, value, unit, baseline?, ratio?}).
 */
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findRoot } from '../functions/local/dynamodb-local';
import * as bundles from './bundles.bench';
import * as cli from './cli.bench';
import * as clock from './clock.bench';
import * as coldstart from './coldstart.bench';
import * as digest from './digest.bench';
import * as filing from './filing.bench';
import * as load from './load.bench';
import * as relay from './relay.bench';
import * as report from './report.bench';
import * as scan from './scan.bench';
import * as slack from './slack.bench';
import type { Bench, BenchResult } from './types';
import * as web from './web.bench';

// Listed explicitly: bench/run.ts is bundled by esbuild, which needs static imports.
const BENCHES: Record<string, Bench> = {
  clock: clock.run,
  slack: slack.run,
  filing: filing.run,
  relay: relay.run,
  load: load.run,
  scan: scan.run,
  report: report.run,
  digest: digest.run,
  web: web.run,
  bundles: bundles.run,
  cli: cli.run,
  coldstart: coldstart.run,
};
const ROOT = findRoot(); // this file runs bundled from build/run/bench

function loadOptional(): void {
  const dir = path.join(ROOT, 'bench');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.bench.ts'))) {
    const name = file.replace('.bench.ts', '');
    if (!(name in BENCHES)) console.warn(`bench/${file} is not listed in bench/run.ts; add it to BENCHES`);
  }
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.env.KEPT_LOG_LEVEL = 'SILENT';
  loadOptional();
  const wanted = process.argv.slice(2);
  const results: BenchResult[] = [];
  for (const [name, bench] of Object.entries(BENCHES)) {
    if (wanted.length && !wanted.includes(name)) continue;
    process.stderr.write(`running ${name}...\n`);
    results.push(...(await bench()));
  }
  const rows = results.map((r) => [
    r.name,
    String(r.value),
    r.unit,
    r.baseline === undefined ? '' : String(r.baseline),
    r.ratio === undefined ? '' : `${r.ratio}x`,
    r.budget ?? '',
    r.ok === undefined ? '' : r.ok ? 'ok' : 'OVER',
  ]);
  const head = ['name', 'value', 'unit', 'baseline', 'ratio', 'budget', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [head, ...rows])
    console.log(
      row
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
  const file = path.join(ROOT, 'bench-results.json');
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(process.cwd(), file) || file}`);
  if (results.some((r) => r.ok === false)) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
