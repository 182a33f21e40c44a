/** A fresh table per test file on the run's shared DynamoDB Local. */
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { createDb, type Db } from '../../functions/store/client';
import { ScanCommand } from '../../functions/store/commands';
import { ensureTable } from '../../functions/store/table';

export function testEndpoint(): string {
  const endpoint = process.env.KEPT_TEST_DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('DynamoDB Local is not running: the jest globalSetup starts it');
  return endpoint;
}

export async function freshTable(): Promise<Db> {
  const db = createDb({ table: `t-${randomUUID()}`, endpoint: testEndpoint() });
  await ensureTable(db);
  return db;
}

export async function dropTable(db: Db): Promise<void> {
  await (await db.admin()).send(new DeleteTableCommand({ TableName: db.table })).catch(() => {});
  db.raw.destroy();
}

/** Every item in the table (tests only: the app itself never scans). */
export async function allItems(db: Db): Promise<Record<string, unknown>[]> {
  const out = await db.doc.send(new ScanCommand({ TableName: db.table, ConsistentRead: true }));
  return out.Items ?? [];
}

/** Counts every DynamoDB call `db` makes from now on (a middleware on its client); `count()` reads it. */
export function countCalls(db: Db): { count: () => number } {
  let calls = 0;
  db.raw.middlewareStack.add(
    (next) => async (args) => {
      calls += 1;
      return next(args);
    },
    { step: 'initialize', name: 'countCalls' },
  );
  return { count: () => calls };
}
