/**
 * An event whose listener fails, through the Lambda front door: Bolt has already acknowledged it,
 * so the failure must turn into a 500 for Slack to send it again, and the event's claim must be
 * given back so that retry is not dropped as a duplicate. Work the first attempt finished (a kudos
 * saved) is not done twice.
 */
import type { Context } from 'aws-lambda';
import { outboxFromConfig } from '../../functions/jobs/in-process-outbox';
import { createSlackLambdaHandler, type SlackLambdaHandler } from '../../functions/slack/lambda';
import type { Db } from '../../functions/store/client';
import { givenOn } from '../../functions/store/kudos';
import { importExample } from '../support/company';
import { testConfig } from '../support/config';
import { dropTable, freshTable, testEndpoint } from '../support/db';
import { FakeSlack } from '../support/fake-slack';
import { eventEnvelope, httpApiEvent, JSON_TYPE, signature } from '../support/slack-requests';

const context = { awsRequestId: 'req-1', functionName: 'kept-slack' } as Context;
const ALICE = 'U0ALICE001';
const IT_MEMBER = 'U0ITMEM01';

let fake: FakeSlack;
let db: Db;
let handler: SlackLambdaHandler;
let failures = 1;
let runs = 0;

beforeAll(async () => {
  fake = await FakeSlack.start();
  db = await freshTable();
  await importExample(db);
  // A second listener on the same event that fails the first time (say, DynamoDB throttled it).
  handler = createSlackLambdaHandler(
    async () => testConfig({ slackApiUrl: fake.url, table: db.table, endpoint: testEndpoint() }),
    outboxFromConfig,
    (app) =>
      app.event('reaction_added', async () => {
        runs++;
        if (failures-- > 0) throw new Error('ProvisionedThroughputExceededException');
      }),
  );
});
afterAll(async () => {
  await handler.idle();
  await fake.stop();
  await dropTable(db);
});

it("a failed event answers 500, Slack's retry runs again and succeeds, and the kudos the first try saved counts once", async () => {
  const day = new Date().toLocaleDateString('en-CA', { timeZone: 'America/New_York' });
  const body = eventEnvelope(
    {
      type: 'reaction_added',
      user: ALICE,
      reaction: 'kudos',
      item_user: IT_MEMBER,
      item: { type: 'message', channel: 'C0GENERAL01', ts: '1780000009.000100' },
      event_ts: '1780000010.000100',
    },
    'Ev0FAILS0001',
  );
  const deliver = (retry?: number) =>
    handler(
      httpApiEvent(body, {
        'content-type': JSON_TYPE,
        ...signature(body),
        ...(retry ? { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_error' } : {}),
      }),
      context,
    );

  expect((await deliver()).statusCode).toBe(500);
  expect(await givenOn(db, ALICE, day)).toBe(1); // the kudos listener finished its part
  expect((await deliver(1)).statusCode).toBe(200);
  expect(runs).toBe(2);
  expect((await deliver(2)).statusCode).toBe(200); // done now: a further retry is a duplicate
  expect(runs).toBe(2);
  await handler.idle();
  expect(await givenOn(db, ALICE, day)).toBe(1);
  expect(
    fake.callsTo('chat.postMessage').filter((c) => c.args.channel === IT_MEMBER && c.outcome === 'ok'),
  ).toHaveLength(1);
});
