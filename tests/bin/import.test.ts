/**
 * `kept import` as people run it: the example file, a second run, a changed agreement, and every
 * broken fixture (each problem listed with its path, exit 2, nothing written).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CliIO } from '../../bin/cli/io';
import { kept } from '../../bin/cli/main';
import { termsOf } from '../../functions/domain/agreement';
import { specOfTerms } from '../../functions/domain/agreement-spec';
import { specOfDepartment } from '../../functions/domain/department-spec';
import { validateImport } from '../../functions/domain/import-file';
import { planImport } from '../../functions/domain/import-plan';
import { builtInTips } from '../../functions/domain/tips';
import type { Db } from '../../functions/store/client';
import { PutCommand } from '../../functions/store/commands';
import { readDirectory } from '../../functions/store/directory';
import { applyImport } from '../../functions/store/import';
import { readAllTips, readCatalogue, setTipRetired } from '../../functions/store/tips';
import { allItems, dropTable, freshTable, testEndpoint } from '../support/db';
import { FakeSlack } from '../support/fake-slack';
import { directoryFor, importFixtures } from '../support/import-fixtures';

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'company.yaml');
let fake: FakeSlack;
beforeAll(async () => {
  fake = await FakeSlack.start();
  fake.setUsergroup('S0HRTEAM1', ['U0HRMEM01']);
});
afterAll(() => fake.stop());

function cli(db: Db, files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const env = {
    SLACK_SIGNING_SECRET: 'abcdef0123456789',
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_API_URL: fake.url,
    DYNAMODB_ENDPOINT: testEndpoint(),
    KEPT_TABLE: db.table,
  };
  const io: CliIO = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readFile: async (p) => files[p] ?? readFile(p, 'utf8'),
    env,
  };
  return { io, out, err };
}

describe('the example file', () => {
  let db: Db;
  beforeAll(async () => (db = await freshTable()));
  afterAll(() => dropTable(db));

  it('imports, then changes nothing the second time, then makes a changed agreement its next version', async () => {
    const first = cli(db);
    expect(await kept(['import', EXAMPLE], first.io)).toBe(0);
    expect(first.err).toEqual([]);
    expect(first.out).toContain('+ department it (IT), request IDs IT-1, IT-2, ...');
    expect(first.out).toContain('+ agreement it-for-finance version 1 active');
    expect(first.out.at(-1)).toBe(`${EXAMPLE}: made 9 changes.`);
    expect(fake.callsTo('usergroups.users.list').map((c) => c.args.usergroup)).toEqual(['S0HRTEAM1']);

    const items = await allItems(db);
    const second = cli(db);
    expect(await kept(['import', EXAMPLE], second.io)).toBe(0);
    expect(second.out).toEqual([`${EXAMPLE}: nothing to change; all 9 entries are already up to date.`]);
    expect(await allItems(db)).toHaveLength(items.length);

    const text = (await readFile(EXAMPLE, 'utf8')).replace(
      'P1: { response: 30m, resolution: 4h }',
      'P1: { response: 30m, resolution: 3h }',
    );
    const third = cli(db, { 'changed.yaml': text });
    expect(await kept(['import', 'changed.yaml', '--dry-run'], third.io)).toBe(0);
    expect(third.out).toEqual([
      '~ agreement it-for-finance version 2 active (version 1 retired)',
      "  target advice, from this agreement's own requests over the last quarter:",
      '    P1 first response: no requests answered last quarter, so there is nothing to go on for 30m yet.',
      '    P1 resolution: no requests solved last quarter, so there is nothing to go on for 3h yet.',
      '    P2 first response: no requests answered last quarter, so there is nothing to go on for 2h yet.',
      '    P2 resolution: no requests solved last quarter, so there is nothing to go on for 16h yet.',
      'changed.yaml: would make 1 change; 8 already up to date.',
    ]);
    expect((await readDirectory(db)).agreements.find((a) => a.id === 'it-for-finance')?.active?.version).toBe(1);
    expect(await kept(['import', 'changed.yaml'], third.io)).toBe(0);
    expect(
      (await readDirectory(db)).agreements.find((a) => a.id === 'it-for-finance')?.active?.targets.P1?.resolution,
    ).toBe(3 * 3_600_000);
  });

  it("a dry run shows, under each agreement whose targets change, what the provider's last quarter says", async () => {
    const other = await freshTable();
    expect(await kept(['import', EXAMPLE], cli(other).io)).toBe(0);
    // IT's day counters: 20 answers and 20 solutions of it-for-finance at P2 within the last quarter,
    // one day of them before it (not counted), and 5 answers of it-for-everyone at P2.
    const day = (sk: string, counters: Record<string, number>) =>
      other.doc.send(
        new PutCommand({ TableName: other.table, Item: { pk: 'STATS#it', sk: `DAY#${sk}`, ...counters } }),
      );
    await day('2027-01-10', { 'resp|it-for-finance|P2|60': 12, 'resp|it-for-finance|P2|180': 8 });
    await day('2027-02-20', { 'reso|it-for-finance|P2|960': 15, 'reso|it-for-finance|P2|1920': 5 });
    await day('2026-12-01', { 'resp|it-for-finance|P2|5': 100 });
    await day('2027-03-01', { 'resp|it-for-everyone|P2|30': 5 });
    const text = (await readFile(EXAMPLE, 'utf8'))
      .replace('P2: { response: 2h, resolution: 16h }', 'P2: { response: 2h30m, resolution: 16h }')
      .replace(
        /^digest:/m,
        `  - id: it-for-people-ops
    provider: it
    customer: people-ops
    service: Onboarding laptops
    targets:
      P2: { response: 1h, resolution: 40h }
    penalty: { unit: points, per_breach: 5 }

digest:`,
      );
    const run = cli(other, { 'targets.yaml': text });
    // Thursday 4 March 2027 in New York: the quarter began on 3 December 2026.
    run.io.now = () => new Date('2027-03-04T15:00:00Z');
    expect(await kept(['import', 'targets.yaml', '--dry-run'], run.io)).toBe(0);
    expect(run.err).toEqual([]);
    expect(run.out).toEqual([
      '~ agreement it-for-finance version 2 active (version 1 retired)',
      "  target advice, from this agreement's own requests over the last quarter:",
      '    P1 first response: no requests answered last quarter, so there is nothing to go on for 30m yet.',
      '    P1 resolution: no requests solved last quarter, so there is nothing to go on for 4h yet.',
      '    P2 first response: median ≤ 1h, p90 ≤ 3h (20 answered); 2h30m would have been met at least 60 % of the time.',
      '    P2 resolution: median ≤ 16h, p90 ≤ 32h (20 solved); 16h would have been met 75 % of the time.',
      '+ agreement it-for-people-ops version 1 active',
      '  target advice, from every agreement IT keeps over the last quarter (this agreement has no history of its own yet):',
      '    P2 first response: median ≤ 1h, p90 ≤ 3h (25 answered); 1h would have been met 68 % of the time.',
      '    P2 resolution: median ≤ 16h, p90 ≤ 32h (20 solved); 40h would have been met 100 % of the time.',
      'targets.yaml: would make 2 changes; 8 already up to date.',
    ]);
    await dropTable(other);
  });

  it('warns, without failing, when Slack cannot say who is in a user group', async () => {
    const other = await freshTable();
    fake.failWith('usergroups.users.list', 'missing_scope');
    const run = cli(other);
    expect(await kept(['import', EXAMPLE], run.io)).toBe(0);
    expect(run.err).toEqual([
      expect.stringMatching(
        /^kept import: could not read the members of user group S0HRTEAM1 \(people-ops\) from Slack: missing_scope\./,
      ),
    ]);
    await dropTable(other);
  });
});

describe('tips in the file', () => {
  let db: Db;
  beforeAll(async () => (db = await freshTable()));
  afterAll(() => dropTable(db));

  const retiredCus = builtInTips().find((t) => t.kind === 'customer')!;
  const editedInt = builtInTips().find((t) => t.kind === 'internal')!;
  const backInt = builtInTips().filter((t) => t.kind === 'internal')[1]!;
  const FILE = [
    'tips:',
    `  - id: ${retiredCus.id}`,
    '    retired: true',
    `  - id: ${editedInt.id}`,
    '    title: Leave a note that stands alone',
    `  - id: ${backInt.id}`,
    '    retired: false',
    '  - id: int-ask-for-the-deadline',
    '    title: Ask when it is needed',
    '    body: A request without a date gets either rushed or forgotten. Ask when the answer is needed and why, so you can plan it.',
    '    try_this_week: Ask for the real deadline on every request you take this week.',
    '',
  ].join('\n');

  it('adds, rewords, retires and brings back what /sla tips shows; a second run changes nothing', async () => {
    await setTipRetired(db, backInt.id, true, { by: 'U0ADMIN01', at: '2026-11-01T00:00:00.000Z' });
    const first = cli(db, { 'tips.yaml': FILE });
    expect(await kept(['import', 'tips.yaml'], first.io)).toBe(0);
    expect(first.err).toEqual([]);
    expect(first.out).toEqual([
      `- tip ${retiredCus.id} (${retiredCus.title}) retired`,
      `~ tip ${editedInt.id} (Leave a note that stands alone) reworded`,
      `+ tip ${backInt.id} (${backInt.title}) back in the rotation`,
      '+ tip int-ask-for-the-deadline (Ask when it is needed), internal',
      'tips.yaml: made 4 changes.',
    ]);

    const catalogue = await readCatalogue(db);
    expect(catalogue.find((t) => t.id === retiredCus.id)).toBeUndefined();
    expect(catalogue.find((t) => t.id === editedInt.id)).toEqual({
      ...editedInt,
      title: 'Leave a note that stands alone',
    });
    expect(catalogue.find((t) => t.id === backInt.id)).toEqual(backInt);
    expect(catalogue.find((t) => t.id === 'int-ask-for-the-deadline')).toMatchObject({
      kind: 'internal',
      title: 'Ask when it is needed',
      tryThisWeek: 'Ask for the real deadline on every request you take this week.',
    });
    expect(catalogue).toHaveLength(builtInTips().length);
    const all = await readAllTips(db);
    expect(all.find((e) => e.tip.id === 'int-ask-for-the-deadline')).toMatchObject({
      source: 'custom',
      retired: false,
    });
    expect(all.find((e) => e.tip.id === editedInt.id)?.source).toBe('edit');

    const items = await allItems(db);
    const second = cli(db, { 'tips.yaml': FILE });
    expect(await kept(['import', 'tips.yaml'], second.io)).toBe(0);
    expect(second.out).toEqual(['tips.yaml: nothing to change; all 4 entries are already up to date.']);
    expect(await allItems(db)).toEqual(items);
  });

  it('a dry run writes no tip; a file that would retire every customer tip is refused', async () => {
    const other = await freshTable();
    const dry = cli(other, { 'tips.yaml': FILE });
    expect(await kept(['import', 'tips.yaml', '--dry-run'], dry.io)).toBe(0);
    expect(dry.out.at(-1)).toBe('tips.yaml: would make 3 changes; 1 already up to date.');
    expect(await allItems(other)).toEqual([]);

    const customers = builtInTips().filter((t) => t.kind === 'customer');
    await setTipRetired(other, customers[0]!.id, true, { by: 'U0ADMIN01', at: '2026-11-01T00:00:00.000Z' });
    const text = ['tips:', ...customers.slice(1).map((t) => `  - { id: ${t.id}, retired: true }`), ''].join('\n');
    const refused = cli(other, { 'all.yaml': text });
    expect(await kept(['import', 'all.yaml'], refused.io)).toBe(2);
    expect(refused.err).toEqual([
      'kept import: all.yaml has 1 problem; nothing was imported:',
      `tips[${customers.length - 2}].retired: would retire the last customer tip in rotation; keep at least one of each kind`,
    ]);
    expect(await readCatalogue(other)).toHaveLength(builtInTips().length - 1);
    await dropTable(other);
  });
});

describe('files that cannot be imported', () => {
  const tables: Partial<Record<'empty' | 'kept-it', Db>> = {};
  const counts: Record<string, number> = {};
  beforeAll(async () => {
    tables.empty = await freshTable();
    tables['kept-it'] = await freshTable();
    // Write the `kept-it` directory as an import would have.
    const dir = directoryFor('kept-it');
    const file = {
      departments: dir.departments.map(specOfDepartment),
      agreements: dir.agreements.filter((a) => a.active).map((a) => ({ id: a.id, ...specOfTerms(termsOf(a.active!)) })),
    };
    const checked = validateImport(file, await readDirectory(tables['kept-it']));
    if (!checked.ok) throw new Error(`kept-it directory is not importable: ${JSON.stringify(checked.error)}`);
    await applyImport(
      tables['kept-it'],
      planImport(checked.value, await readDirectory(tables['kept-it']), '2026-11-25T00:00:00.000Z'),
      await readDirectory(tables['kept-it']),
    );
    for (const [k, db] of Object.entries(tables)) counts[k] = (await allItems(db!)).length;
  });
  afterAll(async () => {
    for (const db of Object.values(tables)) await dropTable(db!);
  });

  it.each(importFixtures().map((f) => [f.name, f] as const))(
    '%s: lists every problem with its path, exits 2, writes nothing',
    async (_name, fixture) => {
      const db = tables[fixture.directory]!;
      const run = cli(db);
      expect(await kept(['import', fixture.path], run.io)).toBe(2);
      const n = fixture.expected.length;
      expect(run.err).toEqual([
        `kept import: ${fixture.path} has ${n} problem${n === 1 ? '' : 's'}; nothing was imported:`,
        ...fixture.expected,
      ]);
      expect(run.out).toEqual([]);
      expect(await allItems(db)).toHaveLength(counts[fixture.directory]!);
    },
  );

  it.each([
    ['not YAML at all', 'departments: [unclosed', /^kept import: bad\.yaml is not valid YAML: line 1, column \d+: /],
    [
      'a key given twice',
      'digest: { channel: C0GENERAL }\ndigest: { channel: C0OTHER01 }\n',
      /^kept import: bad\.yaml is not valid YAML: line 2, column 1: Map keys must be unique/,
    ],
  ])('%s is one line and exit 2', async (_what, text, line) => {
    const run = cli(tables.empty!, { 'bad.yaml': text });
    expect(await kept(['import', 'bad.yaml'], run.io)).toBe(2);
    expect(run.err).toEqual([expect.stringMatching(line)]);
  });

  it.each([
    [[], 'kept import: give the file to import; usage: kept import FILE.yaml [--dry-run]'],
    [['a.yaml', 'b.yaml'], 'kept import: give one file at a time; usage: kept import FILE.yaml [--dry-run]'],
    [['missing.yaml'], expect.stringMatching(/^kept import: cannot read missing\.yaml: ENOENT/)],
  ])('kept import %j is one line and exit 2', async (args, line) => {
    const run = cli(tables.empty!);
    expect(await kept(['import', ...(args as string[])], run.io)).toBe(2);
    expect(run.err).toEqual([line]);
  });
});
