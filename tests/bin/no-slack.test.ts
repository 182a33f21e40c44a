/**
 * The `kept` commands that never talk to Slack run with the database settings alone: no SLACK_*
 * variable at all. The ones that do (`scan`, `digest`) name every missing setting in one run.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CliIO } from '../../bin/cli/io';
import { kept } from '../../bin/cli/main';
import type { Db } from '../../functions/store/client';
import { readDirectory } from '../../functions/store/directory';
import { allItems, dropTable, freshTable, testEndpoint } from '../support/db';

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'company.yaml');
const CALENDAR = path.join(__dirname, '..', 'fixtures', 'calendar-new-york.yaml');

let db: Db;
beforeAll(async () => (db = await freshTable()));
afterAll(() => dropTable(db));

/** A CLI with the database settings only. */
function cli(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readFile: (p) => readFile(p, 'utf8'),
    env: { DYNAMODB_ENDPOINT: testEndpoint(), KEPT_TABLE: db.table, ...env },
  };
  return { io, out, err };
}

it('kept import --dry-run shows what would change and writes nothing', async () => {
  const run = cli();
  expect(await kept(['import', EXAMPLE, '--dry-run'], run.io)).toBe(0);
  expect(run.err).toEqual([]);
  expect(run.out).toContain('+ department it (IT), request IDs IT-1, IT-2, ...');
  expect(run.out.at(-1)).toBe(`${EXAMPLE}: would make 9 changes.`);
  expect(await allItems(db)).toEqual([]);
});

it('with a bot token, kept import checks the Slack settings with the rest before writing anything', async () => {
  const run = cli({ SLACK_BOT_TOKEN: 'xoxp-fake', SLACK_API_URL: 'not a url' });
  expect(await kept(['import', EXAMPLE], run.io)).toBe(2);
  expect(run.err).toHaveLength(1);
  expect(run.err[0]!.split('\n')).toEqual([
    'Configuration error: 2 settings need fixing; set them in .env (see .env.example) or the environment:',
    expect.stringMatching(/^ {2}SLACK_BOT_TOKEN must be a bot token starting with xoxb-/),
    expect.stringMatching(/^ {2}SLACK_API_URL must be an http\(s\) URL/),
  ]);
  expect(await allItems(db)).toEqual([]);
});

it('kept import writes the file, and says the user groups wait until Kept runs with Slack', async () => {
  const run = cli();
  expect(await kept(['import', EXAMPLE], run.io)).toBe(0);
  expect(run.out.at(-1)).toBe(`${EXAMPLE}: made 9 changes.`);
  expect(run.err).toEqual([
    'kept import: the members of user group S0HRTEAM1 (people-ops) were not read from Slack, as SLACK_BOT_TOKEN is not set. Its heads and listed members count meanwhile; Kept reads the group within 15 minutes once it runs with its Slack settings, or run the import again with SLACK_BOT_TOKEN set.',
  ]);
  const dir = await readDirectory(db);
  expect(dir.departments.map((d) => d.id).sort()).toEqual(['finance', 'it', 'people-ops', 'support']);
  expect(dir.departments.find((d) => d.id === 'people-ops')?.usergroupSyncedAt).toBeUndefined(); // still to read
});

it('kept report prints a department by name', async () => {
  const run = cli();
  expect(await kept(['report', '--dept', 'it', '--from', '2026-11-01', '--to', '2026-11-30'], run.io)).toBe(0);
  expect(run.err).toEqual([]);
  expect(run.out.join('\n').split('\n')).toEqual([
    'IT (it), 2026-11-01 to 2026-11-30',
    'Nobody filed a request to IT in November 2026, so there is nothing to report yet.',
  ]);
});

it('kept due needs no settings at all', async () => {
  const run = cli();
  run.io.env = {};
  expect(
    await kept(['due', '--calendar', CALENDAR, '--start', '2026-11-25T15:00:00-05:00', '--duration', '4h'], run.io),
  ).toBe(0);
  expect(run.out).toEqual(['2026-11-27T16:00:00.000Z']);
  expect(run.err).toEqual([]);
});

it.each(['scan', 'digest'])('kept %s, which posts to Slack, names every missing setting in one run', async (job) => {
  const run = cli({ KEPT_SCHEDULER: 'sometimes' });
  expect(await kept([job, '--now', '2026-11-25T14:30:00Z'], run.io)).toBe(2);
  expect(run.out).toEqual([]);
  expect(run.err).toHaveLength(1);
  const lines = run.err[0]!.split('\n');
  expect(lines[0]).toBe(
    'Configuration error: 3 settings need fixing; set them in .env (see .env.example) or the environment:',
  );
  expect(lines.slice(1)).toEqual([
    expect.stringMatching(/^ {2}SLACK_SIGNING_SECRET is missing; copy the Signing Secret/),
    expect.stringMatching(/^ {2}SLACK_BOT_TOKEN is missing; copy the Bot User OAuth Token/),
    '  KEPT_SCHEDULER must be "on" or "off".',
  ]);
});
