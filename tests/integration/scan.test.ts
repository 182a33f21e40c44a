/**
 * The scan's safety net for requests: a change whose worker job was lost (the queue refused it
 * right after the write, a process died) is found in the sharded "next check at" index once the
 * grace has passed, handed to the worker again, and leaves the index once Slack has heard of it.
 * A request the scan cannot read is counted for the alarms and tried again by the next run.
 */

import { LogLevel } from '@slack/web-api';
import { describeScan, RESEND_AFTER_MS, runScan } from '../../functions/jobs/scan';
import { performWork } from '../../functions/jobs/work';
import { act, fileFromSlack } from '../../functions/services/requests';
import { createSlackClient } from '../../functions/slack/web-client';
import { ANNOUNCE_GRACE_MS, CHECK_SHARDS, dueChecks } from '../../functions/store/checks';
import type { Db } from '../../functions/store/client';
import { GetCommand } from '../../functions/store/commands';
import { getRequest, getRequestRecord } from '../../functions/store/requests';
import type { WorkItem } from '../../functions/work/item';
import type { Outbox } from '../../functions/work/outbox';
import { importExample } from '../support/company';
import { dropTable, freshTable } from '../support/db';
import { FakeSlack } from '../support/fake-slack';
import { throttleCallsMentioning } from '../support/faults';
import { countingMetrics } from '../support/metrics';

const REQUESTER = 'U0FINMEM1';
const IT_MEMBER = 'U0ITMEM01';
const T0 = new Date('2026-11-25T15:00:00Z'); // a Wednesday afternoon in New York

let fake: FakeSlack;
let db: Db;

beforeAll(async () => {
  fake = await FakeSlack.start();
  db = await freshTable();
  await importExample(db, T0);
});
afterAll(async () => {
  await fake.stop();
  await dropTable(db);
});

const later = (ms: number) => new Date(T0.getTime() + ms);

/** An outbox that keeps what it is given; `run()` does it, as the worker would. */
function recordingOutbox() {
  const items: WorkItem[] = [];
  const outbox: Outbox = { send: async (item) => void items.push(item), idle: async () => {} };
  const slack = createSlackClient(
    { SLACK_API_URL: fake.url, SLACK_BOT_TOKEN: 'xoxb-test' },
    { logLevel: LogLevel.ERROR },
  );
  return {
    outbox,
    items,
    run: async () => {
      for (const item of items.splice(0)) await performWork({ db, slack, admins: [] }, item);
    },
  };
}

let n = 0;
async function fileLost(): Promise<string> {
  const result = await fileFromSlack(db, {
    user: REQUESTER,
    agreementId: 'it-for-finance',
    priority: 'P2',
    title: `Lost job ${++n}`,
    description: '',
    delivery: `view:SCAN${n}`,
    now: T0,
  });
  if (result.outcome !== 'filed') throw new Error(result.outcome);
  return result.request.id; // the job to post its card is never sent
}

const cardsOf = (id: string) =>
  fake
    .callsTo('chat.postMessage')
    .filter(
      (c) => c.outcome === 'ok' && c.args.thread_ts === undefined && JSON.stringify(c.args.blocks).includes(`"${id}"`),
    );

it('a filed request whose job was lost gets its card from the scan, once, after the grace', async () => {
  const id = await fileLost();
  const { outbox, items, run } = recordingOutbox();

  expect((await runScan({ db, outbox }, later(ANNOUNCE_GRACE_MS - 1_000))).resent).toBe(0); // within the grace: the worker may still be on it
  const scan = await runScan({ db, outbox }, later(ANNOUNCE_GRACE_MS + 1_000));
  expect(scan.resent).toBeGreaterThanOrEqual(1);
  expect(items).toContainEqual({ type: 'request.changed', id });
  await run();
  expect(cardsOf(id)).toHaveLength(1);
  expect((await getRequestRecord(db, id))!.events.every((e) => e.announcedAt)).toBe(true);

  // Slack has heard of everything: the check moves on to the request's next deadline (its response
  // at-risk point, 90 working minutes after filing), and scans before then leave it alone.
  const soon = later(20 * 60_000);
  expect((await dueChecks(db, soon)).map((c) => c.id)).not.toContain(id);
  await runScan({ db, outbox }, soon);
  expect(items).not.toContainEqual({ type: 'request.changed', id });
  const stored = await db.doc.send(new GetCommand({ TableName: db.table, Key: { pk: `REQ#${id}`, sk: 'REQ' } }));
  expect(stored.Item?.gsi1sk).toBe(new Date(T0.getTime() + 90 * 60_000).toISOString());
});

it('a change after Slack was told puts the request back until the worker has told Slack again', async () => {
  const id = await fileLost();
  const { outbox, run } = recordingOutbox();
  await runScan({ db, outbox }, later(ANNOUNCE_GRACE_MS + 1_000));
  await run();
  const acknowledged = await act(db, { id, user: IT_MEMBER, action: { type: 'acknowledge' }, now: later(10 * 60_000) });
  expect(acknowledged.outcome).toBe('done');
  expect((await dueChecks(db, later(10 * 60_000 + ANNOUNCE_GRACE_MS + 1))).map((c) => c.id)).toContain(id);
  await runScan({ db, outbox }, later(10 * 60_000 + ANNOUNCE_GRACE_MS + 1));
  await run();
  expect((await dueChecks(db, later(20 * 60_000))).map((c) => c.id)).not.toContain(id);
});

it('a request handed over again is not handed over at every scan: the next try waits', async () => {
  const id = await fileLost();
  const { outbox, items } = recordingOutbox(); // the worker never runs: Slack stays unaware
  const first = later(ANNOUNCE_GRACE_MS + 1_000);
  await runScan({ db, outbox }, first);
  const count = () => items.filter((i) => i.type === 'request.changed' && i.id === id).length;
  expect(count()).toBe(1);
  await runScan({ db, outbox }, new Date(first.getTime() + 60_000));
  expect(count()).toBe(1);
  await runScan({ db, outbox }, new Date(first.getTime() + RESEND_AFTER_MS + 1));
  expect(count()).toBe(2);
});

it('the index is sharded: checks spread over every shard', async () => {
  const { outbox } = recordingOutbox();
  for (let i = 0; i < 12; i++) await fileLost();
  const checks = await dueChecks(db, later(ANNOUNCE_GRACE_MS + 1_000));
  expect(checks.length).toBeGreaterThanOrEqual(12);
  const used = new Set(
    await Promise.all(
      checks.map(
        async (c) =>
          (await db.doc.send(new GetCommand({ TableName: db.table, Key: { pk: `REQ#${c.id}`, sk: 'REQ' } }))).Item
            ?.gsi1pk,
      ),
    ),
  );
  expect(used.size).toBe(CHECK_SHARDS);
  expect((await runScan({ db, outbox }, later(ANNOUNCE_GRACE_MS + 1_000))).checked).toBe(checks.length);
});

it('a run that reaches its time budget leaves the rest due, and the next run finishes them', async () => {
  const id = await fileLost();
  const { outbox, items } = recordingOutbox();
  const when = later(ANNOUNCE_GRACE_MS + 1_000);
  const stopped = await runScan({ db, outbox }, when, 0); // out of time before the first request
  expect(stopped.checked).toBe(0);
  expect((await dueChecks(db, when)).map((c) => c.id)).toContain(id);
  const next = await runScan({ db, outbox }, when);
  expect(next.checked).toBeGreaterThanOrEqual(1);
  expect(items).toContainEqual({ type: 'request.changed', id });
});

it('a request DynamoDB keeps throttling is counted as failed and stays due; the next run hands it over; every finished run beats once', async () => {
  const id = await fileLost();
  const { outbox, items } = recordingOutbox();
  const metrics = countingMetrics();
  const when = later(ANNOUNCE_GRACE_MS + 1_000);
  const outage = throttleCallsMentioning(db, `REQ#${id}`);

  const during = await runScan({ db, outbox, metrics }, when);
  expect(outage.failed()).toBeGreaterThanOrEqual(1);
  expect(during.checked).toBeGreaterThanOrEqual(1);
  expect(metrics.counts).toEqual({ ScanRequestFailed: 1, ScanRunSucceeded: 1 });
  expect(items).not.toContainEqual({ type: 'request.changed', id });
  expect((await dueChecks(db, when)).map((c) => c.id)).toContain(id);

  outage.heal();
  await runScan({ db, outbox, metrics }, when);
  expect(metrics.counts).toEqual({ ScanRequestFailed: 1, ScanRunSucceeded: 2 });
  expect(items).toContainEqual({ type: 'request.changed', id });
});

it('a run that cannot read the due checks fails and writes no heartbeat, which is what the scan-lag alarm waits for', async () => {
  const metrics = countingMetrics();
  const outage = throttleCallsMentioning(db, 'gsi1');
  try {
    await expect(runScan({ db, metrics }, later(ANNOUNCE_GRACE_MS + 1_000))).rejects.toThrow(/throughput/);
  } finally {
    outage.heal();
  }
  expect(metrics.counts).toEqual({});
  await runScan({ db, metrics }, later(ANNOUNCE_GRACE_MS + 1_000));
  expect(metrics.counts).toEqual({ ScanRunSucceeded: 1 });
});

it('a resolved request nobody confirms closes itself when its 7-day reopen window ends: once, at that instant, in the thread, without a DM', async () => {
  const DAY = 24 * 3_600_000;
  const id = await fileLost();
  const { outbox, run } = recordingOutbox();
  const resolvedAt = later(60 * 60_000);
  expect(
    (await act(db, { id, user: IT_MEMBER, action: { type: 'resolve', note: 'Replaced the charger' }, now: resolvedAt }))
      .outcome,
  ).toBe('done');
  await runScan({ db, outbox }, new Date(resolvedAt.getTime() + ANNOUNCE_GRACE_MS + 1_000));
  await run(); // the card, its thread and the requester's "resolved" DM
  const cardTs = (await getRequestRecord(db, id))!.card!.ts;
  fake.reset();

  expect((await runScan({ db, outbox }, new Date(resolvedAt.getTime() + 6 * DAY))).closed).toBe(0);
  expect((await getRequest(db, id))!.status).toBe('resolved');

  // The scheduler was down for a day: the next run closes it, dated the end of the window.
  const scan = await runScan({ db, outbox }, new Date(resolvedAt.getTime() + 8 * DAY));
  expect(scan.closed).toBe(1);
  expect(describeScan(scan)).toContain('1 resolved request closed after 7 days');
  const closed = (await getRequestRecord(db, id))!;
  expect(closed.request).toMatchObject({ status: 'closed', closedAt: resolvedAt.getTime() + 7 * DAY });
  expect(closed.events.at(-1)).toMatchObject({ type: 'close', actor: 'kept', from: 'resolved', to: 'closed' });
  expect((await runScan({ db, outbox }, new Date(resolvedAt.getTime() + 9 * DAY))).closed).toBe(0);

  await run(); // (the other requests of this file breach meanwhile; only this one's posts matter here)
  const posts = fake
    .callsTo('chat.postMessage')
    .filter((c) => c.outcome === 'ok' && `${String(c.args.text)}${JSON.stringify(c.args.blocks ?? '')}`.includes(id));
  expect(posts.map((c) => [Number(c.args.thread_ts) === Number(cardTs), String(c.args.text)])).toEqual([
    [true, expect.stringMatching(new RegExp(`^:lock: ${id} closed itself: resolved 7 days ago and not reopened`))],
  ]);
  const card = fake
    .callsTo('chat.update')
    .filter((c) => c.outcome === 'ok' && Number(c.args.ts) === Number(cardTs))
    .at(-1);
  expect(JSON.stringify(card?.args.blocks)).toContain(':lock: Closed');
  const reopen = await act(db, {
    id,
    user: REQUESTER,
    action: { type: 'reopen' },
    now: new Date(resolvedAt.getTime() + 9 * DAY),
  });
  expect(reopen).toMatchObject({
    outcome: 'refused',
    message: `${id} is closed; file a new request if something is still wrong.`,
  });
});
