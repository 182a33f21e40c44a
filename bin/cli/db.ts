/**
 * Which database a `kept` command uses: with KEPT_DATABASE=aws the deployed table KEPT_TABLE names,
 * reached with the caller's AWS credentials and region (never created here: the stack owns it);
 * else DYNAMODB_ENDPOINT when set; else the DynamoDB Local of a running `npm start` (it writes its
 * endpoint to .kept/); else a DynamoDB Local of its own on the same .kept/ data, stopped when the
 * command ends.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { StoreConfig } from '../../functions/config';
import { startDynamoLocal } from '../../functions/local/dynamodb-local';
import { endpointFile } from '../../functions/local/runner';
import { createDb, type Db } from '../../functions/store/client';
import { ensureTable, tableAnswers } from '../../functions/store/table';

export async function withDb<T>(config: StoreConfig, work: (db: Db) => Promise<T>): Promise<T> {
  if (config.KEPT_DATABASE === 'aws') {
    const db = createDb({ table: config.KEPT_TABLE });
    if (!(await tableAnswers(db))) {
      throw new Error(
        `the table "${config.KEPT_TABLE}" did not answer in AWS; set KEPT_TABLE to the stack's TableName output, and AWS_REGION and credentials for its account`,
      );
    }
    return work(db);
  }
  const candidates = [
    config.DYNAMODB_ENDPOINT,
    existsSync(endpointFile(config)) ? readFileSync(endpointFile(config), 'utf8').trim() : undefined,
  ];
  for (const endpoint of candidates) {
    if (!endpoint) continue;
    const db = createDb({ table: config.KEPT_TABLE, endpoint });
    if (endpoint === config.DYNAMODB_ENDPOINT || (await tableAnswers(db))) return work(db);
  }
  const local = await startDynamoLocal({ dataDir: path.resolve(config.KEPT_DATA_DIR, 'dynamodb') });
  try {
    const db = createDb({ table: config.KEPT_TABLE, endpoint: local.endpoint });
    await ensureTable(db);
    return await work(db);
  } finally {
    await local.stop();
  }
}
