/**
 * The real Slack app behind the local front door, on a fresh table, talking to a fake Slack:
 * what every end-to-end test starts from.
 */
import { outboxFromConfig } from '../../functions/jobs/in-process-outbox';
import { freePort } from '../../functions/local/dynamodb-local';
import { createSlackHttp, type SlackHttp } from '../../functions/slack/http-server';
import type { Db } from '../../functions/store/client';
import { webListener } from '../../functions/web/node';
import { testConfig } from './config';
import { dropTable, freshTable, testEndpoint } from './db';
import { FakeSlack } from './fake-slack';

export interface RunningSlackApp {
  fake: FakeSlack;
  db: Db;
  http: SlackHttp;
  /** The events URL to post signed requests to. */
  url: string;
  /** Where the server listens, `http://127.0.0.1:PORT`. */
  base: string;
  stop(): Promise<void>;
}

/**
 * `now`: the clock the listeners read (default the real one). `web`: the web dashboard on the same
 * port, as `npm start` serves it (the port is chosen first, so `/sla web` links point at it).
 */
export async function startSlackApp(
  env: Record<string, string> = {},
  options: { now?: () => Date; web?: boolean } = {},
): Promise<RunningSlackApp> {
  const fake = await FakeSlack.start();
  const db = await freshTable();
  const port = options.web ? await freePort() : 0;
  const config = testConfig({
    slackApiUrl: fake.url,
    table: db.table,
    endpoint: testEndpoint(),
    env: { ...(options.web ? { PORT: String(port) } : {}), ...env },
  });
  const http = createSlackHttp({
    config,
    db,
    // No queue configured: the worker's work runs in this process, and http.idle() waits on it.
    outbox: outboxFromConfig(config, db),
    ...(options.now ? { now: options.now } : {}),
    ...(options.web ? { web: webListener({ config, db, ...(options.now ? { now: options.now } : {}) }) } : {}),
  });
  const base = await http.listen(port);
  const url = `${base}/slack/events`;
  return {
    fake,
    db,
    http,
    url,
    base,
    stop: async () => {
      // Work handed over after an answer must finish while the fake still listens: a Slack call
      // failing after the test file ends is logged into a finished test, which fails the run.
      await http.idle();
      await http.close();
      await fake.stop();
      await dropTable(db);
    },
  };
}
