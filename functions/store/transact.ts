/**
 * The plumbing every aggregate's writes and reads share: transactions that fail with the reasons
 * DynamoDB gave, queries read to their last page, and conditional writes whose failed condition
 * is an answer rather than an error.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A transaction was refused by one of its conditions; `reasons` are DynamoDB's, per item. */
export class WriteConflictError extends Error {
  constructor(readonly reasons: (string | undefined)[]) {
    super(`a condition failed: ${reasons.map((r) => r ?? 'None').join(', ')}`);
    this.name = 'WriteConflictError';
  }
}

export async function transact(db: Db, items: TransactItem[]): Promise<void> {
  try {
    await db.doc.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (err) {
    if (err instanceof TransactionCanceledException) {
      const reasons = (err.CancellationReasons ?? []).map((r) => r.Code);
      // TransactionConflict: another transaction was writing the same item at that moment (AWS
      // reports it instead of a failed condition); read again and decide again, like a failed condition.
      if (reasons.some((r) => r === 'ConditionalCheckFailed' || r === 'TransactionConflict'))
        throw new WriteConflictError(reasons);
    }
    throw err;
  }
}
