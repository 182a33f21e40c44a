/**
 * The SQS worker: a poison message fails alone, and a redelivered item posts once, also after a
 * worker was killed between taking the item and posting it.
 */
import type { SQSEvent } from 'aws-lambda';
import { processWorkBatch } from '../../functions/jobs/work';
import { createSlackClient } from '../../functions/slack/web-client';
import type { Db } from '../../functions/store/client';
import { claimLease, WORKER_LEASE_MS } from '../../functions/store/deliveries';
import { dropTable, freshTable } from '../support/db';
import { FakeSlack } from '../support/fake-slack';
import { countingMetrics } from '../support/metrics';

let fake: FakeSlack;
let db: Db;
beforeAll(async () => {
  fake = await FakeSlack.start();
  db = await freshTable();
});
afterAll(async () => {
  await fake.stop();
  await dropTable(db);
});

const deps = () => ({
  db,
  admins: [],
  slack: createSlackClient(
    { SLACK_API_URL: fake.url, SLACK_BOT_TOKEN: 'xoxb-test-token' },
    { retryConfig: { retries: 0 } },
  ),
});
const record = (messageId: string, body: string) => ({ messageId, body }) as SQSEvent['Records'][number];
const post = (n: number) =>
  JSON.stringify({ type: 'slack.post', key: `k-${n}`, channel: 'C0QUEUE001', text: `message ${n}` });

it('reports only the poison message of a batch of ten', async () => {
  const records = Array.from({ length: 10 }, (_, i) => record(`m${i}`, i === 4 ? '{not json' : post(i)));
  const result = await processWorkBatch(deps(), { Records: records });
  expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm4' }]);
  expect(fake.callsTo('chat.postMessage').map((c) => c.args.text)).toEqual(
    [0, 1, 2, 3, 5, 6, 7, 8, 9].map((n) => `message ${n}`),
  );
});

it('does not post again when SQS redelivers the same items', async () => {
  fake.reset();
  const result = await processWorkBatch(deps(), { Records: [record('m1', post(1)), record('m2', post(2))] });
  expect(result.batchItemFailures).toEqual([]);
  expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
});

it('refuses an item of an unknown type', async () => {
  const result = await processWorkBatch(deps(), {
    Records: [record('x', JSON.stringify({ type: 'drop.table', key: 'k' }))],
  });
  expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'x' }]);
});

it('retries a failed post on redelivery and then posts exactly once', async () => {
  fake.reset();
  fake.failWith('chat.postMessage', 'channel_not_found');
  const first = await processWorkBatch(deps(), { Records: [record('r', post(42))] });
  expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'r' }]);
  const second = await processWorkBatch(deps(), { Records: [record('r', post(42))] });
  expect(second.batchItemFailures).toEqual([]);
  const third = await processWorkBatch(deps(), { Records: [record('r', post(42))] });
  expect(third.batchItemFailures).toEqual([]);
  expect(fake.callsTo('chat.postMessage')).toHaveLength(2);
});

describe('a worker killed between taking an item and posting it (its lease stays; no catch runs)', () => {
  // What the first worker left: the item's lease (`work:<key>`, functions/jobs/work.ts postOnce),
  // taken `msAgo` before now, never marked done nor given back.
  const leftBy = async (key: string, msAgo: number) =>
    expect(await claimLease(db, `work:${key}`, WORKER_LEASE_MS, new Date(Date.now() - msAgo))).toMatchObject({
      key: `work:${key}`,
    });

  it('a redelivery while that worker could still be running fails the item (SQS brings it back) and posts nothing', async () => {
    fake.reset();
    await leftBy('k-70', 1_000);
    const result = await processWorkBatch(deps(), { Records: [record('m70', post(70))] });
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm70' }]);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it("SQS's redelivery after the lease has run out posts exactly once", async () => {
    fake.reset();
    // SQS shows the message again after its visibility timeout (6x the worker's), long after the lease.
    await leftBy('k-71', WORKER_LEASE_MS + 1_000);
    const first = await processWorkBatch(deps(), { Records: [record('m71', post(71))] });
    const again = await processWorkBatch(deps(), { Records: [record('m71', post(71))] });
    expect([first.batchItemFailures, again.batchItemFailures]).toEqual([[], []]);
    expect(fake.callsTo('chat.postMessage').map((c) => c.args.text)).toEqual(['message 71']);
  });
});

it('counts each failed item for the alarms, not the ones that went well', async () => {
  const metrics = countingMetrics();
  const records = [record('ok', post(60)), record('bad', '{not json'), record('unknown', '{"type":"drop.table"}')];
  const result = await processWorkBatch({ ...deps(), metrics }, { Records: records });
  expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'bad' }, { itemIdentifier: 'unknown' }]);
  expect(metrics.counts).toEqual({ WorkItemFailed: 2 });
});
