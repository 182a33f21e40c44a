/** The DynamoDB clients: one per process, keep-alive, explicit timeouts and bounded retries. */

import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface Db {
  doc: DynamoDBDocumentClient;
  raw: DynamoDBClient;
  table: string;
}

/**
 * How long one DynamoDB call may take. A job has minutes and waits out a slow moment (3 s per try,
 * 3 tries). A Slack answer has 3 seconds in all: a try that takes longer than 800 ms is given up and
 * tried once more, so one call never costs much more than 1.7 s and the person still hears from Kept
 * in time ("please try again") when DynamoDB is slow or gone.
 */
export const DB_BUDGETS = {
  job: { requestTimeout: 3_000, connectionTimeout: 1_000, maxAttempts: 3 },
  slack: { requestTimeout: 800, connectionTimeout: 300, maxAttempts: 2 },
} as const;
export type DbBudget = keyof typeof DB_BUDGETS;

export interface DbOptions {
  table: string;
  /** DynamoDB Local (or any endpoint); omitted in AWS. */
  endpoint?: string;
  /** `job` unless the caller answers Slack while it waits. */
  budget?: DbBudget;
}

/** The table named by the configuration (DYNAMODB_ENDPOINT set locally, unset in AWS). */
export function dbFromConfig(config: { KEPT_TABLE: string; DYNAMODB_ENDPOINT?: string }, budget?: DbBudget): Db {
  return createDb({ table: config.KEPT_TABLE, endpoint: config.DYNAMODB_ENDPOINT, ...(budget ? { budget } : {}) });
}

/**
 * The clients are built on first use (issue #22): a Slack command that never reads the table
 * (`/sla help`) does not build them on a cold start. One pair per Db, as before.
 */
export function createDb({ table, endpoint, budget = 'job' }: DbOptions): Db {
  let built: { doc: DynamoDBDocumentClient; raw: DynamoDBClient } | undefined;
  const clients = () => {
    built ??= buildClients(endpoint, budget);
    return built;
  };
  return {
    table,
    get doc() {
      return clients().doc;
    },
    get raw() {
      return clients().raw;
    },
  };
}

function buildClients(
  endpoint: string | undefined,
  budget: DbBudget,
): { doc: DynamoDBDocumentClient; raw: DynamoDBClient } {
  const { requestTimeout, connectionTimeout, maxAttempts } = DB_BUDGETS[budget];
  const local = endpoint !== undefined;
  const raw = new DynamoDBClient({
    ...(local
      ? {
          endpoint,
          region: process.env.AWS_REGION ?? 'local',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
    maxAttempts,
    requestHandler: {
      requestTimeout,
      connectionTimeout,
      // Without it the SDK only logs a warning when the timeout passes, and waits on.
      throwOnRequestTimeout: true,
      ...(local
        ? { httpAgent: new Agent({ keepAlive: true, maxSockets: 50 }) }
        : { httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 50 }) }),
    },
  });
  const doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  return { doc, raw };
}
