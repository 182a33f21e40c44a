/** The Lambda front door gets the same answers from API Gateway HTTP API (payload v2) events. */
import type { Context } from 'aws-lambda';
import type { Config } from '../../functions/config';
import { outboxFromConfig } from '../../functions/jobs/in-process-outbox';
import { createSlackLambdaHandler, type SlackLambdaHandler } from '../../functions/slack/lambda';
import type { Db } from '../../functions/store/client';
import { testConfig, withoutBotIds } from '../support/config';
import { allItems, dropTable, freshTable, testEndpoint } from '../support/db';
import { FakeSlack } from '../support/fake-slack';
import { eventEnvelope, FORM, httpApiEvent, JSON_TYPE, signature, slashCommand } from '../support/slack-requests';

let fake: FakeSlack;
let db: Db;
let config: Config;
let handler: SlackLambdaHandler;
const heard: string[] = [];
const context = { awsRequestId: 'req-1', functionName: 'kept-slack' } as Context;

const TEXTS = ['café déjà vu', '日本語のテキスト', 'ship it 🚀👍🏽', 'مرحبا بالعالم', 'שלום עולם', 'e\u0301 combining'];

beforeAll(async () => {
  fake = await FakeSlack.start();
  db = await freshTable();
  config = testConfig({ slackApiUrl: fake.url, table: db.table, endpoint: testEndpoint() });
  handler = createSlackLambdaHandler(
    async () => config,
    outboxFromConfig,
    (app) =>
      // An event kind Kept itself does not read (its message events are filtered before any listener).
      app.event('app_mention', async ({ event }) => {
        heard.push((event as { text?: string }).text ?? '');
      }),
  );
});
afterAll(async () => {
  await handler.idle();
  await fake.stop();
  await dropTable(db);
});

function signedEvent(body: string, contentType: string, base64: boolean) {
  return httpApiEvent(body, { 'content-type': contentType, ...signature(body) }, { base64 });
}

describe.each([false, true])('isBase64Encoded %s', (base64) => {
  it('answers a signed /sla help with the list, and /sla help <command> with that one in full', async () => {
    const res = await handler(signedEvent(slashCommand({ text: 'help' }), FORM, base64), context);
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body!) as { response_type: string; text: string };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('/sla help');
    const one = await handler(signedEvent(slashCommand({ text: 'help transfer' }), FORM, base64), context);
    expect((JSON.parse(one.body!) as { text: string }).text).toMatch(/^\/sla transfer ID DEPT reason — Hand a request/);
  });

  it('hands non-ASCII text to the listener byte for byte', async () => {
    heard.length = 0;
    for (const text of TEXTS) {
      const body = eventEnvelope({
        type: 'app_mention',
        channel: 'C0GENERAL01',
        user: 'U0ALICE001',
        text,
        ts: '1780000000.000200',
        event_ts: '1780000000.000200',
      });
      const res = await handler(signedEvent(body, JSON_TYPE, base64), context);
      expect(res.statusCode).toBe(200);
    }
    expect(heard.map((t) => Buffer.from(t).toString('hex'))).toEqual(TEXTS.map((t) => Buffer.from(t).toString('hex')));
  });

  it('echoes non-ASCII slash-command text intact', async () => {
    const res = await handler(signedEvent(slashCommand({ text: '日本語🙂' }), FORM, base64), context);
    expect(JSON.parse(res.body!).text).toContain('/sla 日本語🙂`');
  });

  it('refuses a wrong signature and unsigned garbage with 401, never 5xx', async () => {
    const body = slashCommand();
    const wrong = httpApiEvent(
      body,
      { 'content-type': FORM, ...signature(body, { secret: 'wrong-secret-000' }) },
      { base64 },
    );
    expect((await handler(wrong, context)).statusCode).toBe(401);
    for (const garbage of ['{"type": "event_callback", ', 'payload=%7B%22type', '', '{"ssl_check":1}']) {
      const res = await handler(
        httpApiEvent(garbage, { 'content-type': garbage.startsWith('{') ? JSON_TYPE : FORM }, { base64 }),
        context,
      );
      expect(res.statusCode).toBe(401);
    }
    const future = httpApiEvent(
      body,
      { 'content-type': FORM, ...signature(body, { timestamp: Math.floor(Date.now() / 1000) + 400 }) },
      { base64 },
    );
    expect((await handler(future, context)).statusCode).toBe(401);
  });
});

it('reads headers whatever their case', async () => {
  const body = slashCommand();
  const sig = signature(body);
  const event = httpApiEvent(body, {
    'Content-Type': FORM,
    'X-Slack-Signature': sig['x-slack-signature'],
    'X-Slack-Request-Timestamp': sig['x-slack-request-timestamp'],
  });
  expect((await handler(event, context)).statusCode).toBe(200);
});

it('made no Slack call and wrote nothing for the refused requests', async () => {
  expect(fake.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
  expect((await allItems(db)).every((i) => String(i.pk).startsWith('DELIVERY#'))).toBe(true);
});

it('fails closed when the secrets cannot be loaded, and tries again on the next request', async () => {
  let attempts = 0;
  const flaky = createSlackLambdaHandler(async () => {
    attempts += 1;
    if (attempts === 1) throw new Error('Secrets Manager unreachable');
    return config;
  }, outboxFromConfig);
  const event = signedEvent(slashCommand(), FORM, false);
  await expect(flaky(event, context)).rejects.toThrow('Secrets Manager unreachable');
  expect((await flaky(event, context)).statusCode).toBe(200);
  expect(attempts).toBe(2);
});

it('with the bot IDs unset, a cold handler answers commands without asking Slack who it is; the first event asks once', async () => {
  const cold = createSlackLambdaHandler(async () => withoutBotIds(config), outboxFromConfig);
  fake.reset();
  const res = await cold(signedEvent(slashCommand({ text: 'help' }), FORM, false), context);
  expect(res.statusCode).toBe(200);
  expect(String((JSON.parse(res.body!) as { text: string }).text)).toContain('/sla help');
  expect(fake.callsTo('auth.test')).toHaveLength(0);
  for (const n of [1, 2]) {
    const body = eventEnvelope({ type: 'app_home_opened', user: `U0HOME000${n}`, channel: 'D0HOME', tab: 'home' });
    expect((await cold(signedEvent(body, JSON_TYPE, false), context)).statusCode).toBe(200);
  }
  await cold.idle();
  expect(fake.callsTo('auth.test')).toHaveLength(1);
  expect(fake.callsTo('views.publish')).toHaveLength(2);
});
