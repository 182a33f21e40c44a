/**
 * The Slack function's real asset (bundled with the local esbuild, as `cdk synth` does): the
 * holiday tables are not in index.js but beside it in node_modules/date-holidays, where
 * `require('date-holidays')` from index.js finds them. tests/lib/build.ts skips bundling, so this
 * file synthesises once more with bundling on.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../lib/app';
import { HOLIDAYS_BUNDLE } from '../../lib/constructs/slack-api';
import { logicalId, testContext } from './build';
import { FORM, httpApiEvent, signature, SIGNING_SECRET, slashCommand } from '../support/slack-requests';

const ROOT = path.resolve(__dirname, '..', '..');

/** A string of the date-holidays tables (US), in none of the code that goes into the Slack bundle. */
const FROM_TABLES = 'Thanksgiving';

let outdir: string;
let assetDir: string;
let mainJs: string;
let holidaysJs: string;

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

  it('keeps the holiday tables out of index.js, which requires date-holidays instead', () => {
    const main = fs.readFileSync(mainJs, 'utf8');
    expect(main).not.toContain(FROM_TABLES);
    expect(main).toContain('require("date-holidays")');
    // Only the receiver stub is aliased now; its message no longer claims date-holidays.
    expect(main).not.toContain('date-holidays are stubbed');
  });

  it('resolves require("date-holidays") from index.js to the bundle beside it, which knows US Thanksgiving 2026', () => {
    const script = `
      const r = require('node:module').createRequire(${JSON.stringify(mainJs)});
      const H = r('date-holidays');
      const thanksgiving = new H('US').getHolidays(2026).filter((h) => h.name === ${JSON.stringify(FROM_TABLES + ' Day')});
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

describe('Slack function asset, run by Node in its own directory', () => {
  let secrets: Server;
  beforeAll(async () => {
    // Secrets Manager's GetSecretValue, as the function reads the Slack secret at a cold start.
    secrets = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:kept-slack', Name: 'kept-slack', VersionId: 'v1', SecretString: JSON.stringify({ SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test-asset' }) }));
      });
    });
    await new Promise<void>((resolve) => secrets.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => secrets.close(() => resolve())));

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
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      // The Lambda runtime provides the AWS SDK on its NODE_PATH; the repository's copy stands in for it.
      NODE_PATH: path.join(ROOT, 'node_modules'),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${(secrets.address() as AddressInfo).port}`,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      KEPT_SLACK_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:kept-slack',
      KEPT_TABLE: 'kept-asset-test',
      SLACK_BOT_ID: 'B0KEPTBOT1',
      SLACK_BOT_USER_ID: 'U0KEPTBOT1',
      KEPT_LOG_LEVEL: 'ERROR',
      EVENT: JSON.stringify(event),
    };
    const child = spawn(process.execPath, ['-e', script], { cwd: assetDir, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const out = JSON.parse(stdout.split('\n').find((l) => l.startsWith('RESULT '))!.slice('RESULT '.length)) as { statusCode: number; body: string };
    expect(out.statusCode).toBe(200);
    const answer = JSON.parse(out.body) as { response_type: string; text: string };
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('/sla help');
    expect(fs.readFileSync(mainJs, 'utf8')).not.toContain('iconv-lite');
  });
});
