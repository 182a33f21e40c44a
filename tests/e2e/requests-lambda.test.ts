/**
 * Filing through the Lambda front door (API Gateway HTTP API events, base64 or not), as in AWS:
 * the request is written before the answer, text typed in any script is kept byte for byte, the
 * clocks run on IT's calendar (New York working hours and US public holidays), and the card reaches
 * IT's channel (no queue configured here, so the work runs in this process after the answer). A
 * queue that refuses the work leaves the filing done, and the refusal is counted for the alarms.
 */
import type { Context } from 'aws-lambda';
import { compileCalendar } from '../../functions/domain/calendar';
import { addWorkingTime } from '../../functions/domain/working-time';
import { outboxFromConfig } from '../../functions/jobs/in-process-outbox';
import { IDS } from '../../functions/slack/ids';
import { createSlackLambdaHandler, type SlackLambdaHandler } from '../../functions/slack/lambda';
import { newRequestModal } from '../../functions/slack/views/request-modals';
import type { Db } from '../../functions/store/client';
import { readDirectory } from '../../functions/store/directory';
import { getRequest } from '../../functions/store/requests';
import type { WorkItem } from '../../functions/work/item';
import type { Outbox } from '../../functions/work/outbox';
import { importExample } from '../support/company';
import { testConfig } from '../support/config';
import { dropTable, freshTable, testEndpoint } from '../support/db';
import { FakeSlack } from '../support/fake-slack';
import { countingMetrics } from '../support/metrics';
import { FORM, httpApiEvent, signature, submitView } from '../support/slack-requests';

const context = { awsRequestId: 'req-1', functionName: 'kept-slack' } as Context;

let fake: FakeSlack;
let db: Db;
let handler: SlackLambdaHandler;
let view: Record<string, unknown>;

beforeAll(async () => {
  fake = await FakeSlack.start();
  db = await freshTable();
  await importExample(db);
  const agreement = (await readDirectory(db)).agreements.find((a) => a.id === 'it-for-finance')!.active!;
  view = newRequestModal({ choices: [{ agreement, providerName: 'IT' }], metadata: '{}' }) as unknown as Record<
    string,
    unknown
  >;
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

describe.each([false, true])('isBase64Encoded %s', (base64) => {
  it('files a request before answering, keeping the typed text byte for byte', async () => {
    const title = `Drucker im 3. OG défaillant 🖨️👍🏽 ${base64 ? 'b64' : 'plain'}`;
    const description = 'プリンターが動きません — الطابعة لا تعمل — המדפסת לא עובדת';
    const body = submitView(
      view,
      {
        [IDS.requestPriorityBlock]: 'P1',
        [IDS.requestTitleBlock]: title,
        [IDS.requestDescriptionBlock]: description,
      },
      'U0FINMEM1',
    );
    const res = await handler(httpApiEvent(body, { 'content-type': FORM, ...signature(body) }, { base64 }), context);
    expect(res.statusCode).toBe(200);
    expect(res.body ?? '').toBe(''); // the modal closes
    const id = base64 ? 'IT-2' : 'IT-1';
    const request = (await getRequest(db, id))!;
    expect(Buffer.from(request.title).toString('hex')).toBe(Buffer.from(title).toString('hex'));
    expect(request.description).toBe(description);
    const it = (await readDirectory(db)).departments.find((d) => d.id === 'it')!;
    expect(request.clocks.resolution.dueAt).toBe(
      addWorkingTime(compileCalendar(it.calendar), request.createdAt, 4 * 3_600_000),
    );

    await handler.idle();
    const card = fake
      .callsTo('chat.postMessage')
      .find((c) => c.args.channel === 'C0ITQUEUE' && JSON.stringify(c.args).includes(id));
    expect(JSON.stringify(card?.args.blocks)).toContain(JSON.stringify(title).slice(1, -1));
  });
});

it('30 submissions at once through the Lambda handler: each answered with the form closed, 30 requests, 30 work items', async () => {
  const sent: WorkItem[] = [];
  // The queue as the worker sees it: one message per work item, nothing run in this process.
  const queue: Outbox = { send: async (item) => void sent.push(item), idle: async () => {} };
  const lambda = createSlackLambdaHandler(
    async () => testConfig({ slackApiUrl: fake.url, table: db.table, endpoint: testEndpoint() }),
    () => queue,
  );
  const bodies = Array.from({ length: 30 }, (_, i) =>
    submitView(
      view,
      {
        [IDS.requestPriorityBlock]: 'P2',
        [IDS.requestTitleBlock]: `Lambda rush ${i}`,
      },
      i % 2 ? 'U0FINHEAD' : 'U0FINMEM1',
    ),
  );
  const answers = await Promise.all(
    bodies.map((body) => lambda(httpApiEvent(body, { 'content-type': FORM, ...signature(body) }), context)),
  );
  expect(answers.map((a) => [a.statusCode, a.body ?? ''])).toEqual(bodies.map(() => [200, '']));
  const ids = sent.map((item) => (item.type === 'request.changed' ? item.id : ''));
  expect(new Set(ids).size).toBe(30);
  for (const id of ids) expect((await getRequest(db, id))?.title).toMatch(/^Lambda rush \d+$/);
});

it('the queue refuses the new card: the request is still filed and the form closes; the refusal is counted for the alarms', async () => {
  const metrics = countingMetrics();
  const tried: WorkItem[] = [];
  const refusing: Outbox = {
    send: async (item) => {
      tried.push(item);
      throw new Error('SQS did not answer');
    },
    idle: async () => {},
  };
  const lambda = createSlackLambdaHandler(
    async () => testConfig({ slackApiUrl: fake.url, table: db.table, endpoint: testEndpoint() }),
    () => refusing,
    undefined,
    { metrics },
  );
  const body = submitView(
    view,
    {
      [IDS.requestPriorityBlock]: 'P2',
      [IDS.requestTitleBlock]: 'Filed while the queue is down',
    },
    'U0FINMEM1',
  );
  const res = await lambda(httpApiEvent(body, { 'content-type': FORM, ...signature(body) }), context);
  expect([res.statusCode, res.body ?? '']).toEqual([200, '']);
  expect(metrics.counts).toEqual({ OutboxSendFailed: 1 });
  // The request is saved (the scan hands its card to the worker again once the queue answers).
  expect(tried).toEqual([{ type: 'request.changed', id: expect.any(String) }]);
  const id = (tried[0] as { id: string }).id;
  expect((await getRequest(db, id))?.title).toBe('Filed while the queue is down');
});
