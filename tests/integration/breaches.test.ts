/**
 * Breaches and penalties on DynamoDB Local, through the scan as it runs every minute: each miss
 * recorded once (repeated and concurrent scans), at its true due instant (a late scan), charged
 * from the pinned agreement version with the tier of its number in the agreement's month and the
 * monthly cap (months in the provider's time zone), waived only by the customer's heads with a
 * compensating ledger entry, and announced to both sides' heads once.
 */
import { LogLevel } from '@slack/web-api';
import { runScan } from '../../functions/jobs/scan';
import { performWork } from '../../functions/jobs/work';
import { act, fileFromSlack } from '../../functions/services/requests';
import { IDS } from '../../functions/slack/ids';
import { createSlackClient } from '../../functions/slack/web-client';
import type { Db } from '../../functions/store/client';
import { readLedger, readTotal } from '../../functions/store/ledger';
import { getRequest, getRequestRecord } from '../../functions/store/requests';
import { readDays } from '../../functions/store/stats';
import type { WorkItem } from '../../functions/work/item';
import type { Outbox } from '../../functions/work/outbox';
import { importCompany, OPS_FOR_SALES, opsForSales } from '../support/company';
import { dropTable, freshTable } from '../support/db';
import { FakeSlack } from '../support/fake-slack';

const { opsHead: HEAD_OPS, opsMember: OPS_MEMBER, salesHead: HEAD_SALES, salesMember: SALES_MEMBER } = OPS_FOR_SALES;

// Ops works around the clock in New York; Sales files to it. P1: answer in 30m, solve in 4h;
// 50 points a breach, doubled from the 3rd breach of a month, at most 500 points a month.
const COMPANY = opsForSales({
  unit: 'points',
  per_breach: 50,
  tiers: [{ from_breach: 3, multiplier: 2 }],
  monthly_cap: 500,
});

let fake: FakeSlack;
let db: Db;

beforeEach(async () => {
  fake = await FakeSlack.start();
  db = await freshTable();
  await importCompany(db, COMPANY, '2026-11-01T00:00:00Z');
});
afterEach(async () => {
  await fake.stop();
  await dropTable(db);
});

function recordingOutbox() {
  const items: WorkItem[] = [];
  const outbox: Outbox = { send: async (item) => void items.push(item), idle: async () => {} };
  const slack = createSlackClient(
    { SLACK_API_URL: fake.url, SLACK_BOT_TOKEN: 'xoxb-test' },
    { logLevel: LogLevel.ERROR },
  );
  /** `now`: the worker's clock (the grace before the heads are told one by one counts from the breach). */
  const run = async (now?: Date) => {
    for (const item of items.splice(0))
      await performWork({ db, slack, admins: [], ...(now ? { now: () => now } : {}) }, item);
  };
  return { outbox, items, run };
}

let n = 0;
async function file(at: string): Promise<string> {
  const result = await fileFromSlack(db, {
    user: SALES_MEMBER,
    agreementId: 'ops-for-sales',
    priority: 'P1',
    title: `Demo ${++n}`,
    description: '',
    delivery: `view:B${n}`,
    now: new Date(at),
  });
  if (result.outcome !== 'filed') throw new Error(JSON.stringify(result));
  return result.request.id;
}

const at = (iso: string, plusMs = 0) => new Date(Date.parse(iso) + plusMs);

it('a breach is recorded once, however often and however concurrently the scan runs', async () => {
  const id = await file('2026-11-10T15:00:00Z');
  const { outbox } = recordingOutbox();
  const first = await runScan({ db, outbox }, at('2026-11-10T15:31:00Z'));
  expect(first.breaches).toBe(1);
  expect((await runScan({ db, outbox }, at('2026-11-10T15:32:00Z'))).breaches).toBe(0);
  // The resolution target falls due at 19:00; three overlapping runs after it.
  const runs = await Promise.all([1, 2, 3].map(() => runScan({ db, outbox }, at('2026-11-10T19:01:00Z'))));
  expect(runs.reduce((sum, r) => sum + r.breaches, 0)).toBe(1);
  const request = (await getRequest(db, id))!;
  expect(Object.keys(request.breaches ?? {}).sort()).toEqual(['resolution', 'response']);
  const ledger = await readLedger(db, 'ops-for-sales', '2026-11');
  expect(ledger.map((e) => [e.request, e.kind, e.amount])).toEqual([
    [id, 'response', 50],
    [id, 'resolution', 50],
  ]);
  expect(await readTotal(db, 'ops-for-sales', '2026-11')).toEqual({ breaches: 2, charged: 100, waived: 0 });
  const history = (await getRequestRecord(db, id))!.events.map((e) => e.type);
  expect(history.filter((t) => t === 'breach')).toHaveLength(2);
});

it("overlapping runs over one agreement's many breaches number them once each, in turn, with the tiers and the cap", async () => {
  // Each run reads the month's total once and moves it itself; a run that finds it moved by another reads it again.
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) ids.push(await file(`2026-11-10T15:0${i}:00Z`));
  const { outbox } = recordingOutbox();
  const runs = await Promise.all([1, 2, 3].map(() => runScan({ db, outbox }, at('2026-11-10T19:30:00Z'))));
  expect(runs.reduce((sum, r) => sum + r.breaches, 0)).toBe(12);
  const ledger = await readLedger(db, 'ops-for-sales', '2026-11');
  expect(ledger).toHaveLength(12);
  expect(ledger.map((e) => e.n).sort((a, b) => a! - b!)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  // 50, 50, then doubled: 100 each until the 500-point cap is reached, then nothing.
  const byN = [...ledger].sort((a, b) => a.n! - b.n!).map((e) => e.amount);
  expect(byN).toEqual([50, 50, 100, 100, 100, 100, 0, 0, 0, 0, 0, 0]);
  expect(await readTotal(db, 'ops-for-sales', '2026-11')).toEqual({ breaches: 12, charged: 500, waived: 0 });
  for (const id of ids)
    expect(Object.keys((await getRequest(db, id))!.breaches ?? {}).sort()).toEqual(['resolution', 'response']);
});

it('a scan that comes late records each breach at its true due instant', async () => {
  const id = await file('2026-11-10T15:00:00Z');
  const result = await runScan({ db }, at('2026-11-12T09:00:00Z')); // the scheduler was down for two days
  expect(result.breaches).toBe(2);
  const request = (await getRequest(db, id))!;
  expect(request.breaches?.response?.dueAt).toBe(Date.parse('2026-11-10T15:30:00Z'));
  expect(request.breaches?.resolution?.dueAt).toBe(Date.parse('2026-11-10T19:00:00Z'));
  expect(request.breaches?.response?.detectedAt).toBe(Date.parse('2026-11-12T09:00:00Z'));
  expect(request.warned).toBeUndefined(); // a warning that came too late is not sent after the breach
});

it('a failed read of the agreement version delays the breach to the next scan, never for the life of the process', async () => {
  const id = await file('2026-11-10T15:00:00Z');
  let failures = 1;
  db.raw.middlewareStack.add(
    (next, context) => async (args) => {
      const key = JSON.stringify((args.input as { Key?: unknown }).Key ?? '');
      if (context.commandName === 'GetItemCommand' && key.includes('"V#') && failures > 0) {
        failures -= 1;
        throw Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
          name: 'ProvisionedThroughputExceededException',
        });
      }
      return next(args);
    },
    { step: 'initialize', name: 'failOneVersionRead' },
  );
  const first = await runScan({ db }, at('2026-11-10T15:31:00Z'));
  expect(first.breaches).toBe(0);
  expect(failures).toBe(0); // the read was tried, and failed
  expect((await getRequest(db, id))!.breaches).toBeUndefined();
  // A minute later the same process reads the version again and records the breach, at its due instant.
  const second = await runScan({ db }, at('2026-11-10T15:32:00Z'));
  expect(second.breaches).toBe(1);
  expect((await getRequest(db, id))!.breaches?.response?.dueAt).toBe(Date.parse('2026-11-10T15:30:00Z'));
  expect(await readTotal(db, 'ops-for-sales', '2026-11')).toEqual({ breaches: 1, charged: 50, waived: 0 });
});

it('a target resolved late before any scan ran is still recorded as a breach, at its due instant', async () => {
  const id = await file('2026-11-10T15:00:00Z');
  await act(db, {
    id,
    user: OPS_MEMBER,
    action: { type: 'resolve', note: 'done', cause: { category: 'staffing' } },
    now: at('2026-11-10T16:00:00Z'),
  });
  expect((await runScan({ db }, at('2026-11-10T16:05:00Z'))).breaches).toBe(1);
  expect((await getRequest(db, id))!.breaches?.response?.dueAt).toBe(Date.parse('2026-11-10T15:30:00Z'));
});

it("tiers and the monthly cap follow the breach number within the month, in the provider's time zone", async () => {
  // Seven requests in November (New York), each missing both targets: 14 breaches, numbered in the
  // order of their due instants: 50, 50, then doubled to 100 each, until the month's cap of 500.
  for (let day = 2; day <= 8; day++) await file(`2026-11-${String(day).padStart(2, '0')}T15:00:00Z`);
  await runScan({ db }, at('2026-11-09T12:00:00Z'));
  const november = (await readLedger(db, 'ops-for-sales', '2026-11')).sort((a, b) => a.n! - b.n!);
  expect(november.map((e) => e.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  // One agreement's requests are checked one after the other, oldest first: numbers follow due instants.
  expect(november.map((e) => e.at)).toEqual(november.map((e) => e.at).sort());
  expect(november.map((e) => e.amount)).toEqual([50, 50, 100, 100, 100, 100, 0, 0, 0, 0, 0, 0, 0, 0]);
  expect(november.map((e) => e.multiplier)).toEqual([1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);

  // Due 19:30 on 30 November in New York is already 1 December in UTC: it still counts in November (cap reached).
  const lateNovember = await file('2026-12-01T00:00:00Z');
  // Due 00:15 on 1 December in New York: the first breach of December.
  const december = await file('2026-12-01T05:45:00Z');
  await runScan({ db }, at('2026-12-01T06:30:00Z'));
  expect((await getRequest(db, lateNovember))!.breaches?.response).toMatchObject({ month: '2026-11', amount: 0 });
  expect((await getRequest(db, december))!.breaches?.response).toMatchObject({ month: '2026-12', n: 1, amount: 50 });
  expect((await readTotal(db, 'ops-for-sales', '2026-11')).charged).toBe(500);
});

it('only a head of the customer department may waive, with a reason; the waiver is a compensating entry', async () => {
  const id = await file('2026-11-10T15:00:00Z');
  await runScan({ db }, at('2026-11-10T15:31:00Z'));
  const waive = (user: string, reason = 'We gave them the wrong date') =>
    act(db, { id, user, action: { type: 'waive', kind: 'response', reason }, now: at('2026-11-10T16:00:00Z') });
  expect(await waive(HEAD_OPS)).toMatchObject({
    outcome: 'refused',
    message: expect.stringMatching(/^Only a head of the department that filed OPS-\d+ can waive/),
  });
  expect(await waive(SALES_MEMBER)).toMatchObject({ outcome: 'refused' });
  expect(await waive(HEAD_SALES, '  ')).toMatchObject({
    outcome: 'refused',
    message: expect.stringMatching(/Say why/),
  });
  expect(await waive(HEAD_SALES)).toMatchObject({ outcome: 'done' });
  expect(await waive(HEAD_SALES)).toMatchObject({
    outcome: 'refused',
    message: expect.stringMatching(/already waived/),
  });

  const ledger = await readLedger(db, 'ops-for-sales', '2026-11');
  expect(ledger.map((e) => [e.type, e.amount])).toEqual([
    ['penalty', 50],
    ['waiver', -50],
  ]);
  expect(ledger[1]).toMatchObject({ by: HEAD_SALES, reason: 'We gave them the wrong date' });
  expect(await readTotal(db, 'ops-for-sales', '2026-11')).toEqual({ breaches: 1, charged: 50, waived: 50 });
  const { days } = await readDays(db, 'ops', '2026-11-10', '2026-11-10');
  expect(days[0]!.counters).toMatchObject({ 'penalty|points': 50, 'waived|points': 50, 'breach|response': 1 });
});

it('resolving a breached request asks for the cause, and keeps it', async () => {
  const id = await file('2026-11-10T15:00:00Z');
  await runScan({ db }, at('2026-11-10T15:31:00Z'));
  const without = await act(db, {
    id,
    user: OPS_MEMBER,
    action: { type: 'resolve', note: 'Rebuilt it' },
    now: at('2026-11-10T16:00:00Z'),
  });
  expect(without).toMatchObject({
    outcome: 'refused',
    message: expect.stringMatching(
      /missed its response target, so say why: pick a cause \(staffing, handoff, tooling, unclear request, dependency, other\)/,
    ),
  });
  const withCause = await act(db, {
    id,
    user: OPS_MEMBER,
    action: {
      type: 'resolve',
      note: 'Rebuilt it',
      cause: { category: 'handoff', text: 'Night shift did not pass it on' },
    },
    now: at('2026-11-10T16:00:00Z'),
  });
  expect(withCause.outcome).toBe('done');
  expect((await getRequest(db, id))!.cause).toEqual({ category: 'handoff', text: 'Night shift did not pass it on' });
});

it("both sides' heads hear of a scan's breaches once, with the penalty and the recovery checklist; only the customer's heads can waive from the DM", async () => {
  const id = await file('2026-11-10T15:00:00Z');
  const { outbox, items, run } = recordingOutbox();
  await run(at('2026-11-10T15:00:00Z')); // the card and the filing confirmation
  await runScan({ db, outbox }, at('2026-11-10T15:31:00Z'));
  expect(items).toEqual([
    { type: 'request.changed', id },
    {
      type: 'breaches.found',
      key: expect.stringMatching(/^scan:2026-11-10T15:31:00.000Z:/),
      breaches: [{ id, kind: 'response' }],
    },
  ]);
  const redelivered = [...items];
  await run(at('2026-11-10T15:31:00Z'));
  const dm = (user: string) =>
    fake.callsTo('chat.postMessage').filter((c) => c.args.channel === user && c.outcome === 'ok');
  for (const head of [HEAD_OPS, HEAD_SALES]) {
    expect(dm(head)).toHaveLength(1);
    const text = JSON.stringify(dm(head)[0]!.args.blocks);
    expect(text).toContain(id);
    expect(text).toMatch(/50 points/);
    expect(text).toMatch(/20 minutes/);
  }
  expect(JSON.stringify(dm(HEAD_SALES)[0]!.args.blocks)).toContain(IDS.waivePenalty);
  expect(JSON.stringify(dm(HEAD_OPS)[0]!.args.blocks)).not.toContain(IDS.waivePenalty);
  // Repeated jobs, and the scan handing the request over again after the grace, tell nobody again.
  for (const item of redelivered) await outbox.send(item);
  await run(at('2026-11-10T15:32:00Z'));
  await runScan({ db, outbox }, at('2026-11-10T15:40:00Z'));
  await run(at('2026-11-10T15:40:00Z'));
  expect(dm(HEAD_OPS)).toHaveLength(1);
  expect(dm(HEAD_SALES)).toHaveLength(1);
});

it("a scan's batch for the heads that never arrives: after the grace each head is told of the breach on its own, once", async () => {
  const id = await file('2026-11-10T15:00:00Z');
  const { outbox, items, run } = recordingOutbox();
  await run(at('2026-11-10T15:00:00Z'));
  await runScan({ db, outbox }, at('2026-11-10T15:31:00Z'));
  items.splice(
    items.findIndex((i) => i.type === 'breaches.found'),
    1,
  ); // lost with the scan that died
  await run(at('2026-11-10T15:31:00Z'));
  const dm = (user: string) =>
    fake
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === user && c.outcome === 'ok' && JSON.stringify(c.args.blocks).includes(id));
  expect(dm(HEAD_OPS)).toHaveLength(0);
  // The scan comes back once the grace is over and hands the request to the worker again.
  await runScan({ db, outbox }, at('2026-11-10T15:34:00Z'));
  await run(at('2026-11-10T15:34:00Z'));
  for (const head of [HEAD_OPS, HEAD_SALES]) expect(dm(head)).toHaveLength(1);
  await runScan({ db, outbox }, at('2026-11-10T15:45:00Z'));
  await run(at('2026-11-10T15:45:00Z'));
  for (const head of [HEAD_OPS, HEAD_SALES]) expect(dm(head)).toHaveLength(1);
});

it('an at-risk warning goes once to the assignee, or to the channel when nobody is assigned', async () => {
  const assigned = await file('2026-11-10T15:00:00Z');
  await act(db, {
    id: assigned,
    user: OPS_MEMBER,
    action: { type: 'assign', assignee: OPS_MEMBER },
    now: at('2026-11-10T15:01:00Z'),
  });
  const open = await file('2026-11-10T15:00:00Z');
  const { outbox, run } = recordingOutbox();
  await run();
  const scan = await runScan({ db, outbox }, at('2026-11-10T15:23:00Z')); // 23 of 30 minutes used: past 75 %
  expect(scan.warnings).toBe(2);
  expect((await runScan({ db, outbox }, at('2026-11-10T15:24:00Z'))).warnings).toBe(0);
  await run();
  const toAssignee = fake
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === OPS_MEMBER && c.outcome === 'ok');
  expect(toAssignee).toHaveLength(1);
  expect(String(toAssignee[0]!.args.text)).toContain(assigned);
  const broadcast = fake
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === 'C0OPSQUEUE' && c.args.reply_broadcast === true);
  expect(broadcast).toHaveLength(1);
  expect(String(broadcast[0]!.args.text)).toContain(open);
});
