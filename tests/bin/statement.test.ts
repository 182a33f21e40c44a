/** `kept statement`: a department's monthly penalty statements, as the provider and as the customer. */
import type { CliIO } from '../../bin/cli/io';
import { kept } from '../../bin/cli/main';
import { runScan } from '../../functions/jobs/scan';
import { act, fileFromSlack } from '../../functions/services/requests';
import type { Db } from '../../functions/store/client';
import { readTotal } from '../../functions/store/ledger';
import { importCompany, OPS_FOR_SALES, opsForSales } from '../support/company';
import { dropTable, freshTable, testEndpoint } from '../support/db';

let db: Db;
let id = '';
beforeAll(async () => {
  db = await freshTable();
  await importCompany(
    db,
    opsForSales({ unit: 'points', per_breach: 50, tiers: [{ from_breach: 2, multiplier: 2 }] }),
    '2026-11-01T12:00:00Z',
  );
  const filed = await fileFromSlack(db, {
    user: OPS_FOR_SALES.salesMember,
    agreementId: 'ops-for-sales',
    priority: 'P1',
    title: 'Demo down',
    description: '',
    delivery: 'view:B1',
    now: new Date('2026-11-10T15:00:00Z'),
  });
  if (filed.outcome !== 'filed') throw new Error(JSON.stringify(filed));
  id = filed.request.id;
  await runScan({ db }, new Date('2026-11-10T20:00:00Z')); // both targets missed: 50 + 100
  await act(db, {
    id,
    user: OPS_FOR_SALES.salesHead,
    action: { type: 'waive', kind: 'response', reason: 'We sent the wrong link' },
    now: new Date('2026-11-11T15:00:00Z'),
  });
});
afterAll(() => dropTable(db));

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const env = { DYNAMODB_ENDPOINT: testEndpoint(), KEPT_TABLE: db.table };
  const cli: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), readFile: async () => '', env };
  return { cli, out, err };
}

it('--format json: the provider side holds the statement, equal to the ledger; the customer receives it', async () => {
  const ops = io();
  expect(await kept(['statement', '--dept', 'ops', '--month', '2026-11', '--format', 'json'], ops.cli)).toBe(0);
  const provided = JSON.parse(ops.out.join('\n'));
  expect(provided).toMatchObject({ department: 'ops', month: '2026-11', receives: [] });
  expect(provided.provides).toHaveLength(1);
  const [statement] = provided.provides;
  const total = await readTotal(db, 'ops-for-sales', '2026-11');
  expect(statement.totals).toEqual({ ...total, net: total.charged - total.waived });
  expect(statement.totals).toEqual({ breaches: 2, charged: 150, waived: 50, net: 100 });
  expect(statement.tiersReached).toEqual([{ fromBreach: 2, multiplier: 2 }]);
  expect(statement.waivers).toEqual([
    expect.objectContaining({
      request: id,
      kind: 'response',
      by: OPS_FOR_SALES.salesHead,
      reason: 'We sent the wrong link',
    }),
  ]);

  const sales = io();
  expect(await kept(['statement', '--dept', 'Sales', '--month', '2026-11', '--format', 'json'], sales.cli)).toBe(0);
  const received = JSON.parse(sales.out.join('\n'));
  expect(received.provides).toEqual([]);
  expect(received.receives).toEqual([statement]);
});

it('text: a block per agreement with its totals, terms and one line per breach with its waiver', async () => {
  const { cli, out, err } = io();
  expect(await kept(['statement', '--dept', 'ops', '--month', '2026-11'], cli)).toBe(0);
  expect(err).toEqual([]);
  const text = out.join('\n');
  expect(text).toContain('Operations: penalty statements of 2026-11');
  expect(text).toContain('Operations for Sales · Demo environments (ops-for-sales), 2026-11');
  expect(text).toContain('2 breaches · charged 150 points · waived 50 points · net 100 points');
  expect(text).toContain('tiers reached: ×2');
  expect(text).toContain(`1st: ${id} response, due 2026-11-10T15:30:00.000Z, ×1, 50 points`);
  expect(text).toContain(`2nd: ${id} resolution, due 2026-11-10T19:00:00.000Z, ×2, 100 points`);
  expect(text).toContain('waived by U0SALHEAD1');
  expect(text).toContain(': We sent the wrong link');
  expect(text).toMatch(/Receives \(0\)\n {2}none/);
});

it('a month with no breach owes nothing', async () => {
  const { cli, out } = io();
  expect(await kept(['statement', '--dept', 'ops', '--month', '2026-10'], cli)).toBe(0);
  expect(out.join('\n')).toContain('no target missed: nothing owed');
});

it.each([
  [
    ['--dept', 'marketing', '--month', '2026-11'],
    'kept statement: there is no department "marketing"; departments: ops, sales',
  ],
  [
    ['--dept', 'ops', '--month', '2026-13'],
    'kept statement: --month "2026-13" is not a month; write YYYY-MM, e.g. 2026-10',
  ],
  [
    ['--dept', 'ops', '--month', 'November'],
    'kept statement: --month "November" is not a month; write YYYY-MM, e.g. 2026-10',
  ],
  [
    ['--month', '2026-11'],
    'kept statement: --dept is required; usage: kept statement --dept ID --month YYYY-MM [--format text|json]',
  ],
  [
    ['--dept', 'ops'],
    'kept statement: --month is required; usage: kept statement --dept ID --month YYYY-MM [--format text|json]',
  ],
  [
    ['--dept', 'ops', '--month', '2026-11', '--format', 'csv'],
    'kept statement: --format "csv" is not a format; use text or json',
  ],
  [
    ['--dept', 'ops', '--later'],
    expect.stringMatching(/^kept statement: Unknown option '--later'.*usage: kept statement/),
  ],
])('bad input %j: one line, exit code 2, nothing written', async (args, line) => {
  const { cli, out, err } = io();
  const before = await readTotal(db, 'ops-for-sales', '2026-11');
  expect(await kept(['statement', ...args], cli)).toBe(2);
  expect(err).toEqual([line]);
  expect(out).toEqual([]);
  expect(await readTotal(db, 'ops-for-sales', '2026-11')).toEqual(before);
});
