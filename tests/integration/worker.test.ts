/**
 * The SQS worker with the production worker client (no library retries, rate limits handed back):
 * a poison message fails alone, a redelivered item posts once, a 429 sends the item back on the
 * queue hidden for Retry-After instead of sleeping, and a worker short of time hands back the
 * records it did not reach, and a worker killed between taking an item and posting it leaves it
 * to SQS's redelivery, which posts once. The queue is tests/support/fake-queue.ts on the test clock.
 */
import { LogLevel } from '@slack/web-api';
import type { SQSEvent } from 'aws-lambda';
import { inProcessWorker } from '../../functions/jobs/in-process-outbox';
import { processWorkBatch, WORKER_ITEM_MARGIN_MS } from '../../functions/jobs/work';
import { fileFromSlack } from '../../functions/services/requests';
import { workerSlackClient } from '../../functions/slack/web-client';
import type { Db } from '../../functions/store/client';
import { claimLease, isDelivered, WORKER_LEASE_MS } from '../../functions/store/deliveries';
import { getRequestRecord } from '../../functions/store/requests';
import type { WorkItem } from '../../functions/work/item';
import { WORKER_TIMEOUT_SECONDS } from '../../functions/work/worker-settings';
import { importExample } from '../support/company';
import { dropTable, freshTable } from '../support/db';
import { eventually } from '../support/eventually';
import { FakeQueue } from '../support/fake-queue';
import { FakeSlack } from '../support/fake-slack';
import { countingMetrics } from '../support/metrics';
import { testClock } from '../support/test-clock';

const IT_CHANNEL = 'C0ITQUEUE';
const REQUESTER = 'U0FINMEM1';

let fake: FakeSlack;
let db: Db;
beforeAll(async () => {
  fake = await FakeSlack.start();
  db = await freshTable();
  await importExample(db);
});
afterAll(async () => {
  await fake.stop();
  await dropTable(db);
});

const clock = testClock();
const slack = () =>
  workerSlackClient({ SLACK_API_URL: fake.url, SLACK_BOT_TOKEN: 'xoxb-test-token' }, { logLevel: LogLevel.ERROR });
const deps = (queue = new FakeQueue(clock.ms)) => ({ db, admins: [], slack: slack(), now: clock.now, outbox: queue });
const record = (messageId: string, body: string) => ({ messageId, body }) as SQSEvent['Records'][number];
const postItem = (key: string, text: string): WorkItem => ({ type: 'slack.post', key, channel: 'C0QUEUE001', text });
const post = (n: number) => JSON.stringify(postItem(`k-${n}`, `message ${n}`));
/** A whole Lambda's time, whatever the machine's clock does. */
const plentyOfTime = () => WORKER_TIMEOUT_SECONDS * 1000;
/** Texts Slack took (answered ok), in order. */
const postedTexts = () =>
  fake
    .callsTo('chat.postMessage')
    .filter((c) => c.outcome === 'ok')
    .map((c) => String(c.args.text));

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

it('tries a post Slack fails (500) once in the worker: the queue is the only retry, and the redelivery posts it once', async () => {
  fake.reset();
  fake.httpError('chat.postMessage', 500, 1);
  const first = await processWorkBatch(deps(), { Records: [record('t', post(77))] });
  expect(first.batchItemFailures).toEqual([{ itemIdentifier: 't' }]);
  expect(fake.callsTo('chat.postMessage').map((c) => c.outcome)).toEqual(['http_error']);
  const again = await processWorkBatch(deps(), { Records: [record('t', post(77))] });
  expect(again.batchItemFailures).toEqual([]);
  expect(postedTexts()).toEqual(['message 77']);
});

describe('Slack rate-limits the worker', () => {
  beforeEach(() => fake.reset());

  it('a 429 (Retry-After 30) on the first of ten: the other nine are posted at once, the first goes back hidden for 30 s and is posted once after it', async () => {
    const queue = new FakeQueue(clock.ms);
    for (let n = 0; n < 10; n++) await queue.send(postItem(`batch-${n}`, `batch ${n}`));
    queue.sent.length = 0;
    fake.rateLimit('chat.postMessage', 30, 1);

    const batch = queue.receive();
    expect(batch.Records).toHaveLength(10);
    const result = await processWorkBatch(deps(queue), batch, plentyOfTime);
    queue.settle(batch, result);

    // Nothing waited: the limited item is done here (its successor is queued), the rest posted.
    expect(result.batchItemFailures).toEqual([]);
    expect(fake.callsTo('chat.postMessage').map((c) => c.outcome)).toEqual(['rate_limited', ...Array(9).fill('ok')]);
    expect(postedTexts()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `batch ${n}`));
    expect(queue.sent).toEqual([{ item: postItem('batch-0', 'batch 0'), delaySeconds: 30 }]);
    expect(queue.messages.map((m) => m.receiveCount)).toEqual([0]); // a fresh message: no receive burnt

    clock.advance(29_000);
    expect(queue.receive().Records).toEqual([]); // still hidden
    clock.advance(1_000);
    const later = queue.receive();
    expect(later.Records).toHaveLength(1);
    const again = await processWorkBatch(deps(queue), later, plentyOfTime);
    queue.settle(later, again);
    expect(again.batchItemFailures).toEqual([]);
    expect(queue.messages).toEqual([]);
    expect(postedTexts().sort()).toEqual(Array.from({ length: 10 }, (_, n) => `batch ${n}`).sort());
  });

  it('when the item cannot be queued again it is reported as a failure, so SQS brings it back; posted once then', async () => {
    const queue = new FakeQueue(clock.ms);
    queue.refuseSends = 1;
    fake.rateLimit('chat.postMessage', 30, 1);
    const result = await processWorkBatch(deps(queue), { Records: [record('q', post(500))] }, plentyOfTime);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'q' }]);
    expect(queue.sent).toEqual([]);
    expect(await isDelivered(db, 'work:k-500')).toBe(false); // the claim was given back

    const redelivered = await processWorkBatch(deps(queue), { Records: [record('q', post(500))] }, plentyOfTime);
    expect(redelivered.batchItemFailures).toEqual([]);
    expect(postedTexts()).toEqual(['message 500']);
  });

  it('a new request whose card was posted when the 429 hit: the item sent again sends the DM, and the card stays one', async () => {
    const filed = await fileFromSlack(db, {
      user: REQUESTER,
      agreementId: 'it-for-finance',
      priority: 'P2',
      title: 'Printer jams on every page',
      description: '',
      delivery: 'view:worker-429',
      now: clock.now(),
    });
    if (filed.outcome !== 'filed') throw new Error(JSON.stringify(filed));
    const id = filed.request.id;
    const queue = new FakeQueue(clock.ms);
    await queue.send({ type: 'request.changed', id });
    queue.sent.length = 0;
    fake.rateLimit('chat.postMessage', 12, 1, 1); // the card goes through, the requester's DM is limited

    const first = queue.receive();
    queue.settle(first, await processWorkBatch(deps(queue), first, plentyOfTime));
    expect(queue.sent.map((s) => s.delaySeconds)).toEqual([12]);
    expect((await getRequestRecord(db, id))?.card).toBeDefined();
    expect(fake.callsTo('chat.postMessage').map((c) => [c.args.channel, c.outcome])).toEqual([
      [IT_CHANNEL, 'ok'],
      [REQUESTER, 'rate_limited'],
    ]);

    clock.advance(12_000);
    const second = queue.receive();
    expect(second.Records).toHaveLength(1);
    queue.settle(second, await processWorkBatch(deps(queue), second, plentyOfTime));
    expect(queue.messages).toEqual([]);
    const ok = fake.callsTo('chat.postMessage').filter((c) => c.outcome === 'ok');
    expect(ok.filter((c) => c.args.channel === IT_CHANNEL)).toHaveLength(1); // one card
    expect(ok.filter((c) => c.args.channel === REQUESTER)).toHaveLength(1); // one confirmation
    expect(fake.callsTo('chat.update').map((c) => c.outcome)).toEqual(['ok']); // the card brought up to date
    expect((await getRequestRecord(db, id))?.events.every((e) => e.announcedAt !== undefined)).toBe(true);
  });

  it('in this process (npm start, the CLI): the item waits out Retry-After on its timer and is posted once', async () => {
    const outbox = inProcessWorker({ db, admins: [], slack: slack(), now: clock.now }, [1, 1, 1], clock.after);
    fake.rateLimit('chat.postMessage', 30, 1);
    await outbox.send(postItem('in-process-1', 'in process'));
    await eventually(() => expect(clock.timers()).toEqual([30_000]));
    expect(postedTexts()).toEqual([]);
    clock.advance(30_000);
    await outbox.idle();
    expect(fake.callsTo('chat.postMessage').map((c) => c.outcome)).toEqual(['rate_limited', 'ok']);
    expect(postedTexts()).toEqual(['in process']);
  });
});

describe('the time budget', () => {
  beforeEach(() => fake.reset());

  it('with little time left, the records not reached come back as batch item failures untouched, and are done on redelivery', async () => {
    const queue = new FakeQueue(clock.ms);
    for (let n = 0; n < 10; n++) await queue.send(postItem(`budget-${n}`, `budget ${n}`));
    // Each post takes 15 s of the invocation: after three, less than the margin is left.
    const timeLeft = () => plentyOfTime() - 15_000 * fake.callsTo('chat.postMessage').length;
    expect(plentyOfTime() - 3 * 15_000).toBeLessThan(WORKER_ITEM_MARGIN_MS);

    const batch = queue.receive();
    const result = await processWorkBatch(deps(queue), batch, timeLeft);
    queue.settle(batch, result);
    expect(result.batchItemFailures).toEqual(batch.Records.slice(3).map((r) => ({ itemIdentifier: r.messageId })));
    expect(postedTexts()).toEqual(['budget 0', 'budget 1', 'budget 2']);
    for (let n = 3; n < 10; n++) expect(await isDelivered(db, `work:budget-${n}`)).toBe(false); // untouched

    clock.advance(queue.nextVisibleAt()! - clock.ms()); // the visibility timeout
    const redelivered = queue.receive();
    expect(redelivered.Records.map((r) => JSON.parse(r.body).key)).toEqual(
      [3, 4, 5, 6, 7, 8, 9].map((n) => `budget-${n}`),
    );
    const again = await processWorkBatch(deps(queue), redelivered, plentyOfTime);
    queue.settle(redelivered, again);
    expect(again.batchItemFailures).toEqual([]);
    expect(queue.messages).toEqual([]);
    expect(postedTexts()).toEqual(Array.from({ length: 10 }, (_, n) => `budget ${n}`));
  });

  it('less than the margin from the start: nothing is touched and every record comes back', async () => {
    const records = [record('a', post(900)), record('b', post(901))];
    const result = await processWorkBatch(deps(), { Records: records }, () => WORKER_ITEM_MARGIN_MS - 1);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'a' }, { itemIdentifier: 'b' }]);
    expect(fake.calls).toEqual([]);
  });
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
