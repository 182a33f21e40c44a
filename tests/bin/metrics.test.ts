/**
 * `kept metrics push` and `kept metrics import`: a front-line department's weekly customer figures.
 * Bad input is one line naming the flag or the row, exit 2 and nothing written; a week pushed again
 * keeps one value (the last); `kept report --side customer` then shows them beside the compliance
 * of what the department receives.
 */
import type { CliIO } from '../../bin/cli/io';
import { kept } from '../../bin/cli/main';
import { runScan } from '../../functions/jobs/scan';
import { fileFromSlack } from '../../functions/services/requests';
import type { Db } from '../../functions/store/client';
import { readMetrics } from '../../functions/store/metrics';
import { importCompany, OPS_FOR_SALES, opsForSales } from '../support/company';
import { allItems, dropTable, freshTable, testEndpoint } from '../support/db';

let db: Db;
beforeAll(async () => {
  db = await freshTable();
  await importCompany(db, opsForSales(), '2026-11-01T12:00:00Z');
});
afterAll(() => dropTable(db));

function cli(files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const env = { DYNAMODB_ENDPOINT: testEndpoint(), KEPT_TABLE: db.table, USER: 'pipeline' };
  const io: CliIO = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readFile: async (p) => {
      if (files[p] === undefined) throw new Error('no such file');
      return files[p]!;
    },
    env,
  };
  return { io, out, err };
}
const push = (...args: string[]) => ['metrics', 'push', ...args];
const metricItems = async () => (await allItems(db)).filter((i) => String(i.pk).startsWith('METRIC#'));

describe('kept metrics push', () => {
  it.each([
    [
      push('--dept', 'nobody', '--metric', 'nps', '--week', '2026-W48', '--value', '41'),
      /--dept: "nobody" is not a department in Kept; known: ops, sales/,
    ],
    [
      push('--dept', 'sales', '--metric', 'NPS!', '--week', '2026-W48', '--value', '41'),
      /--metric: "NPS!" is not a metric name/,
    ],
    [
      push('--dept', 'sales', '--metric', 'nps', '--week', '2026-48', '--value', '41'),
      /--week: "2026-48" is not a week; write an ISO week like 2026-W48/,
    ],
    [
      push('--dept', 'sales', '--metric', 'nps', '--week', '2025-W53', '--value', '41'),
      /--week: "2025-W53" is not a week/,
    ],
    [
      push('--dept', 'sales', '--metric', 'nps', '--week', '2026-W48', '--value', 'high'),
      /--value: "high" is not a number/,
    ],
    [push('--dept', 'sales', '--metric', 'nps', '--week', '2026-W48'), /--value is required/],
  ])('%j: one line, exit 2, nothing written', async (args, line) => {
    const run = cli();
    expect(await kept(args, run.io)).toBe(2);
    expect(run.err).toHaveLength(1);
    expect(run.err[0]).toMatch(line);
    expect(run.out).toEqual([]);
    expect(await metricItems()).toEqual([]);
  });

  it('pushing the same week twice keeps one value; a new value replaces it', async () => {
    const args = push('--dept', 'sales', '--metric', 'nps', '--week', '2026-W48', '--value', '41');
    const first = cli();
    expect(await kept(args, first.io)).toBe(0);
    expect(first.out).toEqual(['sales nps 2026-W48: 41 saved.']);
    expect(await kept(args, cli().io)).toBe(0);
    expect(await readMetrics(db, 'sales')).toEqual([
      { department: 'sales', metric: 'nps', week: '2026-W48', value: 41 },
    ]);
    const again = cli();
    expect(
      await kept(push('--dept', 'sales', '--metric', 'nps', '--week', '2026-W48', '--value', '38.5'), again.io),
    ).toBe(0);
    expect(again.out).toEqual(['sales nps 2026-W48: 38.5 saved (it replaces the earlier value).']);
    expect(await readMetrics(db, 'sales')).toEqual([
      { department: 'sales', metric: 'nps', week: '2026-W48', value: 38.5 },
    ]);
    expect(await metricItems()).toHaveLength(1);
  });
});

describe('kept metrics import', () => {
  it('a bad CSV: one line per problem naming the row, exit 2, nothing written', async () => {
    const before = await metricItems();
    const csv = [
      'week,department,metric,value',
      '2026-W45,sales,nps,40',
      '2026-W46,nobody,nps,40',
      '2026-W46,sales,nps,lots',
      '2026-W45,sales,nps,41',
    ].join('\n');
    const run = cli({ 'bad.csv': csv });
    expect(await kept(['metrics', 'import', 'bad.csv'], run.io)).toBe(2);
    expect(run.err).toEqual([
      'kept metrics: bad.csv row 3: "nobody" is not a department in Kept; known: ops, sales',
      'kept metrics: bad.csv row 4: "lots" is not a number',
      'kept metrics: bad.csv row 5: nps of sales for 2026-W45 is given twice (also row 2); give each week once',
      'kept metrics: nothing was imported from bad.csv.',
    ]);
    expect(await metricItems()).toEqual(before);

    const headless = cli({ 'h.csv': 'week;department;metric;value\n2026-W45;sales;nps;40' });
    expect(await kept(['metrics', 'import', 'h.csv'], headless.io)).toBe(2);
    expect(headless.err).toEqual([
      'kept metrics: h.csv row 1: the header must be week,department,metric,value (in any order), not "week;department;metric;value"',
    ]);
  });

  it('a good CSV saves each week; the same file again changes nothing', async () => {
    const csv = 'department,metric,week,value\r\nsales,csat,2026-W45,4.1\r\nsales,csat,2026-W46,4.3\r\n';
    const run = cli({ 'csat.csv': csv });
    expect(await kept(['metrics', 'import', 'csat.csv'], run.io)).toBe(0);
    expect(run.out).toEqual(['csat.csv: 2 weekly figures saved.']);
    const items = await allItems(db);
    expect(await kept(['metrics', 'import', 'csat.csv'], cli({ 'csat.csv': csv }).io)).toBe(0);
    expect(await allItems(db)).toEqual(items);
    expect((await readMetrics(db, 'sales')).filter((v) => v.metric === 'csat').map((v) => v.value)).toEqual([4.1, 4.3]);
  });
});

describe('kept import with a metrics section', () => {
  it('saves each week once; the same file again changes nothing; a bad entry writes nothing', async () => {
    const yaml = 'metrics:\n  - { department: sales, metric: churn, week: 2026-W40, value: 2.5 }\n';
    const first = cli({ 'm.yaml': yaml });
    expect(await kept(['import', 'm.yaml'], first.io)).toBe(0);
    expect(first.out).toEqual(['+ metric churn of sales for 2026-W40: 2.5', 'm.yaml: made 1 change.']);
    const items = await allItems(db);
    const second = cli({ 'm.yaml': yaml });
    expect(await kept(['import', 'm.yaml'], second.io)).toBe(0);
    expect(second.out).toEqual(['m.yaml: nothing to change; all 1 entries are already up to date.']);
    const bad = cli({ 'b.yaml': `${yaml}  - { department: sales, metric: churn, week: 2026-W41, value: high }\n` });
    expect(await kept(['import', 'b.yaml'], bad.io)).toBe(2);
    expect(bad.err.at(-1)).toBe('metrics[1].value: "high" is not a number');
    expect(await allItems(db)).toEqual(items);
  });
});

describe('kept report --side customer', () => {
  it('shows the customer loyalty section beside the compliance received, with the note', async () => {
    const filed = await fileFromSlack(db, {
      user: OPS_FOR_SALES.salesMember,
      agreementId: 'ops-for-sales',
      priority: 'P1',
      title: 'Demo down',
      description: '',
      delivery: 'view:B1',
      now: new Date('2026-11-24T15:00:00Z'),
    });
    if (filed.outcome !== 'filed') throw new Error(JSON.stringify(filed));
    await runScan({ db }, new Date('2026-11-25T20:00:00Z'));
    const json = cli();
    const args = ['report', '--dept', 'sales', '--side', 'customer', '--from', '2026-11-01', '--to', '2026-11-29'];
    expect(await kept([...args, '--format', 'json'], json.io)).toBe(0);
    const report = JSON.parse(json.out.join('\n'));
    expect(report.loyalty).toMatchObject({ department: 'sales', toWeek: '2026-W48', agreements: ['ops-for-sales'] });
    const nps = report.loyalty.metrics.find((m: { metric: string }) => m.metric === 'nps');
    expect(nps.weeks.at(-1)).toMatchObject({ week: '2026-W48', breached: 1, compliancePct: 0, value: 38.5 });
    expect(nps.n).toBe(1);
    expect(nps.note).toMatch(/nothing to compare/);

    const text = cli();
    expect(await kept(args, text.io)).toBe(0);
    const printed = text.out.join('\n');
    expect(printed).toMatch(/Customer loyalty, 2026-W23 to 2026-W48/);
    expect(printed).toMatch(/does not show that one caused the other|nothing to compare/);
  });

  it('counts the agreements a department declared in serves_customers_through', async () => {
    const file = opsForSales();
    const sales = file.departments.find((d) => d.id === 'sales')!;
    await importCompany(
      db,
      { ...file, departments: [{ ...sales, serves_customers_through: ['ops-for-sales'] }] },
      '2026-12-01T12:00:00Z',
    );
    const json = cli();
    const args = ['report', '--dept', 'sales', '--side', 'customer', '--from', '2026-11-01', '--to', '2026-11-29'];
    expect(await kept([...args, '--format', 'json'], json.io)).toBe(0);
    expect(JSON.parse(json.out.join('\n')).loyalty).toMatchObject({ declared: true, agreements: ['ops-for-sales'] });
  });
});
