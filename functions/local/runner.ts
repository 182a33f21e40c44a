/**
 * `npm start`: the whole of Kept on one machine. The HTTP front door listens first (so
 * /healthz can say 503 while the database warms up), then DynamoDB Local starts from
 * `.kept/` (or DYNAMODB_ENDPOINT is used), the table is created if missing, and the
 * in-process scheduler starts.
 */

import { rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { type App, LogLevel, SocketModeReceiver } from '@slack/bolt';
import type { Config } from '../config';
import { digestSlackClient } from '../jobs/digest';
import { outboxFromConfig } from '../jobs/in-process-outbox';
import { DIGEST_EVERY_MINUTES } from '../jobs/schedule';
import { createSlackApp } from '../slack/app';
import { createSlackHttp, SLACK_EVENTS_PATH } from '../slack/http-server';
import { createDb, type Db } from '../store/client';
import { ensureTable } from '../store/table';
import { webListener } from '../web/node';
import type { Outbox } from '../work/outbox';
import { type DynamoLocal, startDynamoLocal } from './dynamodb-local';
import { Answering, giveWayToAnswers } from './lanes';
import { type LocalScheduler, startScheduler } from './scheduler';

export interface RunningKept {
  url: string;
  endpoint: string;
  app: App;
  /** Resolves when the listeners running and the work they handed over are done. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** Where `npm start` writes the endpoint of its DynamoDB Local, so `kept` commands can use it. */
export function endpointFile(config: Pick<Config, 'KEPT_DATA_DIR'>): string {
  return path.resolve(config.KEPT_DATA_DIR, 'dynamodb-endpoint');
}

/** What the playground adds to Kept (functions/local/playground): its clock, its pages, and a company on first start. */
export interface LocalExtras {
  /** Kept's clock (default the real one). */
  now?: () => Date;
  /** Serves the paths other than Slack's and /healthz. */
  web?: (req: IncomingMessage, res: ServerResponse) => void;
  /** The playground: Slack's request URL is not for anyone to set up. */
  noSlackApp?: boolean;
  /** Runs once the table is there, before the scheduler starts. */
  ready?: (db: Db, outbox: Outbox) => Promise<void>;
}

export async function startKept(
  config: Config,
  say: (line: string) => void = () => {},
  extras: LocalExtras = {},
): Promise<RunningKept> {
  let dynamo: DynamoLocal | undefined;
  let scheduler: LocalScheduler | undefined;
  let http: ReturnType<typeof createSlackHttp> | undefined;
  let socketApp: App | undefined;
  const stop = async () => {
    scheduler?.stop();
    await socketApp?.stop().catch(() => {});
    // Let running listeners finish and mark their events done: an event left leased would be
    // refused (and sent again later by Slack) until its lease runs out.
    await http?.idle();
    await http?.close();
    if (dynamo) rmSync(endpointFile(config), { force: true });
    await dynamo?.stop();
  };
  try {
    let endpoint = config.DYNAMODB_ENDPOINT;
    if (!endpoint) {
      const dataDir = path.resolve(config.KEPT_DATA_DIR, 'dynamodb');
      dynamo = await startDynamoLocal({ dataDir });
      endpoint = dynamo.endpoint;
      writeFileSync(endpointFile(config), endpoint);
      say(`DynamoDB Local is running at ${endpoint}, keeping its data in ${dataDir}`);
    }
    const db = createDb({ table: config.KEPT_TABLE, endpoint });
    // The worker's items, the scan and the digest give way to the people waiting on an answer.
    const answering = new Answering();
    giveWayToAnswers(db, answering);
    // The Slack app answers while people wait, with the tight budget the Slack Lambda has.
    const slackDb = createDb({ table: config.KEPT_TABLE, endpoint, budget: 'slack' });
    // One outbox for the Slack app and the scheduled jobs: the worker's work runs in this process.
    const outbox = outboxFromConfig(config, db);
    socketApp = config.SLACK_APP_TOKEN
      ? createSlackApp({
          config,
          db: slackDb,
          outbox,
          receiver: new SocketModeReceiver({ appToken: config.SLACK_APP_TOKEN, logLevel: LogLevel.WARN }),
        })
      : undefined;
    // The web dashboard on the same port: /web and below always; the other paths are the
    // playground's when it runs, else the dashboard's (its GET / leads to /web).
    const dashboard = webListener({ config, db: slackDb, ...(extras.now ? { now: extras.now } : {}) });
    const web = (req: IncomingMessage, res: ServerResponse) => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      const mine = path === '/web' || path.startsWith('/web/');
      return (mine || !extras.web ? dashboard : extras.web)(req, res);
    };
    http = createSlackHttp({
      config,
      db: slackDb,
      outbox,
      answering,
      web,
      ...(extras.now ? { now: extras.now } : {}),
      health: () => ({ scheduler: scheduler ? scheduler.status() : 'off' }),
      ...(socketApp ? { socketMode: { app: socketApp } } : {}),
    });
    const url = await http.listen(config.PORT);
    say(`Kept is listening on ${url} (health: ${url}/healthz)`);
    say(`The web dashboard is at ${url}/web (sign in with /sla web)`);

    const table = await ensureTable(db);
    say(table === 'created' ? `Created table "${db.table}"` : `Using table "${db.table}"`);
    await extras.ready?.(db, outbox);
    if (config.KEPT_SCHEDULER === 'on') {
      scheduler = startScheduler(
        {
          db,
          outbox,
          slack: digestSlackClient(config),
          ...(config.KEPT_RETENTION_MONTHS !== undefined ? { retentionMonths: config.KEPT_RETENTION_MONTHS } : {}),
        },
        extras.now,
      );
      say(
        `Scheduler is on: breach scan every minute, weekly digest checked every ${DIGEST_EVERY_MINUTES} minutes (each channel at its own weekday and time)`,
      );
    }
    if (socketApp) {
      await socketApp.start();
      say('Connected to Slack over Socket Mode');
    } else if (!extras.noSlackApp) {
      say(
        `Slack request URL: ${url}${SLACK_EVENTS_PATH} (expose it with a tunnel, or set SLACK_APP_TOKEN for Socket Mode)`,
      );
    }
    return { url, endpoint, app: http.app, stop, idle: () => http!.idle() };
  } catch (err) {
    await stop();
    throw err;
  }
}
