/** Creating and probing Kept's table (local runner, tests and /healthz). */
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { Db } from './client';
import { createTableInput, TTL_ATTRIBUTE } from './schema';

/** True when the table exists and is ACTIVE. Never throws. */
export async function tableAnswers(db: Db): Promise<boolean> {
  try {
    const out = await (await db.admin()).send(new DescribeTableCommand({ TableName: db.table }));
    return out.Table?.TableStatus === 'ACTIVE';
  } catch {
    return false;
  }
}

/**
 * Creates the table and its indexes when missing (same definition as the CDK stack). A table made
 * by an older Kept gets the indexes added since, one at a time, as a stack update would.
 */
export async function ensureTable(db: Db): Promise<'created' | 'existed'> {
  try {
    const out = await (await db.admin()).send(new DescribeTableCommand({ TableName: db.table }));
    await addMissingIndexes(db, new Set((out.Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName)));
    return 'existed';
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
  }
  try {
    await (await db.admin()).send(new CreateTableCommand(createTableInput(db.table)));
  } catch (err) {
    if (err instanceof ResourceInUseException) return 'existed';
    throw err;
  }
  await (await db.admin()).send(
    new UpdateTimeToLiveCommand({
      TableName: db.table,
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
    }),
  );
  return 'created';
}

const INDEX_READY_TIMEOUT_MS = 60_000;

/** Waits (bounded) until every index of the table can be queried. */
async function indexesReady(db: Db): Promise<void> {
  const deadline = Date.now() + INDEX_READY_TIMEOUT_MS;
  for (;;) {
    const out = await (await db.admin()).send(new DescribeTableCommand({ TableName: db.table }));
    if ((out.Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE')) return;
    if (Date.now() > deadline)
      throw new Error(`the indexes of ${db.table} are not ready after ${INDEX_READY_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function addMissingIndexes(db: Db, present: ReadonlySet<string | undefined>): Promise<void> {
  const wanted = createTableInput(db.table);
  for (const index of wanted.GlobalSecondaryIndexes ?? []) {
    if (present.has(index.IndexName)) continue;
    const names = new Set(index.KeySchema!.map((k) => k.AttributeName));
    await (await db.admin()).send(
      new UpdateTableCommand({
        TableName: db.table,
        AttributeDefinitions: wanted.AttributeDefinitions!.filter((a) => names.has(a.AttributeName)),
        GlobalSecondaryIndexUpdates: [
          { Create: { IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection } },
        ],
      }),
    );
    await indexesReady(db); // one index at a time, as DynamoDB requires
  }
}
