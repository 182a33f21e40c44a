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

export interface DbOptions {
  table: string;
  /** DynamoDB Local (or any endpoint); omitted in AWS. */
  endpoint?: string;
}

/** The table named by the configuration (DYNAMODB_ENDPOINT set locally, unset in AWS). */
export function dbFromConfig(config: { KEPT_TABLE: string; DYNAMODB_ENDPOINT?: string }): Db {
  return createDb({ table: config.KEPT_TABLE, endpoint: config.DYNAMODB_ENDPOINT });
}

export function createDb({ table, endpoint }: DbOptions): Db {
  const local = endpoint !== undefined;
  const raw = new DynamoDBClient({
    ...(local
      ? {
          endpoint,
          region: process.env.AWS_REGION ?? 'local',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
    maxAttempts: 3,
    requestHandler: {
      requestTimeout: 3_000,
      connectionTimeout: 1_000,
      // Without it the SDK only logs a warning when the timeout passes, and waits on.
      throwOnRequestTimeout: true,
      ...(local
        ? { httpAgent: new Agent({ keepAlive: true, maxSockets: 50 }) }
        : { httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 50 }) }),
    },
  });
  const doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  return { doc, raw, table };
}
