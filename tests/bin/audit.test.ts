/**
 * `kept audit` as people run it: the trail of a `kept import` (named after the person who ran
 * it) in each format, one department's, since a date, and one line with exit 2 for each bad flag.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CliIO } from '../../bin/cli/io';
import { kept } from '../../bin/cli/main';
import type { Db } from '../../functions/store/client';
import { saveDepartment } from '../../functions/store/departments';
import { readDirectory } from '../../functions/store/directory';
import { dropTable, freshTable, testEndpoint } from '../support/db';

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'company.yaml');

let db: Db;
beforeAll(async () => {
  db = await freshTable();
  // Without a bot token the import needs the database alone (user groups are read later).
  expect(await kept(['import', EXAMPLE], cli().io)).toBe(0);
  const dir = await readDirectory(db);
  const it_ = dir.departments.find((d) => d.id === 'it')!;
  await saveDepartment(db, { ...it_, name: 'Tech, "IT"' }, 'update', dir.rev, {
    by: 'U0ADMIN01',
    at: '2099-01-02T03:04:05.000Z',
    before: it_,
  });
});
afterAll(() => dropTable(db));

function cli() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readFile: (p) => readFile(p, 'utf8'),
    env: { DYNAMODB_ENDPOINT: testEndpoint(), KEPT_TABLE: db.table, USER: 'ana' },
  };
  return { io, out, err };
}

async function run(...args: string[]) {
  const c = cli();
  const code = await kept(['audit', ...args], c.io);
  return { code, out: c.out.join('\n'), err: c.err };
}

it('prints the whole trail as a table, oldest first, naming who ran the import', async () => {
  const { code, out, err } = await run();
  expect(code).toBe(0);
  expect(err).toEqual([]);
  const lines = out.split('\n');
  expect(lines[0]).toMatch(/^When \(UTC\)\s+Who\s+What\s+Change$/);
  expect(lines).toHaveLength(1 + 4 + 4 + 1 + 1); // header, departments, agreements, digest, the rename
  expect(out).toMatch(/cli:ana\s+department it\s+created/);
  expect(out).toMatch(/cli:ana\s+agreement it-for-finance\s+created by import/);
  expect(out).toMatch(/cli:ana\s+digest C0GENERAL\s+created/);
  expect(lines.at(-1)).toMatch(/^2099-01-02 03:04:05\s+U0ADMIN01\s+department it\s+updated: name$/);
});

it('prints one department since a date as JSON, with before and after as they were', async () => {
  const { code, out } = await run('--dept', 'IT', '--since', '2099-01-01', '--format', 'json');
  expect(code).toBe(0);
  const lines = JSON.parse(out);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({
    subject: 'department',
    id: 'it',
    action: 'updated',
    by: 'U0ADMIN01',
    at: '2099-01-02T03:04:05.000Z',
    departments: ['it'],
    before: { name: 'IT' },
    after: { name: 'Tech, "IT"' },
  });
});

it('prints CSV with a header and quoted fields', async () => {
  const { code, out } = await run('--dept', 'finance', '--format', 'csv');
  expect(code).toBe(0);
  const rows = out.split('\r\n');
  expect(rows[0]).toBe('at,by,subject,id,action,departments,before,after');
  expect(rows.some((r) => r.includes(',cli:ana,agreement,it-for-finance,created by import,it finance,,"{'))).toBe(true);
  expect(rows.some((r) => r.includes(',department,finance,created,finance,,'))).toBe(true);
  const later = await run('--since', '2099-01-01T00:00:00Z', '--format', 'csv');
  expect(later.out.split('\r\n')).toHaveLength(2);
  expect(later.out).toContain('""name"":""Tech, \\""IT\\""""');
});

it('says so when nothing changed in the period', async () => {
  expect((await run('--since', '2100-01-01')).out).toBe('No changes recorded in this period.');
  expect((await run('--since', '2100-01-01', '--format', 'json')).out).toBe('[]');
});

it('refuses bad flags with one line and exit code 2', async () => {
  const cases: [string[], RegExp][] = [
    [['--format', 'xml'], /^kept audit: --format "xml" is not a format; use table, json or csv$/],
    [['--since', 'last week'], /^kept audit: --since "last week" is not a date; write YYYY-MM-DD/],
    [['--since', '2026-02-30'], /is not a date/],
    [['--dept', 'nope'], /^kept audit: there is no department "nope"; departments: /],
    [['--verbose'], /^kept audit: Unknown option '--verbose'.*; usage: kept audit/],
    [['extra'], /usage: kept audit/],
  ];
  for (const [args, message] of cases) {
    const { code, out, err } = await run(...args);
    expect({ args, code, out }).toEqual({ args, code: 2, out: '' });
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
  }
});
