/** `kept scan` and `kept digest` run the scheduled jobs by hand. */

import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CliIO } from '../../bin/cli/io';
import { kept } from '../../bin/cli/main';
import { runScheduled } from '../../functions/jobs/scheduled';
import type { Db } from '../../functions/store/client';
import { dropTable, freshTable, testEndpoint } from '../support/db';
import { childEnv, ROOT } from '../support/processes';

let db: Db;
beforeAll(async () => (db = await freshTable()));
afterAll(() => dropTable(db));

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const env = {
    SLACK_SIGNING_SECRET: 'abcdef0123456789',
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    DYNAMODB_ENDPOINT: testEndpoint(),
    KEPT_TABLE: db.table,
  };
  const cli: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), readFile: async () => '', env };
  return { cli, out, err };
}

it('kept scan --now runs the scan at that instant', async () => {
  const { cli, out, err } = io();
  expect(await kept(['scan', '--now', '2026-11-25T14:30:00Z'], cli)).toBe(0);
  expect(out).toEqual([
    'Scan at 2026-11-25T14:30:00.000Z: 0 requests checked, 0 breaches recorded, 0 at-risk warnings sent.',
  ]);
  expect(err).toEqual([]);
});

it('kept digest --now runs the digest at that instant', async () => {
  const { cli, out } = io();
  expect(await kept(['digest', '--now', '2026-11-30T09:00:00-05:00'], cli)).toBe(0);
  expect(out).toEqual(["Digest at 2026-11-30T14:00:00.000Z: 0 channels posted, 0 already had this week's, 0 failed."]);
});

it.each([
  [
    ['scan', '--now', 'yesterday'],
    'kept scan: --now "yesterday" is not an ISO-8601 instant; use a form like 2026-11-25T14:30:00Z',
  ],
  [
    ['scan', '--now', '2026-13-45T99:00:00Z'],
    'kept scan: --now "2026-13-45T99:00:00Z" is not an ISO-8601 instant; use a form like 2026-11-25T14:30:00Z',
  ],
  [
    ['digest', '--later'],
    expect.stringMatching(/^kept digest: Unknown option '--later'.*usage: kept digest \[--now ISO\]$/),
  ],
  [['frobnicate'], 'kept: unknown command "frobnicate"; try `kept help`'],
])('bad input %j gets one line and exit code 2', async (argv, line) => {
  const { cli, out, err } = io();
  expect(await kept(argv as string[], cli)).toBe(2);
  expect(err).toEqual([line]);
  expect(out).toEqual([]);
});

it('a missing setting is one line, exit code 2', async () => {
  const { cli, err } = io();
  delete cli.env.SLACK_BOT_TOKEN;
  expect(await kept(['scan'], cli)).toBe(2);
  expect(err).toEqual([expect.stringMatching(/^Configuration error: SLACK_BOT_TOKEN is missing/)]);
});

it.each([
  ['scan', '2026-11-25T14:30:00Z', 'Scan at 2026-11-25T14:30:00.000Z: 0 requests checked'],
  ['digest', '2026-11-30T14:00:00Z', 'Digest at 2026-11-30T14:00:00.000Z: 0 channels posted'],
])('the kept command prints the %s summary once, as a plain line', async (job, now, summary) => {
  // The real command as a person runs it: no KEPT_LOG_LEVEL, not under test.
  const {
    KEPT_LOG_LEVEL: _level,
    NODE_ENV: _test,
    ...env
  } = childEnv({
    ...io().cli.env,
    SLACK_API_URL: 'http://127.0.0.1:9/api/',
  } as Record<string, string>);
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'kept.cjs'), job, '--now', now], {
    cwd: mkdtempSync(path.join(tmpdir(), 'kept-cli-')),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect({ code, err }).toEqual({ code: 0, err: '' });
  expect(out.trimEnd().split('\n')).toEqual([expect.stringContaining(summary)]);
  expect(out).not.toContain('{');
});

it('a scheduled run uses the instant the schedule fired, not when it ran', async () => {
  const line = await runScheduled(
    { db },
    { job: 'scan', scheduledTime: '2026-11-25T10:00:00Z' },
    new Date('2026-11-25T10:07:00Z'),
  );
  expect(line).toContain('2026-11-25T10:00:00.000Z');
  await expect(runScheduled({ db }, { job: 'reindex' })).rejects.toThrow();
});

describe("KEPT_DATABASE=aws: the deployed table, with the caller's AWS credentials", () => {
  // The AWS SDK's own endpoint setting stands in for AWS here: the client is built exactly as
  // against the deployed table (no endpoint of ours, the default credential chain), and the SDK
  // sends it to DynamoDB Local.
  beforeAll(() => (process.env.AWS_ENDPOINT_URL_DYNAMODB = testEndpoint()));
  afterAll(() => delete process.env.AWS_ENDPOINT_URL_DYNAMODB);
  const awsIo = (table: string) => {
    const { cli, out, err } = io();
    const { DYNAMODB_ENDPOINT: _local, ...env } = cli.env;
    return { cli: { ...cli, env: { ...env, KEPT_DATABASE: 'aws', KEPT_TABLE: table } }, out, err };
  };

  it('kept scan runs against the table KEPT_TABLE names', async () => {
    const { cli, out, err } = awsIo(db.table);
    expect(await kept(['scan', '--now', '2026-11-25T14:30:00Z'], cli)).toBe(0);
    expect(out).toEqual([
      'Scan at 2026-11-25T14:30:00.000Z: 0 requests checked, 0 breaches recorded, 0 at-risk warnings sent.',
    ]);
    expect(err).toEqual([]);
  });

  it('a table that does not answer is one line saying what to set, exit code 1, and nothing is created', async () => {
    const { cli, err } = awsIo('kept-no-such-table');
    expect(await kept(['scan'], cli)).toBe(1);
    expect(err).toEqual([
      'kept scan: the table "kept-no-such-table" did not answer in AWS; set KEPT_TABLE to the stack\'s TableName output, and AWS_REGION and credentials for its account',
    ]);
    const { cli: again } = awsIo('kept-no-such-table');
    expect(await kept(['scan'], again)).toBe(1); // still not there: the CLI never made it
  });

  it('an unknown KEPT_DATABASE is refused with the two it takes', async () => {
    const { cli, err } = awsIo(db.table);
    expect(await kept(['scan'], { ...cli, env: { ...cli.env, KEPT_DATABASE: 'cloud' } })).toBe(2);
    expect(err.join()).toMatch(/KEPT_DATABASE.*must be "local" \(DynamoDB Local, the default\) or "aws"/);
  });
});
