/**
 * The worker's real asset (bundled with the local esbuild, as `cdk synth` does): Vega is in
 * index.js, resvg's wasm and the font (with its licence) are copied beside it, and the asset's own
 * handler, run by Node inside the asset directory, turns a `report.files` work item into PNG charts
 * uploaded to the fake Slack. The scan's asset, run the same way, writes the metrics its alarms
 * watch. tests/lib/build.ts skips bundling, so this file synthesises once more with bundling on.
 */

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { runScan } from '../../functions/jobs/scan';
import { METRICS_NAMESPACE } from '../../functions/metric-names';
import { fileFromSlack } from '../../functions/services/requests';
import type { Db } from '../../functions/store/client';
import { buildApp } from '../../lib/app';
import { HOLIDAYS_BUNDLE } from '../../lib/constructs/slack-api';
import { CHART_LIBRARIES, CHART_RUNTIME_FILES } from '../../lib/constructs/worker';
import { importCompany, opsForSales } from '../support/company';
import { dropTable, freshTable, testEndpoint } from '../support/db';
import { FakeSlack } from '../support/fake-slack';
import { BOT_TOKEN_ARN, type FakeSecrets, runInAsset, startSecrets } from './asset-run';
import { logicalId, testContext } from './build';

const ROOT = path.join(__dirname, '..', '..');
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const HEAD = 'U0OPSHEAD1';

let outdir: string;
let assets: Record<'worker' | 'slack' | 'scan', string>;

const assetOf = (template: Template, id: string) => {
  const key = template.toJSON().Resources[id].Properties.Code.S3Key as string;
  expect(key).toMatch(/^[0-9a-f]{64}\.zip$/);
  return path.join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
};

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'kept-worker-asset-'));
  const { app, stack } = buildApp({ context: testContext({ 'aws:cdk:bundling-stacks': ['**'] }), nag: false, outdir });
  app.synth();
  const template = Template.fromStack(stack);
  assets = {
    worker: assetOf(template, logicalId(stack, stack.worker.function.fn)),
    slack: assetOf(template, logicalId(stack, stack.slackApi.function.fn)),
    scan: assetOf(template, logicalId(stack, stack.jobs.scan.fn)),
  };
}, 120_000);

afterAll(() => {
  if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
});

describe('worker asset', () => {
  it("carries resvg's wasm and the font with its licence, byte for byte, beside index.js", () => {
    expect(fs.statSync(path.join(assets.worker, 'index.js')).isFile()).toBe(true);
    for (const rel of CHART_RUNTIME_FILES) {
      const shipped = path.join(assets.worker, 'node_modules', rel);
      expect(fs.readFileSync(shipped).equals(fs.readFileSync(path.join(ROOT, 'node_modules', rel)))).toBe(true);
    }
    expect(fs.readFileSync(path.join(assets.worker, 'node_modules', 'dejavu-fonts-ttf', 'LICENSE'), 'utf8')).toContain(
      'Bitstream Vera',
    );
    // Only those files: not the packages' other builds or fonts.
    expect(fs.readdirSync(path.join(assets.worker, 'node_modules', '@resvg', 'resvg-wasm')).sort()).toEqual([
      'index.js',
      'index_bg.wasm',
      'package.json',
    ]);
    expect(fs.readdirSync(path.join(assets.worker, 'node_modules', 'dejavu-fonts-ttf', 'ttf'))).toEqual([
      'DejaVuSans.ttf',
    ]);
  });

  it('keeps the holiday tables out of index.js and beside it, where require("date-holidays") finds them', () => {
    const worker = fs.readFileSync(path.join(assets.worker, 'index.js'), 'utf8');
    expect(worker).toContain('require("date-holidays")');
    expect(worker).not.toContain('Thanksgiving');
    const script = `
      const r = require('node:module').createRequire(${JSON.stringify(path.join(assets.worker, 'index.js'))});
      const H = r('date-holidays');
      const days = new H('US').getHolidays(2026).filter((h) => h.name === 'Thanksgiving Day').map((h) => h.date);
      process.stdout.write(JSON.stringify({ resolved: r.resolve('date-holidays'), days }));
    `;
    const env = { ...process.env };
    delete env.NODE_PATH;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: assets.worker, encoding: 'utf8', env });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      resolved: path.join(assets.worker, HOLIDAYS_BUNDLE),
      days: ['2026-11-26 00:00:00'],
    });
  });

  it('imports Vega and Vega-Lite (browser canvas) from their own bundles beside it and requires resvg there; the other functions hold no chart package', () => {
    const worker = fs.readFileSync(path.join(assets.worker, 'index.js'), 'utf8');
    expect(worker).toContain('require("@resvg/resvg-wasm")');
    expect(worker).toContain('import("vega")');
    expect(worker).toContain('import("vega-lite")');
    expect(worker).not.toContain('Unrecognized scale type'); // Vega's own code is not in index.js
    for (const name of CHART_LIBRARIES) {
      const lib = path.join(assets.worker, 'node_modules', name);
      expect(fs.readdirSync(lib)).toEqual(['index.js']);
      expect(fs.readFileSync(path.join(lib, 'index.js'), 'utf8')).not.toContain('import("canvas")'); // vega-canvas's Node build is aliased away
    }
    for (const other of [assets.slack, assets.scan]) {
      const code = fs.readFileSync(path.join(other, 'index.js'), 'utf8');
      // Not bundled, not required: their entries never reach the worker or the chart engine. (The
      // Slack function's web pages name the browser builds of Vega they serve: "vega" alone is no sign.)
      expect(code).not.toMatch(/(require|import)\("(vega|@resvg|dejavu)/);
      for (const mark of ['resvg', 'dejavu', 'Unrecognized scale type', 'Invalid specification'])
        expect(code).not.toContain(mark);
      for (const pkg of ['@resvg', ...CHART_LIBRARIES])
        expect(fs.existsSync(path.join(other, 'node_modules', pkg))).toBe(false);
    }
  });
});

describe('worker asset, run by Node in its own directory', () => {
  let db: Db;
  let fake: FakeSlack;
  let secrets: FakeSecrets;

  beforeAll(async () => {
    fake = await FakeSlack.start();
    db = await freshTable();
    const company = opsForSales();
    await importCompany(db, company, '2026-11-01T00:00:00Z');
    for (const [i, at] of ['2026-11-10T15:00:00Z', '2026-11-19T21:00:00Z'].entries()) {
      const filed = await fileFromSlack(db, {
        user: 'U0SALMEM01',
        agreementId: 'ops-for-sales',
        priority: 'P1',
        title: `Demo ${i}`,
        description: '',
        delivery: `view:W${i}`,
        now: new Date(at),
      });
      if (filed.outcome !== 'filed') throw new Error(JSON.stringify(filed));
    }
    await runScan({ db }, new Date('2026-11-25T12:00:00Z'));

    secrets = await startSecrets();
  }, 60_000);

  afterAll(async () => {
    await fake?.stop();
    await secrets?.close();
    if (db) await dropTable(db);
  });

  it('handles a report.files item: renders the charts with its own wasm and font and uploads them in one message', async () => {
    const item = {
      type: 'report.files',
      key: 'report:asset-test',
      user: HEAD,
      department: 'ops',
      from: '2026-11-01',
      to: '2026-11-30',
    };
    const script = `
      const mainJs = require('node:path').join(process.cwd(), 'index.js');
      const { handler } = require(mainJs);
      const event = { Records: [{ messageId: 'm-1', body: ${JSON.stringify(JSON.stringify(item))} }] };
      handler(event, { awsRequestId: 'req-1', functionName: 'kept-worker', getRemainingTimeInMillis: () => 60000 }).then((out) => {
        const r = require('node:module').createRequire(mainJs);
        const loaded = Object.keys(require.cache).filter((f) => /resvg|dejavu|vega|d3-/.test(f));
        process.stdout.write('RESULT ' + JSON.stringify({ out, wasm: r.resolve('@resvg/resvg-wasm/index_bg.wasm'), font: r.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'), loaded }) + '\\n');
      }, (err) => { console.error(err); process.exit(1); });
    `;
    const result = await runInAsset<{ out: unknown; wasm: string; font: string; loaded: string[] }>(
      assets.worker,
      script,
      secrets,
      {
        KEPT_TABLE: db.table,
        DYNAMODB_ENDPOINT: testEndpoint(),
        SLACK_API_URL: fake.url,
        // The stack gives the worker its own queue (a rate-limited item goes back on it); not used here.
        KEPT_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/kept-work',
      },
    );

    expect(result.out).toEqual({ batchItemFailures: [] });
    // The worker never sees the signing secret: it reads the bot token's secret alone.
    expect(secrets.asked).toEqual([BOT_TOKEN_ARN]);
    // resvg and the font came from the asset, not from the repository on NODE_PATH; Vega from index.js.
    expect(result.wasm).toBe(path.join(assets.worker, 'node_modules', '@resvg', 'resvg-wasm', 'index_bg.wasm'));
    expect(result.font).toBe(path.join(assets.worker, 'node_modules', 'dejavu-fonts-ttf', 'ttf', 'DejaVuSans.ttf'));
    // Every chart module came from the asset: resvg's entry and the Vega bundles beside index.js.
    expect(result.loaded.sort()).toEqual(
      ['@resvg/resvg-wasm', ...CHART_LIBRARIES]
        .map((pkg) => path.join(assets.worker, 'node_modules', pkg, 'index.js'))
        .sort(),
    );

    const pngs = fake.uploads().filter((u) => u.upload!.head.subarray(0, 8).equals(PNG_MAGIC));
    expect(pngs).toHaveLength(2);
    for (const png of pngs) expect(png.upload!.length).toBeGreaterThan(10_000);
    expect(fake.uploads()).toHaveLength(3);
    const done = fake.callsTo('files.completeUploadExternal');
    expect(done).toHaveLength(1);
    expect(done[0]!.args.files).toHaveLength(3);
    expect(done[0]!.args.channel_id).toBe(`D${HEAD}`);
    expect(done[0]!.authorization).toBe('Bearer xoxb-test-asset');
  }, 60_000);
});

describe('scan asset, run by Node in its own directory', () => {
  const FILED_AT = '2026-11-25T15:00:00Z';
  let db: Db;
  let secrets: FakeSecrets;
  /** A port on 127.0.0.1 nobody listens on: the worker queue refuses every message. */
  let deadQueue: string;

  beforeAll(async () => {
    db = await freshTable();
    await importCompany(db, opsForSales(), '2026-11-01T00:00:00Z');
    const filed = await fileFromSlack(db, {
      user: 'U0SALMEM01',
      agreementId: 'ops-for-sales',
      priority: 'P1',
      title: 'Filed before the queue went down',
      description: '',
      delivery: 'view:SCANASSET',
      now: new Date(FILED_AT),
    });
    if (filed.outcome !== 'filed') throw new Error(JSON.stringify(filed));
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    deadQueue = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    secrets = await startSecrets();
  }, 60_000);

  afterAll(async () => {
    await secrets?.close();
    if (db) await dropTable(db);
  });

  it('writes one EMF line per run: the heartbeat, and the request whose hand-over the queue refused', async () => {
    const event = { source: 'kept.schedule', job: 'scan', scheduledTime: '2026-11-25T15:03:00Z' };
    const script = `
      const lines = [];
      const write = process.stdout.write.bind(process.stdout);
      process.stdout.write = (chunk) => { lines.push(String(chunk)); return true; };
      const { handler } = require(require('node:path').join(process.cwd(), 'index.js'));
      handler(${JSON.stringify(event)}, { awsRequestId: 'req-1', functionName: 'kept-scan', getRemainingTimeInMillis: () => 60000 }).then(
        (out) => { process.stdout.write = write; write('RESULT ' + JSON.stringify({ out, lines }) + '\\n'); },
        (err) => { console.error(err); process.exit(1); },
      );
    `;
    const result = await runInAsset<{ out: string; lines: string[] }>(assets.scan, script, secrets, {
      KEPT_TABLE: db.table,
      DYNAMODB_ENDPOINT: testEndpoint(),
      KEPT_QUEUE_URL: `${deadQueue}/123456789012/kept-work`,
      AWS_ENDPOINT_URL_SQS: deadQueue,
      KEPT_LOG_LEVEL: 'SILENT',
    });
    expect(result.out).toMatch(/^Scan at 2026-11-25T15:03:00.000Z: 1 request checked/);
    expect(secrets.asked).toEqual([BOT_TOKEN_ARN]); // the bot token only
    const emf = result.lines.flatMap((l) => l.split('\n')).filter((l) => l.includes('"_aws"'));
    expect(emf).toHaveLength(1);
    expect(JSON.parse(emf[0]!)).toEqual({
      _aws: {
        Timestamp: expect.any(Number),
        CloudWatchMetrics: [
          {
            Namespace: METRICS_NAMESPACE,
            Dimensions: [['service']],
            Metrics: [
              { Name: 'ScanRequestFailed', Unit: 'Count' },
              { Name: 'ScanRunSucceeded', Unit: 'Count' },
            ],
          },
        ],
      },
      service: 'scan',
      ScanRequestFailed: 1,
      ScanRunSucceeded: 1,
    });
  }, 60_000);
});
