/**
 * The Slack function's real asset (bundled with the local esbuild, as `cdk synth` does): index.js
 * and its chunks (bin/split-bundle.cjs), CommonJS files that require each other; the holiday
 * tables are in none of them but beside them in node_modules/date-holidays, where
 * `require('date-holidays')` finds them. tests/lib/build.ts skips bundling, so this file
 * synthesises once more with bundling on.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { compileCalendar } from '../../functions/domain/calendar';
import { addWorkingTime } from '../../functions/domain/working-time';
import { FakeSlack } from '../../functions/local/fake-slack';
import { IDS } from '../../functions/slack/ids';
import type { Db } from '../../functions/store/client';
import { readDirectory } from '../../functions/store/directory';
import { getRequest } from '../../functions/store/requests';
import { buildApp } from '../../lib/app';
import { besideFile, HOLIDAYS_BUNDLE } from '../../lib/constructs/slack-api';
import { importExample } from '../support/company';
import { dropTable, freshTable, testEndpoint } from '../support/db';
import { FakeAws } from '../support/fake-aws';
import { FORM, httpApiEvent, signature, slashCommand, submitView } from '../support/slack-requests';
import { BOT_TOKEN_ARN, type FakeSecrets, runInAsset, SIGNING_SECRET_ARN, startSecrets } from './asset-run';
import { logicalId, testContext } from './build';

/** A string of the date-holidays tables (US), in none of the code that goes into the Slack bundle. */
const FROM_TABLES = 'Thanksgiving';

let outdir: string;
let assetDir: string;
let mainJs: string;
let holidaysJs: string;
/** The code Lambda may run: index.js and every chunk, in one string. */
let code: string;
let chunks: string[];

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'kept-slack-asset-'));
  const { app, stack } = buildApp({ context: testContext({ 'aws:cdk:bundling-stacks': ['**'] }), nag: false, outdir });
  app.synth();
  const fn = Template.fromStack(stack).toJSON().Resources[logicalId(stack, stack.slackApi.function.fn)];
  const key = fn.Properties.Code.S3Key as string;
  expect(key).toMatch(/^[0-9a-f]{64}\.zip$/);
  assetDir = path.join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
  mainJs = path.join(assetDir, 'index.js');
  holidaysJs = path.join(assetDir, HOLIDAYS_BUNDLE);
  chunks = fs.readdirSync(assetDir).filter((f) => /^chunk-.*\.js$/.test(f));
  code = ['index.js', ...chunks].map((f) => fs.readFileSync(path.join(assetDir, f), 'utf8')).join('\n');
}, 120_000);

afterAll(() => {
  if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
});

describe('Slack function asset', () => {
  it('has the bundle and date-holidays bundled on its own in node_modules/date-holidays/index.js', () => {
    expect(HOLIDAYS_BUNDLE).toBe(path.join('node_modules', 'date-holidays', 'index.js'));
    expect(fs.statSync(mainJs).isFile()).toBe(true);
    expect(fs.statSync(holidaysJs).isFile()).toBe(true);
    // One file with the tables in it, not a copy of the package.
    expect(fs.readdirSync(path.dirname(holidaysJs))).toEqual(['index.js']);
    expect(fs.readFileSync(holidaysJs, 'utf8')).toContain(FROM_TABLES);
  });

  it('keeps the holiday tables out of its code, which requires date-holidays instead', () => {
    expect(code).not.toContain(FROM_TABLES);
    // `r("date-holidays")`, or `(0,i.a)("date-holidays")` from a chunk that takes the helper from another.
    expect(code).toMatch(/(?:[\w$]+|\(0,[\w$.]+\))\("date-holidays"\)/);
    // Only the receiver stub is aliased now; its message no longer claims date-holidays.
    expect(code).not.toContain('date-holidays are stubbed');
  });

  it('is CommonJS files that require each other: index.js loads one chunk at start, the rest on first use', () => {
    expect(chunks.length).toBeGreaterThan(10);
    for (const file of ['index.js', ...chunks]) {
      const text = fs.readFileSync(path.join(assetDir, file), 'utf8');
      expect(text).not.toMatch(/\bimport\(|^import |\bexport \{/m); // no ES-module syntax left
      expect(fs.existsSync(path.join(assetDir, `${file}.map`))).toBe(true);
    }
    // Each chunk loads in a fresh Node (no missing file, no ES-module syntax), and index.js alone
    // loads only part of the code, all of it from one chunk (each file required costs a cold start
    // ~0.2 ms; bin/split-bundle.cjs).
    const script = `
      const path = require('node:path');
      const before = new Set(Object.keys(require.cache));
      require(path.join(process.cwd(), 'index.js'));
      const atStart = Object.keys(require.cache).filter((k) => !before.has(k)).length;
      for (const f of ${JSON.stringify(chunks)}) require(path.join(process.cwd(), f));
      process.stdout.write(JSON.stringify({ atStart, all: Object.keys(require.cache).length - before.size }));
    `;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: assetDir, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const { atStart, all } = JSON.parse(run.stdout) as { atStart: number; all: number };
    expect(all).toBe(chunks.length + 1);
    expect(atStart).toBe(2);
  });

  it("loads the form at start, but not the request's rules, the kudos rules or the written shapes a cold /sla new never runs", () => {
    const [start] = /chunk-[A-Z0-9]+\.js/.exec(fs.readFileSync(mainJs, 'utf8')) ?? [];
    const atStart = fs.readFileSync(path.join(assetDir, start!), 'utf8');
    expect(atStart).toContain('One line that says what you need'); // the new-request form
    // domain/request.ts (filing), domain/kudos.ts, department-spec.ts and calendar-spec.ts: each is in
    // a chunk loaded on first use (V8's coverage of a cold /sla new runs none of them; issue #22).
    for (const text of [
      'target; pick another priority.',
      'Pick at least one person to thank.',
      'heads accept agreements and see penalties',
      'must map weekdays (mon..sun) to time ranges',
    ]) {
      expect(atStart).not.toContain(text);
      expect(code).toContain(text);
    }
  });

  it('holds no Powertools Metrics: its few counts are EMF lines it writes itself (functions/metrics.ts)', () => {
    expect(code).not.toContain('POWERTOOLS_METRICS_NAMESPACE');
    expect(code).toContain('CloudWatchMetrics');
  });

  it("holds none of zod's locales: every module imports zod as `* as z`, so esbuild keeps only what is used", () => {
    // The Dutch and Polish messages (zod/v4/locales, ASCII where esbuild escapes other letters);
    // `import { z }` pulls in every locale.
    for (const message of ['Ongeldige invoer', 'Nieprawid']) expect(code).not.toContain(message);
  });

  it('holds no chart package and none of the worker: its entry never reaches them', () => {
    // Neither required from beside the bundle nor bundled (strings only their code holds). The web's
    // agreement page names the browser builds of Vega it serves, so "vega" alone is no sign.
    expect(code).not.toMatch(/(require|import)\("(vega|@resvg|dejavu)/);
    for (const text of ['resvg', 'dejavu', 'Unrecognized scale type', 'Invalid specification'])
      expect(code).not.toContain(text);
    expect(fs.readdirSync(path.join(assetDir, 'node_modules'))).toEqual([
      '@aws-lambda-powertools',
      'date-holidays',
      'luxon',
    ]);
  });

  it('resolves require("date-holidays") from index.js to the bundle beside it, which knows US Thanksgiving 2026', () => {
    const script = `
      const r = require('node:module').createRequire(${JSON.stringify(mainJs)});
      const H = r('date-holidays');
      const thanksgiving = new H('US').getHolidays(2026).filter((h) => h.name === ${JSON.stringify(`${FROM_TABLES} Day`)});
      process.stdout.write(JSON.stringify({ resolved: r.resolve('date-holidays'), dates: thanksgiving.map((h) => h.date) }));
    `;
    const env = { ...process.env };
    delete env.NODE_PATH;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: assetDir, encoding: 'utf8', env });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ resolved: holidaysJs, dates: ['2026-11-26 00:00:00'] });
  });
});

describe('luxon beside the Slack function code', () => {
  it('is not in the code, which reads it from node_modules/luxon/index.js on first use', () => {
    const luxonJs = path.join(assetDir, besideFile('luxon'));
    // A message only luxon's own code holds.
    expect(fs.readFileSync(luxonJs, 'utf8')).toContain('unparsable');
    expect(code).not.toContain('unparsable');
    const script = `
      const r = require('node:module').createRequire(${JSON.stringify(mainJs)});
      const { DateTime } = r('luxon');
      const at = DateTime.fromISO('2026-12-07T10:00', { zone: 'America/New_York' }).toUTC().toISO();
      process.stdout.write(JSON.stringify({ resolved: r.resolve('luxon'), at }));
    `;
    const env = { ...process.env };
    delete env.NODE_PATH;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: assetDir, encoding: 'utf8', env });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ resolved: luxonJs, at: '2026-12-07T15:00:00.000Z' });
  });
});

describe('Slack function asset, run by Node in its own directory', () => {
  let secrets: FakeSecrets;
  beforeAll(async () => (secrets = await startSecrets()));
  afterAll(() => secrets.close());

  it('answers a signed /sla help with the stubbed receivers (express, Socket Mode, raw-body) never touched', async () => {
    const body = slashCommand({ text: 'help' });
    const event = httpApiEvent(body, { 'content-type': FORM, ...signature(body) });
    const script = `
      const { handler } = require(require('node:path').join(process.cwd(), 'index.js'));
      handler(JSON.parse(process.env.EVENT), { awsRequestId: 'req-1', functionName: 'kept-slack' }).then(
        (out) => process.stdout.write('RESULT ' + JSON.stringify(out) + '\\n'),
        (err) => { console.error(err); process.exit(1); },
      );
    `;
    const out = await runInAsset<{ statusCode: number; body: string }>(assetDir, script, secrets, {
      KEPT_TABLE: 'kept-asset-test',
      // As the stack sets it: only the Slack function reads the signing secret.
      KEPT_SLACK_SIGNING_SECRET_ARN: SIGNING_SECRET_ARN,
      // As the stack sets it: the Slack function hands its work to the worker queue (/sla help sends none).
      KEPT_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/kept-work',
      SLACK_BOT_ID: 'B0KEPTBOT1',
      SLACK_BOT_USER_ID: 'U0KEPTBOT1',
      SLACK_TEAM_ID: 'T0KEPT0001',
      EVENT: JSON.stringify(event),
    });
    expect(out.statusCode).toBe(200);
    expect([...secrets.asked].sort()).toEqual([BOT_TOKEN_ARN, SIGNING_SECRET_ARN].sort());
    const answer = JSON.parse(out.body) as { response_type: string; text: string };
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('/sla help');
    expect(code).not.toContain('iconv-lite');
  });
});

describe('Slack function asset, cold, against DynamoDB Local and the fake Slack', () => {
  let secrets: FakeSecrets;
  let db: Db;
  let slack: FakeSlack;
  let sqs: FakeAws;
  beforeAll(async () => {
    [secrets, db, slack, sqs] = await Promise.all([
      startSecrets(),
      freshTable(),
      FakeSlack.start(),
      FakeAws.start(() => ({ body: { MessageId: 'm-1' } })),
    ]);
    await importExample(db);
  });
  afterAll(async () => {
    await Promise.all([secrets.close(), slack.stop(), sqs.stop(), dropTable(db)]);
  });

  interface ColdRun {
    out: { statusCode: number; body: string };
    /** The asset's files a fresh process loaded with index.js, and after answering. */
    atStart: number;
    after: number;
    /** Whether luxon was loaded from beside the bundle. */
    luxon: boolean;
  }

  /** A fresh process (as a Lambda cold start) answers one signed, form-encoded Slack request. */
  const cold = (body: string): Promise<ColdRun> => {
    const script = `
      const path = require('node:path');
      const { handler } = require(path.join(process.cwd(), 'index.js'));
      const files = () => Object.keys(require.cache).filter((k) => k.startsWith(process.cwd()));
      const atStart = files().length;
      handler(JSON.parse(process.env.EVENT), { awsRequestId: 'req-1', functionName: 'kept-slack' }).then(
        (out) => {
          const luxon = files().some((k) => k.includes(path.join('node_modules', 'luxon')));
          process.stdout.write('RESULT ' + JSON.stringify({ out, atStart, after: files().length, luxon }) + '\\n');
        },
        (err) => { console.error(err); process.exit(1); },
      );
    `;
    return runInAsset<ColdRun>(assetDir, script, secrets, {
      KEPT_TABLE: db.table,
      DYNAMODB_ENDPOINT: testEndpoint(),
      SLACK_API_URL: slack.url,
      KEPT_SLACK_SIGNING_SECRET_ARN: SIGNING_SECRET_ARN,
      KEPT_QUEUE_URL: `${sqs.url}/123456789012/kept-work`,
      SLACK_TEAM_ID: 'T0KEPT0001',
      EVENT: JSON.stringify(httpApiEvent(body, { 'content-type': FORM, ...signature(body) })),
    });
  };
  const command = (text: string, user: string) =>
    cold(slashCommand({ text, user_id: user, trigger_id: slack.issueTrigger(user) }));

  /** The modal a cold `/sla new` opened, and what that run loaded. */
  const openForm = async (user: string) => {
    const opened = slack.callsTo('views.open').length;
    const run = await command('new', user);
    const calls = slack.callsTo('views.open').slice(opened);
    expect(calls).toHaveLength(1);
    const view = calls[0]!.args.view;
    return { run, view: (typeof view === 'string' ? JSON.parse(view) : view) as Record<string, unknown> };
  };

  it('opens the new-request form on a cold /sla new from the files loaded at start, without luxon', async () => {
    const { run, view } = await openForm('U0FINMEM1');
    expect(run.out.statusCode).toBe(200);
    expect(view).toEqual(
      expect.objectContaining({ callback_id: 'request_new', title: expect.objectContaining({ text: 'New request' }) }),
    );
    expect(run.after).toBe(run.atStart);
    expect(run.luxon).toBe(false);
  });

  it('files the submitted form on a cold start, its due times from luxon loaded beside the bundle', async () => {
    const { view } = await openForm('U0FINMEM1');
    const sent = sqs.calls.length;
    const body = submitView(
      view,
      {
        [IDS.requestPriorityBlock]: 'P1',
        [IDS.requestTitleBlock]: 'Printer on 3 is down',
      },
      'U0FINMEM1',
    );
    const run = await cold(body);
    expect(run.out.statusCode).toBe(200);
    expect(run.out.body ?? '').toBe(''); // the modal closes
    expect(run.luxon).toBe(true);
    const request = (await getRequest(db, 'IT-1'))!;
    expect(request.title).toBe('Printer on 3 is down');
    const it = (await readDirectory(db)).departments.find((d) => d.id === 'it')!;
    expect(request.clocks.resolution.dueAt).toBe(
      addWorkingTime(compileCalendar(it.calendar), request.createdAt, 4 * 3_600_000),
    );
    // The request's card and notices went to the worker's queue.
    expect(sqs.calls.slice(sent).map((c) => c.target)).toContain('AmazonSQS.SendMessage');
  });

  it("writes a refused request's log line with Powertools' Logger, loaded from beside the code", async () => {
    const body = slashCommand({ text: 'help' });
    const script = `
      const path = require('node:path');
      const lines = [];
      for (const stream of [process.stdout, process.stderr]) {
        const write = stream.write.bind(stream);
        stream.write = (chunk, ...rest) => (String(chunk).startsWith('RESULT ') ? write(chunk, ...rest) : (lines.push(String(chunk)), true));
      }
      const { handler } = require(path.join(process.cwd(), 'index.js'));
      const loaded = () => Object.keys(require.cache).some((k) => k.includes(path.join('node_modules', '@aws-lambda-powertools')));
      const atStart = loaded();
      handler(JSON.parse(process.env.EVENT), { awsRequestId: 'req-9', functionName: 'kept-slack' }).then(
        (out) => process.stdout.write('RESULT ' + JSON.stringify({ out, atStart, after: loaded(), lines }) + '\\n'),
        (err) => { console.error(err); process.exit(1); },
      );
    `;
    const run = await runInAsset<{ out: { statusCode: number }; atStart: boolean; after: boolean; lines: string[] }>(
      assetDir,
      script,
      secrets,
      {
        KEPT_TABLE: db.table,
        DYNAMODB_ENDPOINT: testEndpoint(),
        KEPT_SLACK_SIGNING_SECRET_ARN: SIGNING_SECRET_ARN,
        KEPT_QUEUE_URL: `${sqs.url}/123456789012/kept-work`,
        KEPT_LOG_LEVEL: 'INFO',
        // Signed with another secret: Kept refuses it and says so in the log.
        EVENT: JSON.stringify(
          httpApiEvent(body, { 'content-type': FORM, ...signature(body, { secret: 'not-the-secret' }) }),
        ),
      },
    );
    expect(run.out.statusCode).toBe(401);
    expect([run.atStart, run.after]).toEqual([false, true]);
    const line = JSON.parse(run.lines.find((l) => l.includes('Slack request refused'))!) as Record<string, unknown>;
    expect(line).toEqual(
      expect.objectContaining({
        level: 'WARN',
        service: 'kept',
        function_request_id: 'req-9',
        reason: expect.any(String),
      }),
    );
    expect(code).not.toContain('function_request_id');
    expect(fs.existsSync(path.join(assetDir, besideFile('@aws-lambda-powertools/logger')))).toBe(true);
  });

  it('answers a cold /sla list from a chunk loaded when the word is first used', async () => {
    const { out, atStart, after } = await command('list', 'U0HRHEAD1');
    expect(out.statusCode).toBe(200);
    const answer = JSON.parse(out.body) as { response_type?: string; text?: string };
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('You have not filed any requests'); // read from DynamoDB
    expect(after).toBeGreaterThan(atStart);
  });
});
