/**
 * Slack delivers an event again when it did not hear back in time (X-Slack-Retry-Num),
 * and a scheduled run can repeat. A delivery is claimed once with a conditional put; the
 * claim expires after a day (Slack retries within minutes).
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { logger } from '../log';
import type { Db } from './client';
import { ifConditionHolds, type TransactItem } from './transact';

export const deliveryPk = (key: string) => `DELIVERY#${key}`;
export const DELIVERY_SK = 'DELIVERY';

const DAY_SECONDS = 24 * 60 * 60;

/** Returns true for the first claim of `key`, false for every repeat. */
export async function claimDelivery(db: Db, key: string, nowMs = Date.now()): Promise<boolean> {
  const nowSec = Math.floor(nowMs / 1000);
  return ifConditionHolds(() =>
    db.doc.send(
      new PutCommand({
        TableName: db.table,
        Item: {
          pk: deliveryPk(key),
          sk: DELIVERY_SK,
          claimedAt: new Date(nowMs).toISOString(),
          expiresAt: nowSec + DAY_SECONDS,
        },
        // An expired claim that TTL has not removed yet may be claimed again.
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
        ExpressionAttributeValues: { ':now': nowSec },
      }),
    ),
  );
}

/** The same claim as a transaction item, so claiming and the work it guards happen together. */
export function deliveryClaimItem(db: Db, key: string, now = new Date()): TransactItem {
  const nowSec = Math.floor(now.getTime() / 1000);
  return {
    Put: {
      TableName: db.table,
      Item: { pk: deliveryPk(key), sk: DELIVERY_SK, claimedAt: now.toISOString(), expiresAt: nowSec + DAY_SECONDS },
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
      ExpressionAttributeValues: { ':now': nowSec },
    },
  };
}

/** Whether `key` was claimed and the claim has not expired (read strongly consistent). */
export async function isDelivered(db: Db, key: string, now = new Date()): Promise<boolean> {
  const out = await db.doc.send(
    new GetCommand({ TableName: db.table, Key: { pk: deliveryPk(key), sk: DELIVERY_SK }, ConsistentRead: true }),
  );
  return out.Item !== undefined && Number(out.Item.expiresAt) >= Math.floor(now.getTime() / 1000);
}

/** Gives a claim back, so a retry of work that failed after claiming can claim and do it. */
export async function releaseDelivery(db: Db, key: string): Promise<void> {
  await db.doc.send(new DeleteCommand({ TableName: db.table, Key: { pk: deliveryPk(key), sk: DELIVERY_SK } }));
}

/**
 * Does `work` once for `key`: claims the key first (a repeat gets 'already-done' and does nothing),
 * and gives the claim back when `work` fails, so a retry can do it. A crash between the claim and
 * the end of `work` leaves it claimed (claim-then-do: at most once).
 */
export async function once<T>(db: Db, key: string, work: () => Promise<T>): Promise<T | 'already-done'> {
  if (!(await claimDelivery(db, key))) return 'already-done';
  try {
    return await work();
  } catch (err) {
    await releaseDelivery(db, key).catch((release: Error) =>
      logger.error('claim not given back', { key, error: release.message }),
    );
    throw err;
  }
}
