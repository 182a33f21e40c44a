/**
 * A weekly report subscription as it runs in AWS: the subscribe command through the Slack Lambda's
 * front door (API Gateway events), the scheduled run handing the report to the worker queue (a
 * queue that refuses it once loses nothing), and the worker's SQS batches: a message delivered
 * twice posts the report once.
 */
import type { Context, SQSEvent } from 'aws-lambda';
import type { Config } from '../../functions/config';
import { runScheduled } from '../../functions/jobs/scheduled';
import { processWorkBatch } from '../../functions/jobs/work';
import { createSlackLambdaHandler, type SlackLambdaHandler } from '../../functions/slack/lambda';
import { workerSlackClient } from '../../functions/slack/web-client';
import type { Db } from '../../functions/store/client';
import type { Outbox } from '../../functions/work/outbox';
import { importExample } from '../support/company';
import { testConfig } from '../support/config';
import { dropTable, freshTable, testEndpoint } from '../support/db';
import { FakeQueue } from '../support/fake-queue';
import { FakeSlack } from '../support/fake-slack';
import { FORM, httpApiEvent, signature, slashCommand } from '../support/slack-requests';
import { testClock } from '../support/test-clock';

const context = { awsRequestId: 'req-1', functionName: 'kept-slack' } as Context;
const FIN_HEAD = 'U0FINHEAD';

const clock = testClock();
let fake: FakeSlack;
let db: Db;
let config: Config;
let handler: SlackLambdaHandler;

beforeAll(async () => {
  fake = await FakeSlack.start();
  db = await freshTable();
  await importExample(db, new Date('2026-11-01T00:00:00Z'));
  config = testConfig({ slackApiUrl: fake.url, table: db.table, endpoint: testEndpoint() });
  handler = createSlackLambdaHandler(
    async () => config,
    () => new FakeQueue(clock.ms),
    undefined,
    { now: clock.now },
  );
});
afterAll(async () => {
  await handler.idle();
  await fake.stop();
  await dropTable(db);
});

it("Finance's head subscribes through the Lambda, and the worker posts the report once however often SQS delivers it", async () => {
  const body = slashCommand({ text: 'report subscribe weekly', user_id: FIN_HEAD });
  const res = await handler(httpApiEvent(body, { 'content-type': FORM, ...signature(body) }), context);
  expect(res.statusCode).toBe(200);
  expect((JSON.parse(res.body!) as { text: string }).text).toMatch(
    /^Done: Finance's report of the week before goes to your DM with Kept, penalties included on Mondays at 08:30 \(America\/New_York\)/,
  );

  // Monday 30 November at Finance's opening (08:30 New York); the queue refuses the first hand-over.
  const queue = new FakeQueue(clock.ms);
  let refuse = 1;
  const outbox: Outbox = {
    send: async (item, options) => {
      if (item.type === 'report.weekly' && refuse-- > 0) throw new Error('SQS refused the message (injected)');
      return queue.send(item, options);
    },
    idle: () => queue.idle(),
  };
  const run = (iso: string) => runScheduled({ db, outbox }, { job: 'digest', scheduledTime: iso });
  expect(await run('2026-11-30T13:29:00Z')).not.toMatch(/Weekly reports/);
  expect(await run('2026-11-30T13:30:00Z')).toMatch(/Weekly reports: 0 reports handed to the worker \(1 not/);
  expect(await run('2026-11-30T13:45:00Z')).toMatch(/Weekly reports: 1 report handed to the worker\./);
  expect(await run('2026-11-30T14:00:00Z')).not.toMatch(/Weekly reports/);
  const handed = queue.sent.map((s) => s.item).filter((i) => i.type === 'report.weekly');
  expect(handed).toEqual([
    {
      type: 'report.weekly',
      department: 'finance',
      target: FIN_HEAD,
      week: '2026-W49',
      from: '2026-11-23',
      to: '2026-11-29',
      label: 'the week of 23 November 2026',
    },
  ]);

  // SQS delivers the same message twice (at least once), in one batch and again later.
  const record = (messageId: string) => ({ messageId, body: JSON.stringify(handed[0]) });
  const batch = (ids: string[]) => ({ Records: ids.map(record) }) as unknown as SQSEvent;
  const worker = { db, slack: workerSlackClient(config), admins: [], outbox: new FakeQueue(clock.ms) };
  expect(await processWorkBatch(worker, batch(['m1', 'm2']))).toEqual({ batchItemFailures: [] });
  expect(await processWorkBatch(worker, batch(['m3']))).toEqual({ batchItemFailures: [] });
  const reports = fake.posted.filter((m) => m.channel === FIN_HEAD);
  expect(reports).toHaveLength(1);
  expect(String(reports[0]!.text)).toMatch(
    /^Weekly report: Nobody filed a request to Finance in the week of 23 November 2026/,
  );
});
