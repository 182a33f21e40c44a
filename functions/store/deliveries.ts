/**
 * Slack delivers an event again when it did not hear back in time (X-Slack-Retry-Num), and SQS
 * delivers a work item again when the worker did not finish it. Each delivery has a key, and its
 * item `DELIVERY#<key>` says where the work stands:
 *
 * - **leased** (`state = leased`): an attempt is doing the work until `leaseUntil` (ms). The lease
 *   ends just after the function doing the work can possibly still be running, so a lease that has
 *   run out belongs to an attempt that was killed (a Lambda timeout, a crash) and may be taken again.
 * - **done** (no `state`, or `state = done`): the work happened; repeats are dropped for 24 hours
 *   (Slack and SQS retry within minutes). Claims written in the same transaction as their effect
 *   (`deliveryClaimItem`) are done at once.
 *
 * An item whose `expiresAt` has passed counts as gone, whether or not TTL has removed it yet.
 */
import { randomUUID } from 'node:crypto';
import { logger } from '../log';
import type { Db } from './client';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from './commands';
import { ifConditionHolds, type TransactItem } from './transact';

export const deliveryPk = (key: string) => `DELIVERY#${key}`;
export const DELIVERY_SK = 'DELIVERY';

const DAY_SECONDS = 24 * 60 * 60;
const LEASED = 'leased';
const DONE = 'done';

/**
 * How long a lease lasts beyond the timeout of the function that holds it: the function is
 * certainly stopped by then (clocks between Lambda and DynamoDB differ by far less).
 */
export const LEASE_MARGIN_MS = 5_000;
/**
 * A lease taken by the Slack function (an event): its timeout (`SLACK_TIMEOUT`,
 * lib/constructs/slack-api.ts, 10 s) plus the margin. tests/lib/stack.test.ts checks it outlives
 * the function, so the two cannot drift apart.
 */
export const SLACK_LEASE_MS = 10_000 + LEASE_MARGIN_MS;
/**
 * A lease taken by the worker (a work item): its timeout (`WORKER_TIMEOUT`,
 * lib/constructs/worker.ts, 60 s) plus the margin. tests/lib/stack.test.ts checks it outlives the
 * worker and ends before SQS shows the message again (the visibility timeout).
 */
export const WORKER_LEASE_MS = 60_000 + LEASE_MARGIN_MS;

/** A lease this attempt holds: only its holder marks it done or gives it back. */
export interface Lease {
  key: string;
  id: string;
}

/** Another attempt holds the lease on `key` and may still be working: try again later. */
export class InProgressError extends Error {
  constructor(readonly key: string) {
    super(`another attempt is still working on ${key}`);
    this.name = 'InProgressError';
  }
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * Takes the lease on `key` for `leaseMs`: the lease when this attempt is to do the work, `done`
 * when the work happened already, `in-progress` when another attempt holds a lease that has not run
 * out. One winner among attempts at the same moment (a conditional put).
 */
export async function claimLease(
  db: Db,
  key: string,
  leaseMs: number,
  now = new Date(),
): Promise<Lease | 'done' | 'in-progress'> {
  const nowMs = now.getTime();
  const leaseUntil = nowMs + leaseMs;
  // A lease given back between the refused put and the read: the next try may win it.
  for (let attempt = 0; attempt < 3; attempt++) {
    const lease = { key, id: randomUUID() };
    const won = await ifConditionHolds(() =>
      db.doc.send(
        new PutCommand({
          TableName: db.table,
          Item: {
            pk: deliveryPk(key),
            sk: DELIVERY_SK,
            state: LEASED,
            leaseId: lease.id,
            leaseUntil,
            claimedAt: now.toISOString(),
            // TTL removes a lease nobody finished; the condition below does not wait for it.
            expiresAt: Math.ceil(leaseUntil / 1000),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :nowSec OR leaseUntil < :nowMs',
          ExpressionAttributeValues: { ':nowSec': seconds(nowMs), ':nowMs': nowMs },
        }),
      ),
    );
    if (won) return lease;
    const held = await readDelivery(db, key);
    if (held === undefined || Number(held.expiresAt) < seconds(nowMs)) continue;
    if (held.state !== LEASED) return 'done';
    if (Number(held.leaseUntil) >= nowMs) return 'in-progress';
  }
  return 'in-progress';
}

/** The work under `lease` happened: repeats of its key are dropped for a day. */
export async function completeLease(db: Db, lease: Lease, now = new Date()): Promise<void> {
  const marked = await ifConditionHolds(() =>
    db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: { pk: deliveryPk(lease.key), sk: DELIVERY_SK },
        UpdateExpression: 'SET #state = :done, doneAt = :at, expiresAt = :expires REMOVE leaseId, leaseUntil',
        ConditionExpression: 'leaseId = :id',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':done': DONE,
          ':at': now.toISOString(),
          ':expires': seconds(now.getTime()) + DAY_SECONDS,
          ':id': lease.id,
        },
      }),
    ),
  );
  // The work took longer than its lease (a timeout longer than the lease assumes): another
  // attempt took the key over and may do the work again.
  if (!marked) logger.warn('lease ran out before the work was done', { key: lease.key });
}

/** Gives `lease` back (the work failed), so a retry can take it at once; a lease taken over stays. */
export async function releaseLease(db: Db, lease: Lease): Promise<void> {
  await ifConditionHolds(() =>
    db.doc.send(
      new DeleteCommand({
        TableName: db.table,
        Key: { pk: deliveryPk(lease.key), sk: DELIVERY_SK },
        ConditionExpression: 'leaseId = :id',
        ExpressionAttributeValues: { ':id': lease.id },
      }),
    ),
  );
}

/** The claim as a transaction item, so claiming and the work it guards happen together (done at once). */
export function deliveryClaimItem(db: Db, key: string, now = new Date()): TransactItem {
  const nowSec = seconds(now.getTime());
  return {
    Put: {
      TableName: db.table,
      Item: { pk: deliveryPk(key), sk: DELIVERY_SK, claimedAt: now.toISOString(), expiresAt: nowSec + DAY_SECONDS },
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
      ExpressionAttributeValues: { ':now': nowSec },
    },
  };
}

async function readDelivery(db: Db, key: string): Promise<Record<string, unknown> | undefined> {
  const out = await db.doc.send(
    new GetCommand({ TableName: db.table, Key: { pk: deliveryPk(key), sk: DELIVERY_SK }, ConsistentRead: true }),
  );
  return out.Item;
}

/** Whether the work of `key` is done and still remembered (read strongly consistent); a lease is not. */
export async function isDelivered(db: Db, key: string, now = new Date()): Promise<boolean> {
  const item = await readDelivery(db, key);
  return item !== undefined && item.state !== LEASED && Number(item.expiresAt) >= seconds(now.getTime());
}

export interface OnceOptions {
  /** How long the attempt may take: the lease of the function doing it (SLACK_LEASE_MS, WORKER_LEASE_MS). */
  leaseMs: number;
  now?: () => Date;
}

/**
 * Does `work` once for `key`: takes the lease first, marks the key done when `work` succeeds and
 * gives the lease back when it fails, so a retry can do it. A repeat after success gets
 * 'already-done' and does nothing; a repeat while another attempt holds the lease gets an
 * InProgressError (tell the sender to try again later: that attempt may still fail). An attempt
 * killed mid-way leaves its lease, which runs out after `leaseMs`; a retry then does the work.
 */
export async function once<T>(
  db: Db,
  key: string,
  { leaseMs, now = () => new Date() }: OnceOptions,
  work: () => Promise<T>,
): Promise<T | 'already-done'> {
  const lease = await claimLease(db, key, leaseMs, now());
  if (lease === 'done') return 'already-done';
  if (lease === 'in-progress') throw new InProgressError(key);
  let result: T;
  try {
    result = await work();
  } catch (err) {
    await releaseLease(db, lease).catch((release: Error) =>
      logger.error('lease not given back; a retry waits for it to run out', { key, error: release.message }),
    );
    throw err;
  }
  // The work happened: failing now would have it done again. Unmarked, the lease runs out instead.
  await completeLease(db, lease, now()).catch((mark: Error) =>
    logger.error('work done but not marked done', { key, error: mark.message }),
  );
  return result;
}
