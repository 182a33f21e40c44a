/**
 * (b) Each Lambda's esbuild bundle (the options the CDK stack uses) and the median time to
 * load it in a fresh Node process, against the floor: a bare Bolt handler that only acks,
 * bundled the same way. Also lists what makes the Slack bundle big, what the first public
 * holiday lookup costs the Slack function (date-holidays ships beside its bundle, loaded on first use),
 * and what the worker's first report charts cost (Vega bundled, resvg's wasm and the font beside it).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import { findRoot } from '../functions/local/dynamodb-local';
import { SDK_EXTERNAL } from '../lib/constructs/kept-function';
import {
  besideFile,
  HOLIDAYS_BUNDLE,
  SLACK_BESIDE,
  SLACK_BUNDLE,
  SLACK_BUNDLE_STUBBED,
  SLACK_STAND_INS,
} from '../lib/constructs/slack-api';
import { CHART_LIBRARIES } from '../lib/constructs/worker';
import { median, round } from './stats';
import type { Bench, BenchResult } from './types';

const ROOT = findRoot(); // this file runs bundled from build/run/bench
export const OUT = path.join(ROOT, 'build', 'bench');
const STUB = path.join(ROOT, 'functions', 'slack', 'lambda-stubs.cjs');
export const STUBBED = Object.fromEntries(SLACK_BUNDLE_STUBBED.map((name) => [name, STUB]));
/** slack-api.ts SLACK_BUNDLE's stand-ins (receiver stubs, luxon's), from this checkout's root. */
const SLACK_ALIAS = Object.fromEntries(
  Object.entries(SLACK_STAND_INS).map(([pkg, file]) => [pkg, path.join(ROOT, file)]),
);
const LOADS = 10;

export { HOLIDAYS_BUNDLE };

/** worker.ts CHART_RUNTIME_FILES: copied beside the worker's bundle, under node_modules/. */
const CHART_RUNTIME_FILES = [
  '@resvg/resvg-wasm/package.json',
  '@resvg/resvg-wasm/index.js',
  '@resvg/resvg-wasm/index_bg.wasm',
  'dejavu-fonts-ttf/package.json',
  'dejavu-fonts-ttf/LICENSE',
  'dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
];
const VEGA_CANVAS_BROWSER = path.join(ROOT, 'node_modules', 'vega-canvas', 'build', 'vega-canvas.browser.js');
const CHART_LOADS = 5;

export type Fn = 'slack' | 'scan' | 'digest' | 'worker' | 'floor';

/**
 * Mirrors lib/constructs/kept-function.ts, slack-api.ts and worker.ts (minify, node22, CJS, SDK
 * external; Slack: receiver stubs, date-holidays external; worker: Vega bundled with the
 * vega-canvas alias, resvg and the font external; the others reach no chart package at all).
 */
export function options(entry: string, outfile: string, fn: Fn): BuildOptions {
  const external =
    fn === 'slack' ? [...SLACK_BUNDLE.external] : [...SDK_EXTERNAL, ...(fn === 'floor' ? [] : ['date-holidays'])];
  if (fn === 'worker') external.push('@resvg/resvg-wasm', 'dejavu-fonts-ttf', ...CHART_LIBRARIES);
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external,
    metafile: true,
    logLevel: 'error',
    ...(fn === 'slack' ? { alias: SLACK_ALIAS } : {}),
    ...(fn === 'worker' ? { alias: { 'vega-canvas': VEGA_CANVAS_BROWSER } } : {}),
  };
}

/** Mirrors worker.ts chartLibraryCommands: Vega and Vega-Lite, each on its own, beside the worker's bundle. */
export async function buildChartLibraries(dir: string): Promise<void> {
  for (const name of CHART_LIBRARIES)
    await build({
      entryPoints: [require.resolve(name, { paths: [ROOT] })],
      outfile: path.join(dir, 'node_modules', name, 'index.js'),
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      alias: { 'vega-canvas': VEGA_CANVAS_BROWSER },
      logLevel: 'error',
    });
}

/** Mirrors slack-api.ts besideBundleCommand: `pkg` on its own, minified, in `besideFile(pkg)` under `dir`. */
export function besideOptions(pkg: string, dir: string): BuildOptions {
  return {
    entryPoints: [require.resolve(pkg, { paths: [ROOT] })],
    outfile: path.join(dir, besideFile(pkg)),
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    logLevel: 'error',
  };
}

const FLOOR_SOURCE = `
const { App, AwsLambdaReceiver } = require('@slack/bolt');
const receiver = new AwsLambdaReceiver({ signingSecret: 'x' });
const app = new App({ receiver, token: 'xoxb-floor', botId: 'B0', botUserId: 'U0', tokenVerificationEnabled: false });
app.command('/sla', async ({ ack }) => ack());
exports.handler = receiver.toHandler();
`;

/** Median ms to require() the bundle, each in a fresh `node` process (module loading only). */
function loadOnceMs(file: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const r = spawnSync(process.execPath, ['-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  if (r.status !== 0) throw new Error(`loading ${file} failed: ${r.stderr}`);
  return Number(r.stdout);
}

function loadMs(file: string): number {
  return median(Array.from({ length: LOADS }, () => loadOnceMs(file)));
}

/**
 * Medians of `file`'s and the floor's loads taken in turn, so the machine's load (others' tests on
 * 2 cores) hits both alike: measured one after the other, the same worker bundle read 1.02x and
 * 1.63x the floor in two runs; interleaved, 1.03x (2026-12-06).
 */
function pairedLoadMs(file: string, floor: string): { load: number; floor: number } {
  const ours: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    ours.push(loadOnceMs(file));
    bare.push(loadOnceMs(floor));
  }
  return { load: median(ours), floor: median(bare) };
}

/**
 * Median ms of the first public-holiday lookup in a fresh `node` process: require('date-holidays')
 * as the Slack bundle resolves it (its sibling node_modules, checked) and US holidays for one year.
 */
function firstHolidayMs(slackFile: string): number {
  const expected = path.join(path.dirname(slackFile), HOLIDAYS_BUNDLE);
  const samples: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    const script = [
      `const r=require('node:module').createRequire(${JSON.stringify(slackFile)});`,
      `if(r.resolve('date-holidays')!==${JSON.stringify(expected)})throw new Error('resolved '+r.resolve('date-holidays'));`,
      'const t=process.hrtime.bigint();const H=r("date-holidays");const n=new H("US").getHolidays(2026).length;',
      'const ms=Number(process.hrtime.bigint()-t)/1e6;if(!n)throw new Error("no US holidays");process.stdout.write(String(ms))',
    ].join('');
    const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`first holiday lookup from ${slackFile} failed: ${r.stderr}`);
    samples.push(Number(r.stdout));
  }
  return median(samples);
}

/**
 * The Slack function's asset as the stack writes it (slack-api.ts `afterBundling`: the same split
 * script, external packages and stand-ins, and the SLACK_BESIDE libraries beside the code):
 * index.js and the chunks it loads at start, the rest on use.
 */
export async function slackAsset(dir: string): Promise<void> {
  const entry = path.join(ROOT, 'functions', 'slack', 'handler.ts');
  const { external, alias } = options(entry, path.join(dir, 'index.js'), 'slack');
  const spec = Buffer.from(JSON.stringify({ entry, outdir: dir, external, alias })).toString('base64');
  execFileSync(process.execPath, [path.join(ROOT, 'bin', 'split-bundle.cjs'), spec], { stdio: 'inherit' });
  for (const pkg of SLACK_BESIDE) await build(besideOptions(pkg, dir));
}

/**
 * The Slack function's files: those a fresh process loads with index.js (what a cold start
 * parses), and all of them, in bytes and in files.
 */
export function slackFilesKiB(dir: string): { atStart: number; all: number; count: number; countAtStart: number } {
  const loaded = spawnSync(
    process.execPath,
    [
      '-e',
      `const b = new Set(Object.keys(require.cache)); require(${JSON.stringify(path.join(dir, 'index.js'))});
       process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((k) => !b.has(k))));`,
    ],
    { encoding: 'utf8' },
  );
  const startFiles = JSON.parse(loaded.stdout) as string[];
  const atStart = startFiles.reduce((sum, f) => sum + statSync(f).size, 0);
  const files = readdirSync(dir).filter((f) => f.endsWith('.js'));
  const all = files.reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0);
  return { atStart, all, count: files.length, countAtStart: startFiles.length };
}

export const run: Bench = async () => {
  mkdirSync(OUT, { recursive: true });
  const floorEntry = path.join(OUT, 'floor-entry.cjs');
  writeFileSync(floorEntry, FLOOR_SOURCE);
  // The floor as anyone would bundle it, and the same with our receiver stubs (a stricter reference).
  const floorFile = path.join(OUT, 'floor', 'index.js');
  await build(options(floorEntry, floorFile, 'floor'));
  const floorLoad = loadMs(floorFile);
  const stubbedFile = path.join(OUT, 'floor-stubbed', 'index.js');
  await build({ ...options(floorEntry, stubbedFile, 'floor'), alias: STUBBED });
  const stubbedLoad = loadMs(stubbedFile);
  const results: BenchResult[] = [
    { name: 'bundle_floor_bare_bolt_size', value: round(statSync(floorFile).size / 1024, 1), unit: 'KiB' },
    { name: 'bundle_floor_bare_bolt_load_median', value: round(floorLoad, 1), unit: 'ms' },
    { name: 'bundle_floor_bare_bolt_stubbed_size', value: round(statSync(stubbedFile).size / 1024, 1), unit: 'KiB' },
    { name: 'bundle_floor_bare_bolt_stubbed_load_median', value: round(stubbedLoad, 1), unit: 'ms' },
  ];
  for (const fn of ['slack', 'scan', 'digest', 'worker'] as const) {
    const outfile = path.join(OUT, fn, 'index.js');
    const result = await build(options(path.join(ROOT, 'functions', fn, 'handler.ts'), outfile, fn));
    // The Slack function ships split as the stack splits it (its parts below are from the one-file pass).
    if (fn === 'slack') await slackAsset(path.dirname(outfile));
    const size = (fn === 'slack' ? slackFilesKiB(path.dirname(outfile)).atStart : statSync(outfile).size) / 1024;
    const paired = pairedLoadMs(outfile, floorFile);
    const load = paired.load;
    const ratio = load / paired.floor;
    results.push({ name: `bundle_${fn}_size`, value: round(size, 1), unit: 'KiB' });
    results.push({
      name: `bundle_${fn}_load_median`,
      value: round(load, 1),
      unit: 'ms',
      baseline: round(paired.floor, 1),
      ratio: round(ratio, 2),
      ...(fn === 'slack' || fn === 'worker' ? { budget: '<= 1.3x bare Bolt handler', ok: ratio <= 1.3 } : {}),
    });
    if (fn === 'slack') {
      results.push({
        name: 'bundle_slack_load_vs_stubbed_floor',
        value: round(load, 1),
        unit: 'ms',
        baseline: round(stubbedLoad, 1),
        ratio: round(load / stubbedLoad, 2),
      });
    }
    if (fn === 'slack') {
      const files = slackFilesKiB(path.dirname(outfile));
      results.push({ name: 'bundle_slack_all_files_size', value: round(files.all / 1024, 1), unit: 'KiB' });
      results.push({ name: 'bundle_slack_files', value: files.count, unit: 'files' });
      results.push({ name: 'bundle_slack_files_at_start', value: files.countAtStart, unit: 'files' });
      const byPackage = new Map<string, number>();
      for (const [input, info] of Object.entries(
        result.metafile!.outputs[Object.keys(result.metafile!.outputs).find((k) => k.endsWith('index.js'))!]!.inputs,
      )) {
        const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
        const key = m ? m[1]! : 'kept (our code)';
        byPackage.set(key, (byPackage.get(key) ?? 0) + info.bytesInOutput);
      }
      const top = [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 12);
      writeFileSync(path.join(OUT, 'slack-bundle-contents.json'), JSON.stringify(top, null, 2));
      for (const [pkg, bytes] of top)
        results.push({ name: `bundle_slack_part_${pkg}`, value: round(bytes / 1024, 1), unit: 'KiB' });
      const holidays = byPackage.has('date-holidays') || byPackage.has('astronomia');
      results.push({
        name: 'bundle_slack_has_holiday_tables',
        value: holidays ? 1 : 0,
        unit: 'bool',
        budget: 'heavy libraries stay out',
        ok: !holidays,
      });
      // The tables beside the bundle (slackAsset): paid once per instance, by the first calendar with a country.
      const holidaysFile = path.join(path.dirname(outfile), HOLIDAYS_BUNDLE);
      results.push({
        name: 'bundle_slack_holidays_size',
        value: round(statSync(holidaysFile).size / 1024, 1),
        unit: 'KiB',
      });
      results.push({
        name: 'bundle_slack_first_holiday_load_median',
        value: round(firstHolidayMs(outfile), 1),
        unit: 'ms',
      });
    }
    if (fn === 'worker') {
      const holidays = Object.keys(result.metafile!.inputs).some((k) =>
        /node_modules\/(date-holidays|astronomia)\//.test(k),
      );
      results.push({
        name: 'bundle_worker_has_holiday_tables',
        value: holidays ? 1 : 0,
        unit: 'bool',
        budget: 'beside index.js, loaded on first use',
        ok: !holidays,
      });
    }
    if (fn !== 'worker') {
      const charts = Object.keys(result.metafile!.inputs).some((k) => /node_modules\/(vega|d3-)/.test(k));
      results.push({
        name: `bundle_${fn}_has_vega`,
        value: charts ? 1 : 0,
        unit: 'bool',
        budget: 'only the worker bundles charts',
        ok: !charts,
      });
    }
  }
  results.push(...(await chartFigures()));
  return results;
};

/**
 * The worker's report charts, as they run in its asset: functions/charts/render.ts bundled with the
 * worker's options and the run-time files copied beside it. Per fresh process: the first trend and
 * heatmap (module load, wasm, font and Vega included), then the median of further renders.
 */
async function chartFigures(): Promise<BenchResult[]> {
  const dir = path.join(OUT, 'charts');
  const outfile = path.join(dir, 'index.js');
  await build(options(path.join(ROOT, 'functions', 'charts', 'render.ts'), outfile, 'worker'));
  for (const rel of CHART_RUNTIME_FILES) {
    mkdirSync(path.dirname(path.join(dir, 'node_modules', rel)), { recursive: true });
    copyFileSync(path.join(ROOT, 'node_modules', rel), path.join(dir, 'node_modules', rel));
  }
  await buildChartLibraries(dir);
  const script = `
    const ms = (t) => Number(process.hrtime.bigint() - t) / 1e6;
    const trend = Array.from({ length: 14 }, (_, i) => ({ week: '2026-W' + String(i + 30), compliancePct: i % 5 === 3 ? null : 40 + ((i * 37) % 61) }));
    const cells = Array.from({ length: 7 }, (_, d) => Array.from({ length: 24 }, (_, h) => (d < 5 && h >= 8 && h <= 18 ? (d * 7 + h * 3) % 11 : 0)));
    (async () => {
      let t = process.hrtime.bigint();
      const c = require(${JSON.stringify(outfile)});
      const load = ms(t);
      t = process.hrtime.bigint(); const a = await c.renderTrendPng(trend); const firstTrend = ms(t);
      t = process.hrtime.bigint(); const b = await c.renderHeatmapPng(cells); const firstHeatmap = ms(t);
      const warm = { trend: [], heatmap: [] };
      for (let i = 0; i < 5; i++) {
        t = process.hrtime.bigint(); await c.renderTrendPng(trend); warm.trend.push(ms(t));
        t = process.hrtime.bigint(); await c.renderHeatmapPng(cells); warm.heatmap.push(ms(t));
      }
      const med = (xs) => xs.sort((x, y) => x - y)[xs.length >> 1];
      process.stdout.write(JSON.stringify({ load, firstTrend, firstHeatmap, warmTrend: med(warm.trend), warmHeatmap: med(warm.heatmap),
        trendKiB: a.length / 1024, heatmapKiB: b.length / 1024, rssMiB: process.memoryUsage().rss / 1048576 }));
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const runs: Record<string, number>[] = [];
  for (let i = 0; i < CHART_LOADS; i++) {
    const env = { ...process.env };
    delete env.NODE_PATH; // resvg and the font must come from the copies beside the bundle
    const r = spawnSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8', env });
    if (r.status !== 0) throw new Error(`rendering charts from ${outfile} failed: ${r.stderr}`);
    runs.push(JSON.parse(r.stdout) as Record<string, number>);
  }
  const m = (key: string) => round(median(runs.map((r) => r[key]!)), 1);
  return [
    { name: 'bundle_worker_charts_size', value: round(statSync(outfile).size / 1024, 1), unit: 'KiB' },
    {
      name: 'bundle_worker_charts_files_size',
      value: round(
        CHART_RUNTIME_FILES.reduce((sum, rel) => sum + statSync(path.join(dir, 'node_modules', rel)).size, 0) / 1024,
        1,
      ),
      unit: 'KiB',
    },
    { name: 'charts_module_load_median', value: m('load'), unit: 'ms' },
    { name: 'charts_first_trend_median', value: m('firstTrend'), unit: 'ms' },
    { name: 'charts_first_heatmap_median', value: m('firstHeatmap'), unit: 'ms' },
    { name: 'charts_warm_trend_median', value: m('warmTrend'), unit: 'ms' },
    { name: 'charts_warm_heatmap_median', value: m('warmHeatmap'), unit: 'ms' },
    { name: 'charts_trend_png_size', value: m('trendKiB'), unit: 'KiB' },
    { name: 'charts_heatmap_png_size', value: m('heatmapKiB'), unit: 'KiB' },
    { name: 'charts_process_rss_median', value: m('rssMiB'), unit: 'MiB' },
  ];
}
