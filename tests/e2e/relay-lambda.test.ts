/**
 * The main relay through the Lambda front door (API Gateway HTTP API events), as in AWS: a reply
 * under the card reaches the requester's DM thread, and Slack's retry of the same event does not
 * send it twice (no queue configured: the worker's work runs in this process after the answer).
 */
import { randomUUID } from 'node:crypto';
import { IDS } from '../../functions/slack/ids';
import type { SlackLambdaHandler } from '../../functions/slack/lambda';
import { newRequestModal } from '../../functions/slack/views/request-modals';
import type { Db } from '../../functions/store/client';
import { readDirectory } from '../../functions/store/directory';
import { getRequestRecord } from '../../functions/store/requests';
import { importExample } from '../support/company';
import { BOT, type FakeSlack } from '../support/fake-slack';
import { LAMBDA_CONTEXT, type LambdaApp, startLambdaApp } from '../support/lambda-app';
import { eventEnvelope, FORM, httpApiEvent, JSON_TYPE, signature, submitView } from '../support/slack-requests';

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

it('a reply under the card reaches the requester in their DM thread, once despite a retry', async () => {
  const agreement = (await readDirectory(db)).agreements.find((a) => a.id === 'it-for-finance')!.active!;
  const view = newRequestModal({ choices: [{ agreement, providerName: 'IT' }], metadata: '{}' }) as unknown as Record<
    string,
    unknown
  >;
  const filing = submitView(
    view,
    { [IDS.requestPriorityBlock]: 'P2', [IDS.requestTitleBlock]: 'No sound' },
    'U0FINMEM1',
  );
  expect(
    (await handler(httpApiEvent(filing, { 'content-type': FORM, ...signature(filing) }), LAMBDA_CONTEXT)).statusCode,
  ).toBe(200);
  await handler.idle();
  const { card, dm } = (await getRequestRecord(db, 'IT-1'))!;

  const ts = '1790000100.000100';
  const body = eventEnvelope(
    {
      type: 'message',
      channel: card!.channel,
      user: 'U0ITMEM01',
      text: 'Is the headset plugged in?',
      ts,
      thread_ts: card!.ts,
      parent_user_id: BOT.userId,
      client_msg_id: randomUUID(),
      event_ts: ts,
      channel_type: 'channel',
    },
    'Ev0LAMBDA01',
  );
  for (const retry of [undefined, '1']) {
    const headers = { 'content-type': JSON_TYPE, ...signature(body), ...(retry ? { 'x-slack-retry-num': retry } : {}) };
    expect((await handler(httpApiEvent(body, headers), LAMBDA_CONTEXT)).statusCode).toBe(200);
    await handler.idle();
  }
  const relayed = fake
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === dm!.channel && String(c.args.thread_ts) === dm!.ts);
  expect(relayed.map((c) => c.args.text)).toEqual([
    expect.stringContaining('<@U0ITMEM01> (IT): Is the headset plugged in?'),
  ]);
});
