/** Faults injected into a real DynamoDB client (DynamoDB Local itself never fails this way). */
import { ProvisionedThroughputExceededException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { Db } from '../../functions/store/client';

/**
 * The next `times` filing transactions (request, history line, claim, counters) fail as AWS fails
 * a transaction that collided with another on the day counter. `heal()` lets the rest through.
 */
export function collideTransactions(
  db: Db,
  times = Number.POSITIVE_INFINITY,
): { tried: () => number; heal: () => void } {
  let tried = 0;
  let failing = times;
  db.raw.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'TransactWriteItemsCommand') return next(args);
      tried += 1;
      if (failing <= 0) return next(args);
      failing -= 1;
      throw new TransactionCanceledException({
        message: 'Transaction cancelled [None, None, TransactionConflict, None]',
        $metadata: {},
        CancellationReasons: [{ Code: 'None' }, { Code: 'None' }, { Code: 'TransactionConflict' }, { Code: 'None' }],
      });
    },
    { step: 'initialize', name: `collideTransactions${Math.random()}` },
  );
  return {
    tried: () => tried,
    heal: () => {
      failing = 0;
    },
  };
}

/**
 * Every call whose input mentions `text` (a request's key `REQ#IT-1`, an index name `gsi1`) fails
 * as a call DynamoDB kept throttling until the SDK gave up, until `heal()`. Other calls go through.
 */
export function throttleCallsMentioning(db: Db, text: string): { failed: () => number; heal: () => void } {
  let failed = 0;
  let failing = true;
  db.raw.middlewareStack.add(
    (next) => async (args) => {
      if (!failing || !JSON.stringify(args.input).includes(JSON.stringify(text))) return next(args);
      failed += 1;
      throw new ProvisionedThroughputExceededException({
        message: 'The level of configured provisioned throughput for the table was exceeded',
        $metadata: { attempts: 3 },
      });
    },
    { step: 'initialize', name: `throttleCallsMentioning${Math.random()}` },
  );
  return {
    failed: () => failed,
    heal: () => {
      failing = false;
    },
  };
}
