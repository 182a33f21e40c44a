/**
 * Talking inside a request (issue #16): signed `message` events through Kept's local HTTP front
 * door, on DynamoDB Local with the example company imported and a fake Slack on 127.0.0.1, the
 * worker's work run in this process.
 *
 * - Relay latency: from sending an IT member's reply under a card to the requester's DM being
 *   posted (the front door's answer, the listener, the worker's posts), median and p99 over N
 *   replies spread over K requests.
 * - DynamoDB calls per relayed message, counted apart: the listener's (budget: at most 3) and the
 *   worker's (posting, remembering what it posted, the scan's index).
 * - A message that is not a reply under a card or request DM (the bulk of message events): its
 *   DynamoDB calls (budget: none) and its answer time.
 */
import { parseConfig } from '../functions/config';
import { outboxFromConfig } from '../functions/jobs/in-process-outbox';
import { startDynamoLocal } from '../functions/local/dynamodb-local';
import { createSlackHttp } from '../functions/slack/http-server';
import { IDS } from '../functions/slack/ids';
import { newRequestModal } from '../functions/slack/views/request-modals';
import { createDb } from '../functions/store/client';
import { readDirectory } from '../functions/store/directory';
import { getRequestRecord } from '../functions/store/requests';
import { ensureTable } from '../functions/store/table';
import { importExample } from '../tests/support/company';
import { countCalls } from '../tests/support/db';
import { BOT, FakeSlack } from '../tests/support/fake-slack';
import {
  eventEnvelope,
  FORM,
  interactivity,
  JSON_TYPE,
  SIGNING_SECRET,
  signature,
  stateOf,
  viewSubmission,
} from '../tests/support/slack-requests';
import { median, quantile, round, timeMs } from './stats';
import type { Bench } from './types';

const K = 20;
const N = 200;
const OTHER = 1_000;
const LISTENER_BUDGET = 3;

export const run: Bench = async () => {
  const dynamo = await startDynamoLocal();
  const fake = await FakeSlack.start();
  const table = 'kept-relay-bench';
  // Two clients on one table: the Slack side's calls and the worker's are counted apart.
  const db = createDb({ table, endpoint: dynamo.endpoint });
  const workerDb = createDb({ table, endpoint: dynamo.endpoint });
  const config = parseConfig({
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_BOT_ID: BOT.botId,
    SLACK_BOT_USER_ID: BOT.userId,
    SLACK_TEAM_ID: BOT.teamId,
    SLACK_API_URL: fake.url,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    KEPT_TABLE: table,
  });
  const http = createSlackHttp({ config, db, outbox: outboxFromConfig(config, workerDb) });
  try {
    await ensureTable(db);
    await importExample(db);
    const url = `${await http.listen(0)}/slack/events`;
    const post = async (body: string, type: string) => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': type, ...signature(body) }, body });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`answered ${res.status}`);
    };

    const agreement = (await readDirectory(db)).agreements.find((a) => a.id === 'it-for-finance')!.active!;
    const view = newRequestModal({ choices: [{ agreement, providerName: 'IT' }], metadata: '{}' }) as unknown as Record<
      string,
      unknown
    >;
    const values = stateOf(view as { blocks: unknown[] }, {
      [IDS.requestPriorityBlock]: 'P2',
      [IDS.requestTitleBlock]: 'Monitor flickers',
    });
    const threads: { card: { channel: string; ts: string }; dm: { channel: string; ts: string } }[] = [];
    for (let i = 1; i <= K; i++) {
      await post(interactivity(viewSubmission(view, values, 'U0FINMEM1', `VRELAY${i}`)), FORM);
      await http.idle();
      const record = (await getRequestRecord(db, `IT-${i}`))!;
      threads.push({ card: record.card!, dm: record.dm! });
    }

    const listener = countCalls(db);
    const worker = countCalls(workerDb);
    let tsNo = 0;
    const message = (channel: string, extra: Record<string, unknown>) => {
      const ts = `1790000000.${String(++tsNo).padStart(6, '0')}`;
      return eventEnvelope({
        type: 'message',
        channel,
        user: 'U0ITMEM01',
        text: 'Which port?',
        ts,
        event_ts: ts,
        ...extra,
      });
    };

    const latencies: number[] = [];
    let listenerCalls = 0;
    let workerCalls = 0;
    for (let i = 0; i < N; i++) {
      const { card, dm } = threads[i % K]!;
      const body = message(card.channel, { thread_ts: card.ts, parent_user_id: BOT.userId, channel_type: 'channel' });
      const before = fake.callsTo('chat.postMessage').filter((c) => c.args.channel === dm.channel).length;
      const [l0, w0] = [listener.count(), worker.count()];
      latencies.push(
        await timeMs(async () => {
          await post(body, JSON_TYPE);
          await http.idle();
        }),
      );
      listenerCalls = Math.max(listenerCalls, listener.count() - l0);
      workerCalls += worker.count() - w0;
      const after = fake.callsTo('chat.postMessage').filter((c) => c.args.channel === dm.channel).length;
      if (after !== before + 1) throw new Error(`reply ${i} relayed ${after - before} times`);
    }

    const l1 = listener.count() + worker.count();
    const other: number[] = [];
    for (let i = 0; i < OTHER; i++) {
      const body = message('C0ITQUEUE', i % 2 ? {} : { thread_ts: '1780000000.000001', parent_user_id: 'U0ITMEM02' });
      other.push(await timeMs(() => post(body, JSON_TYPE)));
    }
    await http.idle();
    const otherCalls = listener.count() + worker.count() - l1;

    return [
      { name: 'relay_latency_median', value: round(median(latencies)), unit: 'ms' },
      { name: 'relay_latency_p99', value: round(quantile(latencies, 0.99)), unit: 'ms' },
      {
        name: 'relay_dynamodb_calls_listener_max',
        value: listenerCalls,
        unit: 'calls',
        budget: `<= ${LISTENER_BUDGET}`,
        ok: listenerCalls <= LISTENER_BUDGET,
      },
      { name: 'relay_dynamodb_calls_worker_mean', value: round(workerCalls / N, 1), unit: 'calls' },
      {
        name: 'relay_other_message_dynamodb_calls',
        value: otherCalls,
        unit: `calls/${OTHER}`,
        budget: '0',
        ok: otherCalls === 0,
      },
      { name: 'relay_other_message_answer_median', value: round(median(other)), unit: 'ms' },
    ];
  } finally {
    await http.idle();
    await http.close();
    await fake.stop();
    await dynamo.stop();
  }
};
