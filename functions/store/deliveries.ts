/**
 * Slack delivers an event again when it did not hear back in time (X-Slack-Retry-Num),
 * and a scheduled run can repeat. A delivery is claimed once with a conditional put; the
 * claim expires after a day (Slack retries within minutes).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client';

const DAY_SECONDS = 24 * 60 * 60;

/** Returns true for the first claim of `key`, false for every repeat. */
export async function claimDelivery(db: Db, key: string, nowMs = Date.now()): Promise<boolean> {
  const nowSec = Math.floor(nowMs / 1000);
  try {
    await db.doc.send(
      new PutCommand({
        TableName: db.table,
        Item: { pk: `DELIVERY#${key}`, sk: 'DELIVERY', claimedAt: new Date(nowMs).toISOString(), expiresAt: nowSec + DAY_SECONDS },
        // An expired claim that TTL has not removed yet may be claimed again.
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
        ExpressionAttributeValues: { ':now': nowSec },
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}
