/**
 * (a) Latency of a signed `/sla help` through Kept's local HTTP front door, against the floor:
 * a bare Bolt app on its own HTTPReceiver that only acks (issue #22's budget: 1.2x). A second
 * bare app answers with the same help message, to tell the cost of sending the answer (4 KB)
 * from Kept's own. 1,000 sequential requests each, after 100 warm-up requests, one to each app in
 * turn so machine noise hits all alike (in blocks of 100, one slow spell could fall on one app).
 */

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { parseConfig } from '../functions/config';
import { outboxFromConfig } from '../functions/jobs/in-process-outbox';
import { createSlackHttp } from '../functions/slack/http-server';
import { helpMessage } from '../functions/slack/views/help';
import { createDb } from '../functions/store/client';
import { FORM, SIGNING_SECRET, signature, slashCommand } from '../tests/support/slack-requests';
import { median, quantile, round, timeMs } from './stats';
import type { Bench } from './types';

const N = 1000;

async function bareBolt(answer?: object): Promise<{ url: string; close(): Promise<void> }> {
  const receiver = new HTTPReceiver({ signingSecret: SIGNING_SECRET, logLevel: LogLevel.ERROR });
  const app = new App({
    receiver,
    token: 'xoxb-bench',
    botId: 'B0BENCH',
    botUserId: 'U0BENCH',
    tokenVerificationEnabled: false,
    logLevel: LogLevel.ERROR,
  });
  app.command('/sla', async ({ ack }) => ack(answer));
  const server = createServer(receiver.requestListener);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function keptApp(): Promise<{ url: string; close(): Promise<void> }> {
  const config = parseConfig({
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_BOT_ID: 'B0BENCH',
    SLACK_BOT_USER_ID: 'U0BENCH',
    SLACK_TEAM_ID: 'T0KEPT0001',
    SLACK_API_URL: 'http://127.0.0.1:9/api/',
    DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
  });
  const db = createDb({ table: 'kept', endpoint: 'http://127.0.0.1:9' });
  const http = createSlackHttp({ config, db, outbox: outboxFromConfig(config, db) });
  return { url: `${await http.listen(0)}/slack/events`, close: () => http.close() };
}

async function once(url: string): Promise<void> {
  const body = slashCommand({ text: 'help' });
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': FORM, ...signature(body) }, body });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`unexpected ${res.status}`);
}

export const run: Bench = async () => {
  const kept = await keptApp();
  const floor = await bareBolt();
  const same = await bareBolt({ response_type: 'ephemeral', ...helpMessage() });
  try {
    for (let i = 0; i < 100; i++) {
      await once(kept.url);
      await once(floor.url);
      await once(same.url);
    }
    const ours: number[] = [];
    const bare: number[] = [];
    const sameAnswer: number[] = [];
    const apps = [
      { url: kept.url, times: ours },
      { url: floor.url, times: bare },
      { url: same.url, times: sameAnswer },
    ];
    // One request to each app in turn, whoever goes first changing every round: a slow spell of
    // the machine falls on all three alike.
    for (let round = 0; round < N; round++)
      for (let k = 0; k < apps.length; k++) {
        const app = apps[(round + k) % apps.length]!;
        app.times.push(await timeMs(() => once(app.url)));
      }
    const m = median(ours);
    const mb = median(bare);
    const ms = median(sameAnswer);
    return [
      {
        name: 'slack_help_latency_median',
        value: round(m),
        unit: 'ms',
        baseline: round(mb),
        ratio: round(m / mb, 2),
        budget: '<= 1.2x ack-only Bolt',
        ok: m / mb <= 1.2,
      },
      {
        name: 'slack_help_latency_median_vs_same_answer',
        value: round(m),
        unit: 'ms',
        baseline: round(ms),
        ratio: round(m / ms, 2),
      },
      {
        name: 'slack_help_latency_p99',
        value: round(quantile(ours, 0.99)),
        unit: 'ms',
        baseline: round(quantile(bare, 0.99)),
        ratio: round(quantile(ours, 0.99) / quantile(bare, 0.99), 2),
      },
    ];
  } finally {
    await kept.close();
    await floor.close();
    await same.close();
  }
};
