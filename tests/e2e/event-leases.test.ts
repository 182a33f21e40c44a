/**
 * Slack's retry of an event that overlaps the first attempt (issue #15, review H-2). In Lambda the
 * first attempt is answered only when its listeners end, and Slack sends the event again after 3 s;
 * that retry must not be answered "done" (attempt 1 may still fail, and Slack would never send it
 * again), so it gets a non-2xx and Slack tries later (after a minute, then five): by then attempt 1
 * has finished (the retry is answered 200), failed (the retry does the work) or been killed (its
 * lease has run out and the retry does the work). A kudos reaction is counted once in every case.
 *
 * Attempt 1 is held by a hook in the real app's middleware (after the event's lease is taken,
 * before any listener runs), released by the test: no sleeps. The clock is the test's; Slack's later
 * retries come after the clock has moved on a minute.
 */
import type { App } from '@slack/bolt';
import type { Context } from 'aws-lambda';
import { outboxFromConfig } from '../../functions/jobs/in-process-outbox';
import { createSlackLambdaHandler, type SlackLambdaHandler } from '../../functions/slack/lambda';
import type { Db } from '../../functions/store/client';
import { personPk, TOTAL_SK } from '../../functions/store/kudos';
import { importExample } from '../support/company';
import { testConfig, withoutBotIds } from '../support/config';
import { allItems, dropTable, freshTable, testEndpoint } from '../support/db';
import { FakeSlack } from '../support/fake-slack';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import { eventEnvelope, httpApiEvent, JSON_TYPE, postSigned, signature } from '../support/slack-requests';
import { testClock } from '../support/test-clock';

const context = { awsRequestId: 'req-1', functionName: 'kept-slack' } as Context;
const ALICE = 'U0ALICE001';
const SLACK_RETRY_AFTER_MS = 60_000;

interface Held {
  /** Resolves when attempt 1 has its lease and is waiting at the hook. */
  reached: Promise<void>;
  /** Attempt 1 fails there (say DynamoDB throttled it). */
  fail(): void;
  /** Attempt 1 goes on to its listeners. */
  finish(): void;
}

/** Attempts to hold at the hook, by event_id (only the first delivery of each is held). */
const holds = new Map<string, { reached: () => void; outcome: Promise<'fail' | 'finish'> }>();

function hold(eventId: string): Held {
  let reached!: () => void;
  let decide!: (outcome: 'fail' | 'finish') => void;
  const reachedP = new Promise<void>((resolve) => (reached = resolve));
  holds.set(eventId, { reached, outcome: new Promise((resolve) => (decide = resolve)) });
  return { reached: reachedP, fail: () => decide('fail'), finish: () => decide('finish') };
}

/** The hook: global middleware after the app's own, so it runs after the lease, before any listener. */
function holdAttempts(app: App): void {
  app.use(async ({ body, next }) => {
    const eventId = String((body as { event_id?: unknown }).event_id);
    const held = holds.get(eventId);
    if (held) {
      holds.delete(eventId);
      held.reached();
      if ((await held.outcome) === 'fail') throw new Error('ProvisionedThroughputExceededException');
    }
    await next();
  });
}

const reactionEvent = (eventId: string, author: string, ts: string) =>
  eventEnvelope(
    {
      type: 'reaction_added',
      user: ALICE,
      reaction: 'kudos',
      item_user: author,
      item: { type: 'message', channel: 'C0GENERAL01', ts },
      event_ts: ts,
    },
    eventId,
  );

const retryHeaders = (retry?: number): Record<string, string> =>
  retry ? { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' } : {};

let fake: FakeSlack;
let db: Db;

/** The kudos `user` has received, from their running total (whatever day the clock says). */
async function kudosReceived(user: string): Promise<number> {
  const total = (await allItems(db)).find((i) => i.pk === personPk(user) && i.sk === TOTAL_SK);
  return Number(total?.received ?? 0);
}
const dmsTo = (user: string) =>
  fake.callsTo('chat.postMessage').filter((c) => c.args.channel === user && c.outcome === 'ok').length;

describe('through the Lambda front door (AwsLambdaReceiver, bot IDs unset as in AWS)', () => {
  const clock = testClock();
  let handler: SlackLambdaHandler;
  /** A first attempt killed mid-way: it never answers; unwound only when the file ends. */
  let killed: { held: Held; answer: Promise<unknown> } | undefined;

  beforeAll(async () => {
    fake = await FakeSlack.start();
    db = await freshTable();
    await importExample(db);
    const withoutIds = withoutBotIds(testConfig({ slackApiUrl: fake.url, table: db.table, endpoint: testEndpoint() }));
    handler = createSlackLambdaHandler(async () => withoutIds, outboxFromConfig, holdAttempts, {
      now: clock.now,
    });
  });
  afterAll(async () => {
    if (killed) {
      killed.held.fail(); // a killed process runs no more code; here it unwinds so nothing is left running
      await killed.answer;
    }
    await handler.idle();
    await fake.stop();
    await dropTable(db);
  });

  const deliver = (body: string, retry?: number) =>
    handler(httpApiEvent(body, { 'content-type': JSON_TYPE, ...signature(body), ...retryHeaders(retry) }), context);

  it('a retry while attempt 1 still runs gets a 500, not "done"; attempt 1 fails; the next retry gives the kudos once', async () => {
    const author = 'U0ITMEM01';
    const body = reactionEvent('EvLEASE0001', author, '1780000101.000100');
    const first = hold('EvLEASE0001');
    const attempt1 = deliver(body);
    await first.reached;

    const overlapping = await deliver(body, 1);
    expect(overlapping.statusCode).toBe(500);
    expect(overlapping.headers?.['x-slack-no-retry']).toBeUndefined();

    first.fail();
    expect((await attempt1).statusCode).toBe(500);
    expect(await kudosReceived(author)).toBe(0); // had the retry been answered 200, this kudos was lost

    clock.advance(SLACK_RETRY_AFTER_MS);
    expect((await deliver(body, 2)).statusCode).toBe(200);
    expect((await deliver(body, 3)).statusCode).toBe(200); // done now: nothing runs again
    await handler.idle();
    expect(await kudosReceived(author)).toBe(1);
    expect(dmsTo(author)).toBe(1);
  });

  it('a retry while attempt 1 still runs gets a 500; attempt 1 succeeds; the next retry gets 200 and the kudos counts once', async () => {
    const author = 'U0FINMEM1';
    const body = reactionEvent('EvLEASE0002', author, '1780000102.000100');
    const first = hold('EvLEASE0002');
    const attempt1 = deliver(body);
    await first.reached;

    expect((await deliver(body, 1)).statusCode).toBe(500);
    first.finish();
    expect((await attempt1).statusCode).toBe(200);

    clock.advance(SLACK_RETRY_AFTER_MS);
    expect((await deliver(body, 2)).statusCode).toBe(200);
    await handler.idle();
    expect(await kudosReceived(author)).toBe(1);
    expect(dmsTo(author)).toBe(1);
  });

  it('Slack not answering who the people are: the reaction fails, and the next delivery gives the kudos once', async () => {
    const author = 'U0HRMEM01';
    const body = reactionEvent('EvLEASE0004', author, '1780000104.000100');
    fake.httpError('users.info', 503, 10); // more than the client's own tries
    expect((await deliver(body)).statusCode).toBe(500);
    expect(await kudosReceived(author)).toBe(0);
    fake.httpError('users.info', 503, 0);
    clock.advance(SLACK_RETRY_AFTER_MS);
    expect((await deliver(body, 1)).statusCode).toBe(200);
    await handler.idle();
    expect(await kudosReceived(author)).toBe(1);
  });

  it('attempt 1 killed mid-way (no catch runs, its lease stays): refused while it could still run, done by the retry after', async () => {
    const author = 'U0BOB00001';
    const body = reactionEvent('EvLEASE0003', author, '1780000103.000100');
    const held = hold('EvLEASE0003');
    killed = { held, answer: deliver(body) }; // never answers: the Lambda timed out and was frozen
    await held.reached;

    expect((await deliver(body, 1)).statusCode).toBe(500); // 3 s later it may still be running
    clock.advance(SLACK_RETRY_AFTER_MS); // past the Slack function's timeout and the lease's margin
    expect((await deliver(body, 2)).statusCode).toBe(200);
    expect((await deliver(body, 3)).statusCode).toBe(200);
    await handler.idle();
    expect(await kudosReceived(author)).toBe(1);
    expect(dmsTo(author)).toBe(1);
  });
});

describe('through the local front door (HTTPReceiver, which answers an event before its listeners run)', () => {
  const clock = testClock();
  let app: RunningSlackApp;

  beforeAll(async () => {
    app = await startSlackApp({}, { now: clock.now });
    ({ fake, db } = app);
    await importExample(db);
    holdAttempts(app.http.app);
  });
  afterAll(() => app.stop());

  const deliver = (body: string, retry?: number) =>
    postSigned(app.url, body, { contentType: JSON_TYPE, headers: retryHeaders(retry) });

  it('a retry while attempt 1 still runs gets a 503; attempt 1 fails; the next retry gives the kudos once', async () => {
    const author = 'U0ITMEM01';
    const body = reactionEvent('EvLOCAL0001', author, '1780000201.000100');
    const first = hold('EvLOCAL0001');
    expect((await deliver(body)).status).toBe(200); // answered at once; the listeners run after
    await first.reached;

    const overlapping = await deliver(body, 1);
    expect(overlapping.status).toBe(503);

    first.fail();
    await app.http.idle();
    expect(await kudosReceived(author)).toBe(0);

    clock.advance(SLACK_RETRY_AFTER_MS);
    expect((await deliver(body, 2)).status).toBe(200);
    await app.http.idle();
    expect((await deliver(body, 3)).status).toBe(200);
    await app.http.idle();
    expect(await kudosReceived(author)).toBe(1);
    expect(dmsTo(author)).toBe(1);
  });
});
