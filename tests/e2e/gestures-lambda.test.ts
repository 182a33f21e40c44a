import { IDS } from '../../functions/slack/ids';
import type { SlackLambdaHandler } from '../../functions/slack/lambda';
import type { Db } from '../../functions/store/client';
import { importExample } from '../support/company';
import { allItems } from '../support/db';
import type { FakeSlack } from '../support/fake-slack';
import { LAMBDA_CONTEXT, type LambdaApp, startLambdaApp } from '../support/lambda-app';
import { eventEnvelope, httpApiEvent, JSON_TYPE, signature } from '../support/slack-requests';

let fake: FakeSlack;
let db: Db;
let handler: SlackLambdaHandler;
let lambda: LambdaApp;

beforeAll(async () => {
  lambda = await startLambdaApp(async (seeded) => {
    await importExample(seeded);
  });
  ({ fake, db, handler } = lambda);
});
afterAll(() => lambda.stop());

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
    expect((await handler(httpApiEvent(body, headers), LAMBDA_CONTEXT)).statusCode).toBe(200);
    await handler.idle();
  }
  const offers = fake.callsTo('chat.postEphemeral').filter((c) => c.args.user === 'U0FINMEM1');
  expect(offers).toHaveLength(1);
  expect(JSON.stringify(offers[0]!.args.blocks)).toContain(IDS.fileOffered);
  expect(fake.callsTo('chat.postMessage')).toEqual([]);
  expect((await allItems(db)).filter((i) => i.sk === 'REQ')).toEqual([]);
});
