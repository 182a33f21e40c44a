/** Creating and probing Kept's table (local runner, tests and /healthz). */
import { CreateTableCommand, DescribeTableCommand, ResourceInUseException, ResourceNotFoundException, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import type { Db } from './client';
import { createTableInput, TTL_ATTRIBUTE } from './schema';

/** True when the table exists and is ACTIVE. Never throws. */
export async function tableAnswers(db: Db): Promise<boolean> {
  try {
    const out = await db.raw.send(new DescribeTableCommand({ TableName: db.table }));
    return out.Table?.TableStatus === 'ACTIVE';
  } catch {
    return false;
  }
}

/** Creates the table and its indexes when missing (same definition as the CDK stack). */
export async function ensureTable(db: Db): Promise<'created' | 'existed'> {
  try {
    await db.raw.send(new DescribeTableCommand({ TableName: db.table }));
    return 'existed';
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
  }
  try {
    await db.raw.send(new CreateTableCommand(createTableInput(db.table)));
  } catch (err) {
    if (err instanceof ResourceInUseException) return 'existed';
    throw err;
  }
  await db.raw.send(new UpdateTimeToLiveCommand({ TableName: db.table, TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true } }));
  return 'created';
}
