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
import { startDynamoLocal } from '../functions/local/dynamodb-local';
import { createSlackHttp } from '../functions/slack/http-server';
import { IDS } from '../functions/slack/ids';
import { newRequestModal } from '../functions/slack/views/request-modals';
import { createDb } from '../functions/store/client';
import { readDirectory } from '../functions/store/directory';
import { ensureTable } from '../functions/store/table';
import type { Outbox } from '../functions/work/outbox';
import { importExample } from '../tests/support/company';
import { interactivity, stateOf, viewSubmission } from '../tests/support/slack-requests';
import { median, quantile, round } from './stats';
import { benchConfig, countItems, sendSigned, tallyCalls } from './support';
import type { Bench, BenchResult } from './types';

const WARMUP = 50;
const N = 500;
const REQUESTER = 'U0FINMEM1';
const ROUND_TRIP_BUDGET = 3;
const P99_BUDGET_MS = 1_000;
const RUSHES = [30, 50, 200];
/** Slack closes the form only if the answer comes within 3 s. */
const RUSH_BUDGET_MS = 3_000;

export const run: Bench = async () => {
  const dynamo = await startDynamoLocal();
  const db = createDb({ table: 'kept-bench', endpoint: dynamo.endpoint });
  const tallies = tallyCalls(db);
  const tally = () => tallies.get('all') ?? { calls: 0, transactions: 0, refused: 0, ms: 0 };
  const sent: unknown[] = [];
  const outbox: Outbox = { send: async (item) => void sent.push(item), idle: async () => {} };
  const config = benchConfig({ endpoint: dynamo.endpoint, table: db.table });
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
    const once = async (): Promise<{ ms: number; trips: number }> => {
      const body = interactivity(viewSubmission(view, values, REQUESTER, `VBENCH${++n}`));
      const start = tally().calls;
      const answer = await sendSigned(url, body);
      if (answer.status !== 200 || answer.text !== '')
        throw new Error(`filing answered ${answer.status} ${answer.text}`);
      return { ms: answer.ms, trips: tally().calls - start };
    };
    for (let i = 0; i < WARMUP; i++) await once();
    const latencies: number[] = [];
    const roundTrips: number[] = [];
    for (let i = 0; i < N; i++) {
      const { ms, trips } = await once();
      latencies.push(ms);
      roundTrips.push(trips);
    }
    if (sent.length !== WARMUP + N)
      throw new Error(`expected ${WARMUP + N} filings handed to the worker, got ${sent.length}`);
    const maxTrips = Math.max(...roundTrips);

    // The rush: every submission of one round sent at once, by the two people in Finance.
    const rushes: BenchResult[] = [];
    for (const people of RUSHES) {
      const before = await countItems(db, 'REQ');
      const startTx = tally().transactions;
      const bodies = Array.from({ length: people }, (_, i) =>
        interactivity(viewSubmission(view, values, i % 2 ? 'U0FINHEAD' : REQUESTER, `VRUSH${people}X${i}`)),
      );
      const answers = await Promise.all(
        bodies.map(async (body) => {
          const answer = await sendSigned(url, body);
          return { ms: answer.ms, ok: answer.status === 200 && answer.text === '' };
        }),
      );
      const filed = (await countItems(db, 'REQ')) - before;
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
        {
          name: `filing_rush_${people}_transactions_retried`,
          value: tally().transactions - startTx - filed,
          unit: 'tries',
        },
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
