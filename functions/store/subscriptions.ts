/**
 * Weekly report subscriptions: a department's report sent each week to a head's DM or to a channel
 * (`/sla report subscribe weekly [#channel]`). All of them live in one partition (`SUBSCRIPTION`,
 * sort key `<dept>#<target>`), so the scheduled run reads every subscription with one Query and a
 * department's are a `begins_with`; subscribing twice writes the same item, so it is one
 * subscription. Subscribing and unsubscribing write an audit line in the same transaction.
 *
 * Each (subscription, ISO week) is claimed once by the scheduled run (`SUBSCRIPTION_WEEK#<week>`,
 * same sort key) with a conditional put before its work item goes to the worker; a claim whose
 * run died before handing the item over (still `claimed` after its lease) may be taken again, so
 * nothing is lost, and the worker posts once per key whatever reaches it twice.
 */

import * as z from '../zod';
import { auditItems } from './audit';
import { markClaimed, releaseClaim } from './claims';
import type { Db } from './client';
import { GetCommand, PutCommand } from './commands';
import { ifConditionHolds, queryAll, transact, WriteConflictError } from './transact';

export const SUBSCRIPTION_PK = 'SUBSCRIPTION';
export const subscriptionSk = (department: string, target: string) => `${department}#${target}`;
export const subscriptionWeekPk = (week: string) => `SUBSCRIPTION_WEEK#${week}`;

/** How long a claim holds before another run may take it: past the digest Lambda's 300 s timeout. */
export const WEEKLY_CLAIM_LEASE_MS = 300_000 + 5_000;

/** How long a week's claim is kept: well past the end of its week. */
const CLAIM_KEPT_SECONDS = 60 * 24 * 60 * 60;

export const Subscription = z.object({
  department: z.string().check(z.minLength(1)),
  /** A person's ID (their DM) or a channel's ID. */
  target: z.string().check(z.minLength(1)),
  kind: z.enum(['person', 'channel']),
  cadence: z.literal('weekly'),
  /** Who subscribed it (a Slack user ID). */
  by: z.string().check(z.minLength(1)),
  /** When (ms): its first report is the first weekly one after this. */
  at: z.number(),
});
export type Subscription = z.infer<typeof Subscription>;

const auditOf = (s: Pick<Subscription, 'department' | 'target'>, action: string, by: string, at: number) => ({
  subject: 'subscription' as const,
  id: `${s.department}/${s.target}`,
  action,
  by,
  at: new Date(at).toISOString(),
  departments: [s.department],
});

/** Writes `sub` with its audit line; 'already' when that department and target are subscribed (nothing written). */
export async function subscribe(db: Db, sub: Subscription): Promise<'subscribed' | 'already'> {
  try {
    await transact(db, [
      {
        Put: {
          TableName: db.table,
          Item: { pk: SUBSCRIPTION_PK, sk: subscriptionSk(sub.department, sub.target), ...sub },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...auditItems(db, { ...auditOf(sub, 'subscribed', sub.by, sub.at), after: sub }),
    ]);
    return 'subscribed';
  } catch (err) {
    if (err instanceof WriteConflictError) return 'already';
    throw err;
  }
}

/** Removes a subscription with its audit line (`action`, by `by`); 'none' when there was none. */
export async function unsubscribe(
  db: Db,
  sub: Pick<Subscription, 'department' | 'target'>,
  change: { by: string; at: number; action?: string },
): Promise<'removed' | 'none'> {
  const before = await getSubscription(db, sub.department, sub.target);
  if (!before) return 'none';
  try {
    await transact(db, [
      {
        Delete: {
          TableName: db.table,
          Key: { pk: SUBSCRIPTION_PK, sk: subscriptionSk(sub.department, sub.target) },
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
      ...auditItems(db, { ...auditOf(sub, change.action ?? 'unsubscribed', change.by, change.at), before }),
    ]);
    return 'removed';
  } catch (err) {
    if (err instanceof WriteConflictError) return 'none';
    throw err;
  }
}

export async function getSubscription(db: Db, department: string, target: string): Promise<Subscription | undefined> {
  const out = await db.doc.send(
    new GetCommand({
      TableName: db.table,
      Key: { pk: SUBSCRIPTION_PK, sk: subscriptionSk(department, target) },
      ConsistentRead: true,
    }),
  );
  return out.Item ? Subscription.parse(out.Item) : undefined;
}

/** Every subscription, or one department's, in sort-key order. */
export async function subscriptionsOf(db: Db, department?: string): Promise<Subscription[]> {
  const items = await queryAll(db, {
    TableName: db.table,
    KeyConditionExpression: department ? 'pk = :pk AND begins_with(sk, :dept)' : 'pk = :pk',
    ExpressionAttributeValues: { ':pk': SUBSCRIPTION_PK, ...(department ? { ':dept': `${department}#` } : {}) },
    ConsistentRead: true,
  });
  return items.map((i) => Subscription.parse(i));
}

const weekKey = (sub: Pick<Subscription, 'department' | 'target'>, week: string) => ({
  pk: subscriptionWeekPk(week),
  sk: subscriptionSk(sub.department, sub.target),
});

/**
 * Claims `sub`'s report of `week` for `owner`: true when this run is to hand it to the worker. A
 * claim handed over already, or held by a run whose lease has not run out, is refused.
 */
export async function claimWeeklyReport(
  db: Db,
  sub: Pick<Subscription, 'department' | 'target'>,
  week: string,
  owner: string,
  now: number,
): Promise<boolean> {
  return ifConditionHolds(() =>
    db.doc.send(
      new PutCommand({
        TableName: db.table,
        Item: {
          ...weekKey(sub, week),
          state: 'claimed',
          owner,
          leaseUntil: now + WEEKLY_CLAIM_LEASE_MS,
          // TTL removes it once its week is long past (a claim is only ever asked about in its week).
          expiresAt: Math.floor(now / 1000) + CLAIM_KEPT_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk) OR (#state = :claimed AND leaseUntil < :now)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':claimed': 'claimed', ':now': now },
      }),
    ),
  );
}

/** The claimed report went to the worker: no run takes it again. */
export async function markWeeklyReportQueued(
  db: Db,
  sub: Pick<Subscription, 'department' | 'target'>,
  week: string,
  owner: string,
  now: number,
): Promise<void> {
  await markClaimed(db, weekKey(sub, week), owner, { state: 'queued', queuedAt: now });
}

/** Gives a claim back (its work item could not be queued), so the next run takes it at once. */
export async function releaseWeeklyReport(
  db: Db,
  sub: Pick<Subscription, 'department' | 'target'>,
  week: string,
  owner: string,
): Promise<void> {
  await releaseClaim(db, weekKey(sub, week), owner, { attribute: 'state', done: 'queued' });
}
