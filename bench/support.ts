/**
 * What the benches that drive Kept through its local front door share: the config they start it
 * with, signed posts timed to Slack's answer, counts read back from the table, batch seeding, and a
 * tally of the DynamoDB calls and transactions the client makes.
 */

import { type Config, parseConfig } from '../functions/config';
import type { Request } from '../functions/domain/request';
import { nextWatch } from '../functions/domain/watch';
import type { Db } from '../functions/store/client';
import { BatchWriteCommand, ScanCommand } from '../functions/store/commands';
import { requestItem } from '../functions/store/requests';
import { isAwsError } from '../functions/store/transact';
import { FORM, SIGNING_SECRET, signature } from '../tests/support/slack-requests';

export interface BenchSetup {
  endpoint: string;
  table: string;
  /** Where Kept's Slack calls go; nowhere (a closed port) by default. */
  slackApiUrl?: string;
}

/** Kept's environment for a bench, as `.env` would give it to `npm start`: the test signing secret, DynamoDB Local, the scheduler off. */
export function benchEnv({
  endpoint,
  table,
  slackApiUrl = 'http://127.0.0.1:9/api/',
}: BenchSetup): Record<string, string> {
  return {
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_BOT_ID: 'B0BENCH',
    SLACK_BOT_USER_ID: 'U0BENCH',
    SLACK_TEAM_ID: 'T0KEPT0001',
    SLACK_API_URL: slackApiUrl,
    DYNAMODB_ENDPOINT: endpoint,
    KEPT_TABLE: table,
    KEPT_SCHEDULER: 'off',
  };
}

/** Kept's config for a bench (see benchEnv). */
export function benchConfig(setup: BenchSetup): Config {
  return parseConfig(benchEnv(setup));
}

export interface Answer {
  status: number;
  text: string;
  /** From sending the request to the whole answer read: what Slack waits for. */
  ms: number;
}

/** How long a bench waits for an answer before it counts the request as failed (Slack gives up after 3 s). */
export const ANSWER_TIMEOUT_MS = 30_000;

/**
 * POSTs `body` to the front door, signed as Slack signs it, and times the answer. A request that
 * fails or times out comes back as status 0 with the reason as its text. `x-bench-sent` says when it
 * left (ms since the epoch, with fractions), for a server that wants to know how long it waited.
 */
export async function sendSigned(
  url: string,
  body: string,
  { contentType = FORM, headers = {} }: { contentType?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const start = performance.now();
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        ...signature(body),
        'x-bench-sent': String(performance.timeOrigin + start),
        ...headers,
      },
      body,
      signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
    });
    const text = await res.text();
    return { status: res.status, text, ms: performance.now() - start };
  } catch (err) {
    return { status: 0, text: (err as Error).message, ms: performance.now() - start };
  }
}

/** Items whose sort key is `sk`, every page of a consistent scan (benches only: the app never scans). */
export async function countItems(db: Db, sk: string): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(
      new ScanCommand({
        TableName: db.table,
        ConsistentRead: true,
        FilterExpression: 'sk = :sk',
        ExpressionAttributeValues: { ':sk': sk },
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

/** Writes `items` 25 at a time, sending again whatever DynamoDB left unprocessed. */
export async function batchWrite(
  db: Db,
  items: Record<string, unknown>[],
  progress?: (written: number) => void,
): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let batch: Record<string, unknown> = {
      [db.table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
    };
    while (Object.keys(batch).length > 0) {
      const out = await db.doc.send(new BatchWriteCommand({ RequestItems: batch as never }));
      batch = (out.UnprocessedItems ?? {}) as Record<string, unknown>;
    }
    progress?.(i);
  }
}

/**
 * A filed request as the worker leaves it once Slack has heard of the filing: the scan checks it
 * next at its first deadline (or warning).
 */
export function announcedRequestItem(request: Request): Record<string, unknown> {
  return { ...requestItem(request), gsi1sk: new Date(nextWatch(request)!).toISOString() };
}

/** What a client made: calls of every kind, transactions tried, transactions DynamoDB refused (a condition or a conflict), and the time spent waiting for them all. */
export interface CallTally {
  calls: number;
  transactions: number;
  refused: number;
  ms: number;
}

let tallyCount = 0;

/**
 * Tallies every call `db` makes from now on (a middleware on its client), under the label `labelOf`
 * gives at the moment of the call, told the command's name ('all' unless told).
 */
export function tallyCalls(
  db: Db,
  labelOf: (command: string) => string = () => 'all',
  tallies = new Map<string, CallTally>(),
): Map<string, CallTally> {
  db.raw.middlewareStack.add(
    (next, context) => async (args) => {
      const label = labelOf(context.commandName ?? 'unknown');
      let tally = tallies.get(label);
      if (!tally) tallies.set(label, (tally = { calls: 0, transactions: 0, refused: 0, ms: 0 }));
      tally.calls += 1;
      const transaction = context.commandName === 'TransactWriteItemsCommand';
      if (transaction) tally.transactions += 1;
      const start = performance.now();
      try {
        return await next(args);
      } catch (err) {
        if (transaction && isAwsError(err, 'TransactionCanceledException')) tally.refused += 1;
        throw err;
      } finally {
        tally.ms += performance.now() - start;
      }
    },
    { step: 'initialize', name: `benchTally${++tallyCount}` },
  );
  return tallies;
}
