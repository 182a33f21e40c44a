/**
 * The worker's side of requests (functions/slack/notify-requests.ts `announceRequest`) on DynamoDB
 * Local against the fake Slack: the card in the provider's channel, its thread, the requester's
 * DMs, the per-request lease lock, retries after Slack failures, the SQS batch and the in-process
 * outbox. The directory is examples/company.yaml; requests are filed and changed with the same
 * code the Slack listeners use (fileFromSlack, act), so the stored data is what the app writes.
 * Assertions are on what a person would see in Slack (the calls the fake answered `ok`).
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode, LogLevel, type WebClient } from '@slack/web-api';
import type { SQSEvent } from 'aws-lambda';
import type { RequestAction } from '../../functions/domain/request';
import { inProcessOutbox } from '../../functions/jobs/in-process-outbox';
import { runScan } from '../../functions/jobs/scan';
import { performWork, processWorkBatch } from '../../functions/jobs/work';
import { act, fileFromSlack } from '../../functions/services/requests';
import { announceRequest, RequestBusyError } from '../../functions/slack/notify-requests';
import { createSlackClient, SLACK_CALL_RETRIES } from '../../functions/slack/web-client';
import { ANNOUNCE_GRACE_MS } from '../../functions/store/checks';
import type { Db } from '../../functions/store/client';
import { LOCK_SK, requestPk } from '../../functions/store/request-keys';
import { releaseLock, takeLock } from '../../functions/store/request-slack';
import { getRequestRecord } from '../../functions/store/requests';
import type { WorkItem } from '../../functions/work/item';
import { importExample } from '../support/company';
import { allItems, dropTable, freshTable } from '../support/db';
import { FakeQueue } from '../support/fake-queue';
import { FakeSlack, type RecordedCall } from '../support/fake-slack';
import { step } from '../support/step';
import { testClock } from '../support/test-clock';

const IT_CHANNEL = 'C0ITQUEUE';
const IT_MEMBER = 'U0ITMEM01';
const REQUESTER = 'U0FINMEM1'; // Finance, covered by it-for-finance

let fake: FakeSlack;
let db: Db;
/** Filing, changes and syncs happen on a Tuesday inside IT's working hours, whatever today is. */
const clock = testClock();

beforeAll(async () => {
  fake = await FakeSlack.start();
  db = await freshTable();
  await importExample(db);
});
afterAll(async () => {
  await fake.stop();
  await dropTable(db);
});
beforeEach(() => fake.reset());

const slack = (): WebClient =>
  createSlackClient({ SLACK_API_URL: fake.url, SLACK_BOT_TOKEN: 'xoxb-test' }, { logLevel: LogLevel.ERROR });
const deps = () => ({ db, slack: slack(), now: clock.now });

// ---------------------------------------------------------------------------------------------
// Filing and changing requests as the Slack listeners do

let filed = 0;
async function fileOne(title = `Laptop will not boot (${++filed})`): Promise<string> {
  const result = await fileFromSlack(db, {
    user: REQUESTER,
    agreementId: 'it-for-finance',
    priority: 'P2',
    title,
    description: 'Black screen since this morning',
    delivery: `view:${randomUUID()}`,
    now: clock.now(),
  });
  if (result.outcome !== 'filed') throw new Error(`not filed: ${JSON.stringify(result)}`);
  return result.request.id;
}

async function change(id: string, action: RequestAction, user = IT_MEMBER): Promise<void> {
  const result = await act(db, { id, user, action, now: clock.now() });
  if (result.outcome !== 'done') throw new Error(`${action.type} on ${id} not done: ${JSON.stringify(result)}`);
}

// ---------------------------------------------------------------------------------------------
// What Slack shows

/**
 * The fake decodes numeric-looking form values, so a ts sent back to it (`thread_ts`) arrives as a
 * number and `String()` drops trailing zeros ("….000010" -> "….00001"); compare as numbers (two
 * different ts values never map to the same double at this magnitude).
 */
const sameTs = (a: unknown, b: string) => a !== undefined && Number(a) === Number(b);
const shown = (c: RecordedCall) => `${String(c.args.text ?? '')}\n${JSON.stringify(c.args.blocks ?? [])}`;
const posts = (): RecordedCall[] => fake.callsTo('chat.postMessage').filter((c) => c.outcome === 'ok');
const cardsOf = (id: string) =>
  posts().filter(
    (c) =>
      c.args.channel === IT_CHANNEL &&
      c.args.thread_ts === undefined &&
      JSON.stringify(c.args.blocks).includes(`"${id}"`),
  );
const threadOf = (ts: string) =>
  posts()
    .filter((c) => sameTs(c.args.thread_ts, ts))
    .map((c) => String(c.args.text));
const dmsTo = (user: string) => posts().filter((c) => c.args.channel === user);
const updatesOf = (ts: string) =>
  fake.callsTo('chat.update').filter((c) => c.outcome === 'ok' && sameTs(c.args.ts, ts));
const permalinkOf = (ts: string) => `https://kept-test.slack.com/archives/${IT_CHANNEL}/p${ts.replace('.', '')}`;

async function record(id: string) {
  const r = await getRequestRecord(db, id);
  if (!r) throw new Error(`no ${id}`);
  return r;
}
async function cardTs(id: string): Promise<string> {
  const r = await record(id);
  if (!r.card) throw new Error(`${id} has no card remembered`);
  return r.card.ts;
}
async function lockOf(id: string) {
  return (await allItems(db)).find((i) => i.pk === requestPk(id) && i.sk === LOCK_SK);
}

// ---------------------------------------------------------------------------------------------

describe('a request through its first changes', () => {
  it('each sync tells Slack only what is new since the last', async () => {
    let id: string;
    let ts: string;
    await step(
      "first sync: one card in IT's channel, one DM to the requester with the ID and the card link; the card is remembered and the filing marked told",
      async () => {
        id = await fileOne('Laptop will not boot');
        await announceRequest(deps(), id);

        const cards = posts().filter((c) => c.args.channel === IT_CHANNEL && c.args.thread_ts === undefined);
        expect(cards).toHaveLength(1);
        expect(shown(cards[0]!)).toContain('Laptop will not boot');
        expect(cardsOf(id)).toHaveLength(1);

        const r = await record(id);
        expect(r.card).toEqual({ channel: IT_CHANNEL, ts: expect.any(String) });
        ts = r.card!.ts;
        expect(String(fake.callsTo('chat.postMessage')[0]!.args.channel)).toBe(IT_CHANNEL);

        const dms = dmsTo(REQUESTER);
        expect(dms).toHaveLength(1);
        expect(shown(dms[0]!)).toContain(id);
        expect(shown(dms[0]!)).toContain(permalinkOf(ts));
        expect(threadOf(ts)).toEqual([]); // the filing is told by the card and the DM, not a thread line
        expect(posts()).toHaveLength(2);

        expect(r.events).toHaveLength(1);
        expect(r.events[0]).toMatchObject({ type: 'filed', announcedAt: expect.any(String) });
        expect(await lockOf(id)).toBeUndefined();
      },
    );

    fake.reset();
    await step('sync again with nothing new: no new message anywhere, the card is updated once', async () => {
      await announceRequest(deps(), id);
      expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
      expect(fake.callsTo('chat.update')).toHaveLength(1);
      expect(updatesOf(ts)).toHaveLength(1);
      expect(updatesOf(ts)[0]!.args.channel).toBe(IT_CHANNEL);
    });

    fake.reset();
    await step(
      'acknowledge then pause, one sync: two thread replies in order, a DM for each, the card updated once',
      async () => {
        await change(id, { type: 'acknowledge' });
        await change(id, { type: 'pause', note: 'Which laptop model is it?' });
        await announceRequest(deps(), id);

        const thread = threadOf(ts);
        expect(thread).toHaveLength(2);
        expect(thread[0]).toMatch(/acknowledged/);
        expect(thread[1]).toMatch(/waiting on the requester/);
        expect(thread[1]).toContain('Which laptop model is it?');

        const dms = dmsTo(REQUESTER).map(shown);
        expect(dms).toHaveLength(2);
        expect(dms[0]).toMatch(/acknowledged it/);
        expect(dms[1]).toMatch(/needs your input/);
        expect(dms[1]).toContain('Which laptop model is it?');

        // Each thread line comes before its DM, acknowledge before pause.
        expect(
          posts().map((c) => (c.args.channel === REQUESTER ? 'dm' : sameTs(c.args.thread_ts, ts) ? 'thread' : 'other')),
        ).toEqual(['thread', 'dm', 'thread', 'dm']);
        expect(cardsOf(id)).toHaveLength(0);
        expect(updatesOf(ts)).toHaveLength(1);
        expect(JSON.stringify(updatesOf(ts)[0]!.args.blocks)).toContain('Waiting on requester');
        expect((await record(id)).events.every((e) => e.announcedAt !== undefined)).toBe(true);
      },
    );
  });
});

describe('one worker per request', () => {
  it('two syncs at once: one card; the other is told another worker is busy; the lock is gone afterwards', async () => {
    const id = await fileOne();
    const results = await Promise.allSettled([announceRequest(deps(), id), announceRequest(deps(), id)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(RequestBusyError);
    expect(cardsOf(id)).toHaveLength(1);
    expect(dmsTo(REQUESTER)).toHaveLength(1);
    expect(await lockOf(id)).toBeUndefined();
    expect((await allItems(db)).filter((i) => i.sk === LOCK_SK)).toEqual([]);
  });

  it('takes over a lock left by a crashed worker and posts the card', async () => {
    const id = await fileOne();
    const longAgo = new Date(clock.ms() - 10 * 60_000);
    expect(await takeLock(db, id, 'crashed-worker', longAgo, 60_000)).toBe(true);
    expect(Number((await lockOf(id))?.until)).toBeLessThan(clock.ms());

    await announceRequest(deps(), id);
    expect(cardsOf(id)).toHaveLength(1);
    expect(dmsTo(REQUESTER)).toHaveLength(1);
    expect((await record(id)).card).toBeDefined();
    expect(await lockOf(id)).toBeUndefined();
  });

  it('a lock held by a live worker: busy, and nothing is posted or remembered', async () => {
    const id = await fileOne();
    expect(await takeLock(db, id, 'live-worker', clock.now(), 10 * 60_000)).toBe(true);
    try {
      await expect(announceRequest(deps(), id)).rejects.toBeInstanceOf(RequestBusyError);
      expect(fake.calls).toEqual([]);
      const r = await record(id);
      expect(r.card).toBeUndefined();
      expect(r.events[0]!.announcedAt).toBeUndefined();
      expect((await lockOf(id))?.owner).toBe('live-worker'); // the busy sync did not remove someone else's lock
    } finally {
      await releaseLock(db, id, 'live-worker');
    }
    // Once the live worker is done, the job's retry goes through.
    await announceRequest(deps(), id);
    expect(cardsOf(id)).toHaveLength(1);
  });
});

describe('Slack failing', () => {
  it("card post rate-limited past the client's retries: the sync throws, nothing is remembered; the next sync posts the card once", async () => {
    const id = await fileOne();
    fake.rateLimit('chat.postMessage', 0, SLACK_CALL_RETRIES + 1);
    await expect(announceRequest(deps(), id)).rejects.toThrow(/rate limit/i);
    expect(fake.callsTo('chat.postMessage').map((c) => c.outcome)).toEqual(
      Array(SLACK_CALL_RETRIES + 1).fill('rate_limited'),
    );
    let r = await record(id);
    expect(r.card).toBeUndefined();
    expect(r.events[0]!.announcedAt).toBeUndefined();
    expect(await lockOf(id)).toBeUndefined(); // released on the way out, so the retry is not busy

    await announceRequest(deps(), id);
    expect(cardsOf(id)).toHaveLength(1);
    expect(dmsTo(REQUESTER)).toHaveLength(1);
    r = await record(id);
    expect(r.card).toBeDefined();
    expect(r.events[0]!.announcedAt).toBeDefined();
  });

  it('a thread reply that fails is posted on the retry, with its DM, each exactly once', async () => {
    const id = await fileOne();
    await announceRequest(deps(), id);
    const ts = await cardTs(id);
    await change(id, { type: 'acknowledge' });
    fake.reset();

    fake.failWith('chat.postMessage', 'internal_error');
    await expect(announceRequest(deps(), id)).rejects.toThrow(/internal_error/);
    expect(threadOf(ts)).toEqual([]);
    expect(dmsTo(REQUESTER)).toEqual([]);
    expect((await record(id)).events.find((e) => e.type === 'acknowledge')?.announcedAt).toBeUndefined();

    await announceRequest(deps(), id);
    expect(threadOf(ts)).toHaveLength(1);
    expect(threadOf(ts)[0]).toMatch(/acknowledged/);
    expect(dmsTo(REQUESTER)).toHaveLength(1);
    expect(cardsOf(id)).toHaveLength(0);
    expect((await record(id)).events.every((e) => e.announcedAt !== undefined)).toBe(true);
  });

  it('a DM Slack refuses outright (cannot_dm_bot) is skipped: the thread line stays once and the sync completes', async () => {
    const id = await fileOne();
    await announceRequest(deps(), id);
    const ts = await cardTs(id);
    await change(id, { type: 'acknowledge' });
    fake.reset();

    // Let the thread reply through and fail the next post (the requester's DM): the fake checks
    // its behaviours in the same turn it records a call, and this runs right after that turn,
    // long before the worker can send the DM.
    const threadReplyRecorded = fake
      .waitFor('chat.postMessage', 1)
      .then(() => fake.failWith('chat.postMessage', 'cannot_dm_bot'));
    await announceRequest(deps(), id);
    await threadReplyRecorded;
    expect(
      fake.callsTo('chat.postMessage').map((c) => [c.args.channel === REQUESTER ? 'dm' : 'thread', c.outcome]),
    ).toEqual([
      ['thread', 'ok'],
      ['dm', 'error'],
    ]);
    expect(threadOf(ts)).toHaveLength(1);
    expect((await record(id)).events.every((e) => e.announcedAt !== undefined)).toBe(true);
  });

  it('a DM that fails for a while (rate limited) is tried again without repeating its thread line', async () => {
    const id = await fileOne();
    await announceRequest(deps(), id);
    const ts = await cardTs(id);
    await change(id, { type: 'acknowledge' });
    fake.reset();

    const threadReplyRecorded = fake
      .waitFor('chat.postMessage', 1)
      .then(() => fake.rateLimit('chat.postMessage', 0, SLACK_CALL_RETRIES + 1));
    await expect(announceRequest(deps(), id)).rejects.toThrow();
    await threadReplyRecorded;
    expect((await record(id)).events.find((e) => e.type === 'acknowledge')?.announcedAt).toBeUndefined();

    await announceRequest(deps(), id);
    const thread = threadOf(ts);
    expect(thread).toHaveLength(1);
    expect(thread[0]).toMatch(/acknowledged/);
    expect(dmsTo(REQUESTER)).toHaveLength(1);
    expect(cardsOf(id)).toHaveLength(0);
    expect((await record(id)).events.every((e) => e.announcedAt !== undefined)).toBe(true);
  });

  it('a requester who cannot be DMed at all: every line still reaches the thread once, and the job ends', async () => {
    const id = await fileOne();
    await announceRequest(deps(), id);
    const ts = await cardTs(id);
    await change(id, { type: 'acknowledge' });
    await change(id, { type: 'resolve', note: 'Replaced the battery' });
    fake.reset();

    // Slack refuses every DM to this person (say, a deactivated account); the fake cannot fail
    // one channel only, so the worker's client refuses those posts itself, as the Web API client does.
    const client = slack();
    const post = client.chat.postMessage.bind(client.chat);
    client.chat.postMessage = (async (args: Parameters<typeof post>[0]) => {
      if (args.channel === REQUESTER)
        throw Object.assign(new Error('An API error occurred: user_not_found'), { code: ErrorCode.PlatformError });
      return post(args);
    }) as typeof client.chat.postMessage;

    await announceRequest({ db, slack: client }, id);
    const thread = threadOf(ts);
    expect(thread).toHaveLength(2);
    expect(thread[0]).toMatch(/acknowledged/);
    expect(thread[1]).toMatch(/resolved/);
    expect((await record(id)).events.every((e) => e.announcedAt !== undefined)).toBe(true);
  });
});

describe('a provider channel Kept cannot post in', () => {
  const IT_HEAD = 'U0ITHEAD1';
  let sent: WorkItem[] = [];
  beforeEach(() => (sent = []));
  const checkOf = async (id: string) =>
    (await allItems(db)).find((i) => i.pk === requestPk(id) && i.sk === 'REQ')?.gsi1sk as string | undefined;

  it("a private channel Kept was not invited to: no card and no failed job; the requester is told, IT's head gets the card by DM; once Kept is in, the next sync posts the card and no DM repeats", async () => {
    const id = await fileOne('Screen flickers');
    fake.failWith('chat.postMessage', 'channel_not_found'); // the first post is the card
    await announceRequest(deps(), id);

    expect(cardsOf(id)).toHaveLength(0);
    const [confirmation, ...moreToRequester] = dmsTo(REQUESTER);
    expect(moreToRequester).toEqual([]);
    expect(shown(confirmation!)).toContain(
      `Kept cannot post the card in <#${IT_CHANNEL}> yet; IT's heads have it by DM.`,
    );
    const [notice, ...moreToHead] = dmsTo(IT_HEAD);
    expect(moreToHead).toEqual([]);
    expect(shown(notice!)).toContain(`*${id}* was filed with IT, but Kept cannot post its card in <#${IT_CHANNEL}>`);
    expect(shown(notice!)).toContain('/invite @Kept');
    expect(shown(notice!)).toContain('Screen flickers');
    expect((notice!.args.blocks as { type: string }[]).some((b) => b.type === 'actions')).toBe(false); // the buttons live on the real card only
    const r = await record(id);
    expect(r.card).toBeUndefined();
    // Told (by DM): the scan has nothing to send again, and the check moved on to the request's next
    // deadline instead of the 2-minute Slack grace, so a refused channel is not tried every few minutes.
    expect(r.events[0]!.announcedAt).toBeDefined();
    expect(Date.parse((await checkOf(id))!)).toBeGreaterThan(clock.ms() + ANNOUNCE_GRACE_MS);
    await runScan(
      { db, outbox: { send: async (item) => void sent.push(item), idle: async () => {} } },
      new Date(clock.ms() + ANNOUNCE_GRACE_MS + 60_000),
    );
    expect(sent.filter((item) => 'id' in item && item.id === id)).toEqual([]);

    // Someone invites Kept; the next change brings the card, and its thread starts with that change.
    await change(id, { type: 'acknowledge' });
    await announceRequest(deps(), id);
    expect(cardsOf(id)).toHaveLength(1);
    expect(threadOf(await cardTs(id))).toEqual([expect.stringMatching(/acknowledged/)]);
    expect(dmsTo(REQUESTER)).toHaveLength(2); // the confirmation, then the acknowledgement
    expect(dmsTo(IT_HEAD)).toHaveLength(1);
    expect((await record(id)).events.every((e) => e.announcedAt !== undefined)).toBe(true);
  });

  it('Kept removed from the channel after the card: the change still reaches the requester by DM; once Kept is back the card is brought up to date and the thread goes on', async () => {
    const id = await fileOne();
    await announceRequest(deps(), id);
    const ts = await cardTs(id);
    await change(id, { type: 'acknowledge' });
    fake.reset();

    fake.failWith('chat.update', 'not_in_channel');
    await announceRequest(deps(), id);
    expect(threadOf(ts)).toEqual([]);
    expect(dmsTo(REQUESTER)).toHaveLength(1);
    expect((await record(id)).events.every((e) => e.announcedAt !== undefined)).toBe(true);

    // Kept is back; the next change updates the card and goes on in its thread, with no DM repeated.
    await change(id, { type: 'pause', note: 'Which floor are you on?' });
    await announceRequest(deps(), id);
    expect(updatesOf(ts).filter((c) => c.outcome === 'ok')).toHaveLength(1);
    expect(threadOf(ts)).toEqual([expect.stringMatching(/waiting on the requester/)]);
    expect(dmsTo(REQUESTER)).toHaveLength(2); // acknowledged, then "needs your input"
    expect((await record(id)).events.every((e) => e.announcedAt !== undefined)).toBe(true);
  });
});

describe('the SQS worker', () => {
  const body = (id: string) => JSON.stringify({ type: 'request.changed', id } satisfies WorkItem);
  const sqs = (...records: Array<[messageId: string, body: string]>): SQSEvent => ({
    Records: records.map(([messageId, b]) => ({ messageId, body: b })) as SQSEvent['Records'],
  });

  it('two records for the same request in one batch run one after the other: both succeed, one card', async () => {
    const id = await fileOne();
    const result = await processWorkBatch(
      { ...deps(), admins: [], outbox: new FakeQueue(clock.ms) },
      sqs(['m1', body(id)], ['m2', body(id)]),
    );
    expect(result.batchItemFailures).toEqual([]);
    expect(cardsOf(id)).toHaveLength(1);
    expect(dmsTo(REQUESTER)).toHaveLength(1);
    const ts = await cardTs(id);
    expect(updatesOf(ts)).toHaveLength(1); // the second record updates the card it finds
    expect(await lockOf(id)).toBeUndefined();
  });

  it('a record for a request that does not exist does nothing, fails nothing and leaves no lock', async () => {
    const result = await processWorkBatch(
      { ...deps(), admins: [], outbox: new FakeQueue(clock.ms) },
      sqs(['ghost', body('IT-999999')]),
    );
    expect(result.batchItemFailures).toEqual([]);
    expect(fake.calls).toEqual([]);
    expect((await allItems(db)).filter((i) => i.pk === requestPk('IT-999999'))).toEqual([]);
  });

  it('a busy request is reported in batchItemFailures so SQS tries it again', async () => {
    const id = await fileOne();
    // The SQS worker's lease is on the machine's clock (a lock, not a working-hours deadline).
    expect(await takeLock(db, id, 'live-worker', new Date(), 10 * 60_000)).toBe(true);
    try {
      const result = await processWorkBatch(
        { ...deps(), admins: [], outbox: new FakeQueue(clock.ms) },
        sqs(['busy', body(id)]),
      );
      expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'busy' }]);
      expect(fake.calls).toEqual([]);
    } finally {
      await releaseLock(db, id, 'live-worker');
    }
  });
});

describe('the in-process outbox', () => {
  const item: WorkItem = { type: 'request.changed', id: 'IT-1' };
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => void process.off('unhandledRejection', onUnhandled));

  it('retries a failing item until it succeeds', async () => {
    let calls = 0;
    const perform = jest.fn(async () => {
      calls += 1;
      if (calls <= 2) throw new Error(`failure ${calls}`);
    });
    const outbox = inProcessOutbox(perform, [1, 1, 1]);
    await outbox.send(item);
    await outbox.idle();
    expect(perform).toHaveBeenCalledTimes(3);
    expect(perform).toHaveBeenCalledWith(item);
    await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
  });

  it('gives up after one try per delay plus one, without an unhandled rejection', async () => {
    const perform = jest.fn(async () => {
      throw new Error('always');
    });
    const outbox = inProcessOutbox(perform, [1, 1, 1]);
    await outbox.send(item);
    await expect(outbox.idle()).resolves.toBeUndefined();
    expect(perform).toHaveBeenCalledTimes(4);
    await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
  });

  it('a request.changed item whose first try fails is synced on the retry, done when idle() resolves', async () => {
    const id = await fileOne();
    const work = { ...deps(), admins: [] };
    const outbox = inProcessOutbox((w) => performWork(work, w), [1, 1, 1]);
    fake.failWith('chat.postMessage', 'internal_error'); // the first try fails, the retry posts
    await outbox.send({ type: 'request.changed', id });
    await outbox.idle();
    expect(fake.callsTo('chat.postMessage')[0]!.outcome).toBe('error');
    expect(cardsOf(id)).toHaveLength(1);
    expect(dmsTo(REQUESTER)).toHaveLength(1);
  });
});
