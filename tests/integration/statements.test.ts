/**
 * The monthly penalty statement on DynamoDB Local: equal to the ledger the scan and a waiver wrote;
 * handed to the worker once per month and agreement however often and however concurrently the
 * digest's run goes, and by a later run when one died after claiming it; one DM per head, however
 * often the work item comes.
 */
import { LogLevel } from '@slack/web-api';
import { runScan } from '../../functions/jobs/scan';
import { runStatements } from '../../functions/jobs/statements';
import { performWork } from '../../functions/jobs/work';
import { act, fileFromSlack } from '../../functions/services/requests';
import { readStatement } from '../../functions/services/statements';
import { createSlackClient } from '../../functions/slack/web-client';
import type { Db } from '../../functions/store/client';
import { readDirectory } from '../../functions/store/directory';
import { readLedger, readTotal } from '../../functions/store/ledger';
import { claimStatement, STATEMENT_LEASE_MS, statementClaimsOf } from '../../functions/store/statements';
import type { WorkItem } from '../../functions/work/item';
import type { Outbox } from '../../functions/work/outbox';
import { importCompany, OPS_FOR_SALES, opsForSales } from '../support/company';
import { dropTable, freshTable } from '../support/db';
import { FakeSlack } from '../support/fake-slack';

const { opsHead: HEAD_OPS, salesHead: HEAD_SALES, salesMember: SALES_MEMBER } = OPS_FOR_SALES;

// Ops works around the clock in New York: December's first working instant is midnight on the 1st
// there (05:00 UTC). 50 points a breach, doubled from the 3rd, at most 500 points a month.
const COMPANY = opsForSales({
  unit: 'points',
  per_breach: 50,
  tiers: [{ from_breach: 3, multiplier: 2 }],
  monthly_cap: 500,
});
const DUE = '2026-12-01T05:00:00Z';

let fake: FakeSlack;
let db: Db;

beforeEach(async () => {
  fake = await FakeSlack.start();
  db = await freshTable();
  // Agreed in November: no statement of October, the month before it began.
  await importCompany(db, COMPANY, '2026-11-01T12:00:00Z');
});
afterEach(async () => {
  await fake.stop();
  await dropTable(db);
});

const at = (iso: string, plusMs = 0) => new Date(Date.parse(iso) + plusMs);

function recordingOutbox() {
  const items: WorkItem[] = [];
  const outbox: Outbox = { send: async (item) => void items.push(item), idle: async () => {} };
  return { outbox, items };
}
const slack = () =>
  createSlackClient({ SLACK_API_URL: fake.url, SLACK_BOT_TOKEN: 'xoxb-test' }, { logLevel: LogLevel.ERROR });
const work = async (items: WorkItem[]) => {
  for (const item of items) await performWork({ db, slack: slack(), admins: [] }, item);
};
const dmsTo = (user: string) => fake.callsTo('chat.postMessage').filter((c) => c.args.channel === user);

let n = 0;
/** A P1 filed at `iso` and left alone: both its targets are missed (30 minutes, 4 hours). */
async function missedBoth(iso: string): Promise<string> {
  const result = await fileFromSlack(db, {
    user: SALES_MEMBER,
    agreementId: 'ops-for-sales',
    priority: 'P1',
    title: `Demo ${++n}`,
    description: '',
    delivery: `view:S${n}`,
    now: new Date(iso),
  });
  if (result.outcome !== 'filed') throw new Error(JSON.stringify(result));
  await runScan({ db }, at(iso, 5 * 60 * 60_000));
  return result.request.id;
}

it("November's statement equals its ledger: tiers, the cap, a waiver with its reason", async () => {
  const ids: string[] = [];
  for (const day of ['03', '05', '10', '12']) ids.push(await missedBoth(`2026-11-${day}T15:00:00Z`));
  const waived = await act(db, {
    id: ids[1]!,
    user: HEAD_SALES,
    action: { type: 'waive', kind: 'resolution', reason: 'The demo was cancelled anyway' },
    now: at('2026-11-20T15:00:00Z'),
  });
  expect(waived).toMatchObject({ outcome: 'done' });

  const statement = (await readStatement(db, await readDirectory(db), 'ops-for-sales', '2026-11'))!;
  const ledger = await readLedger(db, 'ops-for-sales', '2026-11');
  const total = await readTotal(db, 'ops-for-sales', '2026-11');
  expect(statement.totals).toEqual({
    breaches: total.breaches,
    charged: total.charged,
    waived: total.waived,
    net: total.charged - total.waived,
  });
  expect(total).toEqual({ breaches: 8, charged: 500, waived: 100 });
  // Each charge of the ledger is a breach line, with its amount and multiplier.
  const charges = ledger.filter((e) => e.type === 'penalty');
  expect(statement.breaches.map((b) => [b.request, b.kind, b.amount, b.multiplier, b.dueAt])).toEqual(
    charges.map((e) => [e.request, e.kind, e.amount, e.multiplier, e.at]),
  );
  expect(statement.breaches.map((b) => b.amount)).toEqual([50, 50, 100, 100, 100, 100, 0, 0]);
  expect(statement.tiersReached).toEqual([{ fromBreach: 3, multiplier: 2 }]);
  expect(statement.capReached).toBe(true);
  expect(statement.waivers).toEqual([
    expect.objectContaining({
      request: ids[1],
      kind: 'resolution',
      by: HEAD_SALES,
      reason: 'The demo was cancelled anyway',
      amount: 100,
    }),
  ]);
  expect(statement.breaches.find((b) => b.request === ids[1] && b.kind === 'resolution')?.waiver?.by).toBe(HEAD_SALES);
});

it('handed on once per month and agreement, however often and however concurrently the run goes; one DM per head', async () => {
  await missedBoth('2026-11-03T15:00:00Z');
  const { outbox, items } = recordingOutbox();
  // Not before December's first working instant (and none of October, before the agreement began).
  expect(await runStatements({ db, outbox }, at(DUE, -1))).toEqual({ handed: 0, months: [] });
  expect(items).toEqual([]);

  const runs = await Promise.all([0, 0, 0, 0, 0].map((late) => runStatements({ db, outbox }, at(DUE, late))));
  expect(runs.reduce((sum, r) => sum + r.handed, 0)).toBe(1);
  for (const later of [60_000, 15 * 60_000, 3 * 24 * 60 * 60_000])
    expect((await runStatements({ db, outbox }, at(DUE, later))).handed).toBe(0);
  expect(items).toEqual([{ type: 'statement.send', agreement: 'ops-for-sales', month: '2026-11' }]);
  expect(await statementClaimsOf(db, '2026-11')).toEqual([
    { agreementId: 'ops-for-sales', state: 'handed', attempts: 1 },
  ]);

  // SQS may deliver it twice: each head still hears once.
  await work([...items, ...items]);
  expect(dmsTo(HEAD_OPS)).toHaveLength(1);
  expect(dmsTo(HEAD_SALES)).toHaveLength(1);
  expect(JSON.stringify(dmsTo(HEAD_OPS)[0]!.args.blocks)).toContain('We are sorry');
  expect(JSON.stringify(dmsTo(HEAD_SALES)[0]!.args.blocks)).toContain('request_waive');
  expect(JSON.stringify(dmsTo(HEAD_OPS)[0]!.args.blocks)).not.toContain('request_waive');
});

it('a run that dies after claiming leaves the statement to a later run, which hands it on', async () => {
  const { outbox, items } = recordingOutbox();
  const dying: Outbox = {
    send: async () => {
      throw new Error('the Lambda was stopped here');
    },
    idle: async () => {},
  };
  await expect(runStatements({ db, outbox: dying }, at(DUE))).rejects.toThrow('stopped here');
  expect(await statementClaimsOf(db, '2026-11')).toEqual([
    { agreementId: 'ops-for-sales', state: 'handing', attempts: 1 },
  ]);
  // While its lease may still be held, the next run leaves it alone...
  expect((await runStatements({ db, outbox }, at(DUE, 60_000))).handed).toBe(0);
  // ...and once it has run out, the run after takes it over and hands it on.
  expect((await runStatements({ db, outbox }, at(DUE, STATEMENT_LEASE_MS + 60_000))).handed).toBe(1);
  expect(items).toEqual([{ type: 'statement.send', agreement: 'ops-for-sales', month: '2026-11' }]);
  expect(await statementClaimsOf(db, '2026-11')).toEqual([
    { agreementId: 'ops-for-sales', state: 'handed', attempts: 2 },
  ]);
});

it('a run that died after handing it on but before marking it: handed again, still one DM per head', async () => {
  const { outbox, items } = recordingOutbox();
  // The dead run's claim and its item on the queue.
  expect(await claimStatement(db, '2026-11', 'ops-for-sales', 'dead-run', at(DUE).getTime())).toEqual({
    kind: 'claimed',
  });
  items.push({ type: 'statement.send', agreement: 'ops-for-sales', month: '2026-11' });
  expect((await runStatements({ db, outbox }, at(DUE, STATEMENT_LEASE_MS + 1))).handed).toBe(1);
  expect(items).toHaveLength(2);
  await work(items);
  // A month without a breach: a short thank-you to both sides, once each.
  expect(dmsTo(HEAD_OPS)).toHaveLength(1);
  expect(dmsTo(HEAD_SALES)).toHaveLength(1);
  expect(String(dmsTo(HEAD_OPS)[0]!.args.text)).toContain('no target missed, nothing owed');
});
