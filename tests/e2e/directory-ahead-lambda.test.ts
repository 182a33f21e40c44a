/**
 * The Slack function starts reading the directory as its cold start fetches its secrets
 * (slack/lambda.ts, store/directory.ts readDirectoryAhead): the request that caused the cold start
 * takes that read as its own, and a later request reads the directory as it is when it arrives.
 * Through the Lambda handler, with bot IDs unset and DynamoDB Local. (That a read nobody took is
 * dropped, whatever the timing, is shown in tests/integration/directory.test.ts.)
 */
import type { Context } from 'aws-lambda';
import { outboxFromConfig } from '../../functions/jobs/in-process-outbox';
import { createSlackLambdaHandler, type SlackLambdaHandler } from '../../functions/slack/lambda';
import type { Db } from '../../functions/store/client';
import { saveDepartment } from '../../functions/store/departments';
import { readDirectory } from '../../functions/store/directory';
import { importExample } from '../support/company';
import { testConfig } from '../support/config';
import { dropTable, freshTable, testEndpoint } from '../support/db';
import { FakeSlack } from '../support/fake-slack';
import { FORM, httpApiEvent, signature, slashCommand } from '../support/slack-requests';

const NEWCOMER = 'U0NEWCOMER';
const context = { awsRequestId: 'req-1', functionName: 'kept-slack' } as Context;

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

/** A Slack function that has not started yet: its first request is a cold start. */
const coldHandler = (): SlackLambdaHandler =>
  createSlackLambdaHandler(
    async () => {
      const {
        SLACK_BOT_ID: _id,
        SLACK_BOT_USER_ID: _user,
        ...config
      } = testConfig({
        slackApiUrl: fake.url,
        table: db.table,
        endpoint: testEndpoint(),
      });
      return config;
    },
    outboxFromConfig,
    undefined,
    {
      // As the Lambda entry point says where the table is (from the environment): read beside the secrets.
      storeConfig: () => ({ KEPT_TABLE: db.table, DYNAMODB_ENDPOINT: testEndpoint() }),
    },
  );

async function sla(handler: SlackLambdaHandler, text: string, user: string) {
  const body = slashCommand({ text, user_id: user });
  const res = await handler(httpApiEvent(body, { 'content-type': FORM, ...signature(body) }), context);
  await handler.idle();
  return res;
}

const modalText = () => JSON.stringify(fake.lastModal());

it("the cold start's /sla new opens the form from the read started with the app", async () => {
  const handler = coldHandler();
  expect((await sla(handler, 'new', 'U0FINMEM1')).statusCode).toBe(200);
  expect(modalText()).toContain('Laptops and accounts'); // the form, with Finance's services from IT
  expect(modalText()).not.toContain('You are not in any department');
});

it("a department joined after the cold start shows in the next request's form", async () => {
  const handler = coldHandler();
  // The cold start's request does not read the directory; the read started for it is dropped.
  const help = await sla(handler, 'help', NEWCOMER);
  expect(help.statusCode).toBe(200);
  const dir = await readDirectory(db);
  const finance = dir.departments.find((d) => d.id === 'finance')!;
  await saveDepartment(db, { ...finance, members: [...finance.members, NEWCOMER] }, 'update', dir.rev, {
    by: 'U0FINHEAD',
    at: new Date().toISOString(),
    before: finance,
  });
  expect((await sla(handler, 'new', NEWCOMER)).statusCode).toBe(200);
  expect(modalText()).not.toContain('You are not in any department');
  expect(modalText()).toContain('Laptops and accounts');
});
