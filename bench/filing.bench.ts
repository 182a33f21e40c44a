/**
 * (d) Filing a request: a signed view submission of the new-request modal through Kept's local
 * HTTP front door, on DynamoDB Local (in memory) with the example company imported. Measures the
 * time to Slack's answer and counts the DynamoDB calls made before it (budget: at most 3 round
 * trips). The work handed to the worker (card, DM) is not part of the answer, so the outbox here
 * only counts what it is given.
 *
 * Then the rush: N people (30, 50, 200) submit the form at the same moment, all to IT. Each answer's
 * time, errors (anything but Slack's empty 200), requests lost or doubled (counted in the table
 * afterwards) and the filing transactions tried again after colliding on IT's day counter.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { parseConfig } from '../functions/config';
import { startDynamoLocal } from '../functions/local/dynamodb-local';
import { createSlackHttp } from '../functions/slack/http-server';
import { IDS } from '../functions/slack/ids';
import { newRequestModal } from '../functions/slack/views/request-modals';
import { createDb, type Db } from '../functions/store/client';
import { readDirectory } from '../functions/store/directory';
import { ensureTable } from '../functions/store/table';
import type { Outbox } from '../functions/work/outbox';
import { importExample } from '../tests/support/company';
import { countCalls } from '../tests/support/db';
import {
  FORM,
  interactivity,
  SIGNING_SECRET,
  signature,
  stateOf,
  viewSubmission,
} from '../tests/support/slack-requests';
import { median, quantile, round, timeMs } from './stats';
import type { Bench, BenchResult } from './types';

const WARMUP = 50;
const N = 500;
const REQUESTER = 'U0FINMEM1';
const ROUND_TRIP_BUDGET = 3;
const P99_BUDGET_MS = 1_000;
const RUSHES = [30, 50, 200];
/** Slack closes the form only if the answer comes within 3 s. */
const RUSH_BUDGET_MS = 3_000;

/** Request items in the table, every page of a consistent scan. */
async function countRequests(db: Db): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(
      new ScanCommand({
        TableName: db.table,
        ConsistentRead: true,
        FilterExpression: 'sk = :req',
        ExpressionAttributeValues: { ':req': 'REQ' },
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

export const run: Bench = async () => {
  const dynamo = await startDynamoLocal();
  const db = createDb({ table: 'kept-bench', endpoint: dynamo.endpoint });
  const counter = countCalls(db);
  const sent: unknown[] = [];
  const outbox: Outbox = { send: async (item) => void sent.push(item), idle: async () => {} };
  const config = parseConfig({
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_BOT_ID: 'B0BENCH',
    SLACK_BOT_USER_ID: 'U0BENCH',
    SLACK_API_URL: 'http://127.0.0.1:9/api/',
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    KEPT_TABLE: db.table,
  });
  const http = createSlackHttp({ config, db, outbox });
  try {
    await ensureTable(db);
    await importExample(db);
    const dir = await readDirectory(db);
    const agreement = dir.agreements.find((a) => a.id === 'it-for-finance')!.active!;
    const view = newRequestModal({ choices: [{ agreement, providerName: 'IT' }], metadata: '{}' }) as unknown as Record<
      string,
      unknown
    >;
    const values = stateOf(view as { blocks: unknown[] }, {
      [IDS.requestPriorityBlock]: 'P2',
      [IDS.requestTitleBlock]: 'Laptop will not boot',
      [IDS.requestDescriptionBlock]: 'Black screen',
    });
    const url = `${await http.listen(0)}/slack/events`;

    let n = 0;
    const once = async (): Promise<number> => {
      const body = interactivity(viewSubmission(view, values, REQUESTER, `VBENCH${++n}`));
      const start = counter.count();
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': FORM, ...signature(body) }, body });
      const text = await res.text();
      if (res.status !== 200 || text !== '') throw new Error(`filing answered ${res.status} ${text}`);
      return counter.count() - start;
    };
    for (let i = 0; i < WARMUP; i++) await once();
    const latencies: number[] = [];
    const roundTrips: number[] = [];
    for (let i = 0; i < N; i++) {
      let trips = 0;
      latencies.push(await timeMs(async () => void (trips = await once())));
      roundTrips.push(trips);
    }
    if (sent.length !== WARMUP + N)
      throw new Error(`expected ${WARMUP + N} filings handed to the worker, got ${sent.length}`);
    const maxTrips = Math.max(...roundTrips);

    // The rush: every submission of one round sent at once, by the two people in Finance.
    let transactions = 0;
    db.raw.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand') transactions += 1;
        return next(args);
      },
      { step: 'initialize', name: 'countTransactions' },
    );
    const rushes: BenchResult[] = [];
    for (const people of RUSHES) {
      const before = await countRequests(db);
      const startTx = transactions;
      const bodies = Array.from({ length: people }, (_, i) =>
        interactivity(viewSubmission(view, values, i % 2 ? 'U0FINHEAD' : REQUESTER, `VRUSH${people}X${i}`)),
      );
      const answers = await Promise.all(
        bodies.map(async (body) => {
          let ok = false;
          const ms = await timeMs(async () => {
            const res = await fetch(url, {
              method: 'POST',
              headers: { 'content-type': FORM, ...signature(body) },
              body,
            });
            ok = res.status === 200 && (await res.text()) === '';
          });
          return { ms, ok };
        }),
      );
      const filed = (await countRequests(db)) - before;
      const ms = answers.map((a) => a.ms);
      const errors = answers.filter((a) => !a.ok).length;
      const p99Rush = quantile(ms, 0.99);
      rushes.push(
        { name: `filing_rush_${people}_latency_median`, value: round(median(ms)), unit: 'ms' },
        {
          name: `filing_rush_${people}_latency_p99`,
          value: round(p99Rush),
          unit: 'ms',
          budget: people <= 50 ? `<= ${RUSH_BUDGET_MS} ms (Slack's limit)` : undefined,
          ok: people <= 50 ? p99Rush <= RUSH_BUDGET_MS : undefined,
        },
        { name: `filing_rush_${people}_errors`, value: errors, unit: 'answers', budget: '0', ok: errors === 0 },
        {
          name: `filing_rush_${people}_lost_or_doubled`,
          value: Math.abs(filed - (people - errors)),
          unit: 'requests',
          budget: '0',
          ok: filed === people - errors,
        },
        { name: `filing_rush_${people}_transactions_retried`, value: transactions - startTx - filed, unit: 'tries' },
      );
    }
    const p99 = quantile(latencies, 0.99);
    return [
      { name: 'filing_submission_latency_median', value: round(median(latencies)), unit: 'ms' },
      {
        name: 'filing_submission_latency_p99',
        value: round(p99),
        unit: 'ms',
        budget: `<= ${P99_BUDGET_MS} ms (Slack waits 3 s)`,
        ok: p99 <= P99_BUDGET_MS,
      },
      {
        name: 'filing_dynamodb_calls_before_ack_max',
        value: maxTrips,
        unit: 'calls',
        budget: `<= ${ROUND_TRIP_BUDGET}`,
        ok: maxTrips <= ROUND_TRIP_BUDGET,
      },
      ...rushes.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as BenchResult),
    ];
  } finally {
    await http.close();
    db.raw.destroy();
    await dynamo.stop();
  }
};
