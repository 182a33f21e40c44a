/**
 * The plumbing every aggregate's writes and reads share: transactions that fail with the reasons
 * DynamoDB gave, queries read to their last page, and conditional writes whose failed condition
 * is an answer rather than an error.
 */
import type { Db } from './client';
import {
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from './commands';

/** An item as the document client returns it. */
type Item = NonNullable<QueryCommandOutput['Items']>[number];

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A transaction was refused by one of its conditions; `reasons` are DynamoDB's, per item. */
export class WriteConflictError extends Error {
  constructor(readonly reasons: (string | undefined)[]) {
    super(`a condition failed: ${reasons.map((r) => r ?? 'None').join(', ')}`);
    this.name = 'WriteConflictError';
  }
}

/**
 * The pause before try `attempt + 1` of a write that collided with another: "full jitter" (a random
 * time up to 10 ms doubled each try, at most 250 ms), so writers that collided once spread out
 * instead of colliding again in step.
 */
export function backoffMs(attempt: number): number {
  return Math.random() * Math.min(250, 10 * 2 ** attempt);
}

/** An error AWS answered with, by its type's name (as the AWS SDK and store/client.ts name them). */
export function isAwsError(err: unknown, name: string): boolean {
  return err instanceof Error && err.name === name;
}

export async function transact(db: Db, items: TransactItem[]): Promise<void> {
  try {
    await db.doc.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (err) {
    if (isAwsError(err, 'TransactionCanceledException')) {
      const cancelled = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
      const reasons = (cancelled ?? []).map((r) => r.Code);
      // TransactionConflict: another transaction was writing the same item at that moment (AWS
      // reports it instead of a failed condition); read again and decide again, like a failed condition.
      if (reasons.some((r) => r === 'ConditionalCheckFailed' || r === 'TransactionConflict'))
        throw new WriteConflictError(reasons);
    }
    throw err;
  }
}

/**
 * The items of a Query, one page at a time, to the last page; with `max`, only until `max` items
 * have come (each page then asks for no more than are still wanted). Each page is one call.
 */
export async function* queryPages(
  db: Db,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
  max = Number.POSITIVE_INFINITY,
): AsyncGenerator<Item[]> {
  let start: Record<string, unknown> | undefined;
  let count = 0;
  do {
    const page = await db.doc.send(
      new QueryCommand({
        ...input,
        ...(start ? { ExclusiveStartKey: start } : {}),
        ...(max < Number.POSITIVE_INFINITY ? { Limit: max - count } : {}),
      }),
    );
    const items = page.Items ?? [];
    count += items.length;
    yield items;
    start = page.LastEvaluatedKey;
  } while (start && count < max);
}

/** Every item of a Query, all pages read (or the first `max`, as `queryPages`). */
export async function queryAll(
  db: Db,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
  max?: number,
): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of queryPages(db, input, max)) items.push(...page);
  return items;
}

/**
 * Runs a conditional write whose failed condition is an answer, not an error: true when the write
 * went through, false when DynamoDB refused it on its condition. Any other error is thrown.
 */
export async function ifConditionHolds(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (err) {
    if (isAwsError(err, 'ConditionalCheckFailedException')) return false;
    throw err;
  }
}
