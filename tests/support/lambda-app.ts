/**
 * Kept's Slack function as AWS runs it, for the e2e tests of the production path: the real Lambda
 * handler (AwsLambdaReceiver answers only when the listener ends) on a fresh DynamoDB Local table,
 * with the fake Slack, bot IDs unset, and the work done in this process after the answer (no queue
 * configured) unless a test builds its own handler. `post` sends a signed API Gateway event.
 */
import type { Context } from 'aws-lambda';
import { outboxFromConfig } from '../../functions/jobs/in-process-outbox';
import { createSlackLambdaHandler, type SlackLambdaHandler } from '../../functions/slack/lambda';
import type { Db } from '../../functions/store/client';
import { testConfig, withoutBotIds } from './config';
import { dropTable, freshTable, testEndpoint } from './db';
import { FakeSlack } from './fake-slack';
import { FORM, httpApiEvent, signature } from './slack-requests';

export const LAMBDA_CONTEXT = { awsRequestId: 'req-1', functionName: 'kept-slack' } as Context;

export interface LambdaApp {
  fake: FakeSlack;
  db: Db;
  handler: SlackLambdaHandler;
  /** A signed event with `body` (form-encoded unless told), answered 200, its work done. */
  post(body: string, contentType?: string): Promise<Awaited<ReturnType<SlackLambdaHandler>>>;
  stop(): Promise<void>;
}

/**
 * The Slack function as its Lambda entry point builds it, not started yet (its first request is a
 * cold start): the table known before the secrets, so the directory is read beside them.
 */
export function lambdaHandler(fake: FakeSlack, db: Db): SlackLambdaHandler {
  return createSlackLambdaHandler(
    // As the stack deploys it: Kept learns the bot's IDs from auth.test on the first event.
    async () => withoutBotIds(testConfig({ slackApiUrl: fake.url, table: db.table, endpoint: testEndpoint() })),
    outboxFromConfig,
    undefined,
    { storeConfig: () => ({ KEPT_TABLE: db.table, DYNAMODB_ENDPOINT: testEndpoint() }) },
  );
}

/** Starts the fake Slack and a fresh table, seeds it with `seed`, and builds the handler. */
export async function startLambdaApp(seed: (db: Db) => Promise<unknown>): Promise<LambdaApp> {
  const fake = await FakeSlack.start();
  const db = await freshTable();
  await seed(db);
  const handler = lambdaHandler(fake, db);
  return {
    fake,
    db,
    handler,
    async post(body, contentType = FORM) {
      const res = await handler(
        httpApiEvent(body, { 'content-type': contentType, ...signature(body) }),
        LAMBDA_CONTEXT,
      );
      expect(res.statusCode).toBe(200);
      await handler.idle();
      return res;
    },
    async stop() {
      await handler.idle();
      await fake.stop();
      await dropTable(db);
    },
  };
}
