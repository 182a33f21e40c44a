/**
 * The 🎫 offer through the Lambda front door (API Gateway HTTP API events), as in AWS: the reactor
 * gets one private offer with its button despite Slack's retry, and no card is posted.
 */
import type { Context } from 'aws-lambda';
import { outboxFromConfig } from '../../functions/jobs/in-process-outbox';
import { IDS } from '../../functions/slack/ids';
import { createSlackLambdaHandler, type SlackLambdaHandler } from '../../functions/slack/lambda';
import type { Db } from '../../functions/store/client';
import { importExample } from '../support/company';
import { testConfig } from '../support/config';
import { allItems, dropTable, freshTable, testEndpoint } from '../support/db';
import { FakeSlack } from '../support/fake-slack';
import { eventEnvelope, httpApiEvent, JSON_TYPE, signature } from '../support/slack-requests';

const context = { awsRequestId: 'req-1', functionName: 'kept-slack' } as Context;

let fake: FakeSlack;
let db: Db;
let handler: SlackLambdaHandler;

beforeAll(async () => {
  fake = await FakeSlack.start();
  db = await freshTable();
  await importExample(db);
  handler = createSlackLambdaHandler(
    async () => testConfig({ slackApiUrl: fake.url, table: db.table, endpoint: testEndpoint() }),
    outboxFromConfig,
  );
});
afterAll(async () => {
  await handler.idle();
  await fake.stop();
  await dropTable(db);
});

it('🎫 on a message offers the reactor a button once, despite a retry, and posts no card', async () => {
  const ts = '1790000900.000100';
  fake.seedMessage({ channel: 'C0GENERAL01', ts, user: 'U0ITMEM01', text: 'The wifi in room 4 is down' });
  const body = eventEnvelope(
    {
      type: 'reaction_added',
      user: 'U0FINMEM1',
      reaction: 'ticket',
      item_user: 'U0ITMEM01',
      item: { type: 'message', channel: 'C0GENERAL01', ts },
      event_ts: '1790000901.000100',
    },
    'Ev0TKLAMBDA',
  );
  for (const retry of [undefined, '1']) {
    const headers = { 'content-type': JSON_TYPE, ...signature(body), ...(retry ? { 'x-slack-retry-num': retry } : {}) };
    expect((await handler(httpApiEvent(body, headers), context)).statusCode).toBe(200);
    await handler.idle();
  }
  const offers = fake.callsTo('chat.postEphemeral').filter((c) => c.args.user === 'U0FINMEM1');
  expect(offers).toHaveLength(1);
  expect(JSON.stringify(offers[0]!.args.blocks)).toContain(IDS.fileOffered);
  expect(fake.callsTo('chat.postMessage')).toEqual([]);
  expect((await allItems(db)).filter((i) => i.sk === 'REQ')).toEqual([]);
});
