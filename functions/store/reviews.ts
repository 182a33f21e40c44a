/**
 * Joint reviews (domain/review.ts): one item per agreement and trigger key (`pk=REVIEW#<agreement>`,
 * `sk=<key>`), so a trigger opens its review once, however many runs notice it at once; and, once a
 * fix is agreed, a pointer in one sparse partition ordered by when its follow-up is due
 * (`pk=REVIEWDUE`, `sk=<follow-up ISO>#<agreement>#<key>`), so the runs find due follow-ups with
 * one Query, never a Scan.
 *
 *   open (put if absent, `handing` with a lease) -> outbox `review.open` -> mark handed
 *   agree (conditional: first agreement wins) + due pointer, in one transaction
 *   due pointer claimed (a lease) -> outbox `review.followup` -> result recorded once, pointer removed
 *
 * A run that dies after opening or claiming leaves a lease to run out; the next run hands the work on
 * again, and the worker DMs each head once (a delivery key), so nobody hears twice. Opening is a
 * claim with a lease, written by claims.ts.
 */

import type { AgreedFix, Review, ReviewFollowUp } from '../domain/review';
import { claimOnce, markClaimed } from './claims';
import type { Db } from './client';
import { DeleteCommand, GetCommand, UpdateCommand } from './commands';
import { ifConditionHolds, queryAll, transact, WriteConflictError } from './transact';

export const reviewPk = (agreementId: string) => `REVIEW#${agreementId}`;
export const REVIEW_DUE_PK = 'REVIEWDUE';
export const reviewDueSk = (at: number, agreementId: string, key: string) =>
  `${new Date(at).toISOString()}#${agreementId}#${key}`;

/** Longer than a run of the digest Lambda can live (300 s), so a live owner never loses its claim. */
export const REVIEW_LEASE_MS = 6 * 60_000;
/** Reviews are kept two years as the agreement's history, then TTL removes them. */
const KEEP_SECONDS = 2 * 366 * 24 * 60 * 60;

const REVIEW_FIELDS = [
  'agreementId',
  'key',
  'trigger',
  'provider',
  'customers',
  'monthBreaches',
  'openedAt',
  'breaches',
  'agreed',
  'followUp',
] as const;

function toReview(item: Record<string, unknown>): Review {
  const review: Record<string, unknown> = {};
  for (const field of REVIEW_FIELDS) if (item[field] !== undefined) review[field] = item[field];
  return review as unknown as Review;
}

export type ReviewClaim =
  /** Opened now (or taken over from a run that died): hand the work on, then mark it handed. */
  | { kind: 'claimed' }
  /** Handed to the worker already. */
  | { kind: 'handed' }
  /** Another run holds it right now. */
  | { kind: 'busy' };

/** Where a review's hand-off stands: `handing`, then `handed`. */
const REVIEW_HAND = { attribute: 'hand', done: 'handed' };

/** Opens `review` once per trigger key, for `owner` at real time `at` (ms). */
export async function openReview(db: Db, review: Review, owner: string, at: number): Promise<ReviewClaim> {
  const claim = await claimOnce(db, {
    key: { pk: reviewPk(review.agreementId), sk: review.key },
    item: { ...review, hand: 'handing', expiresAt: Math.floor(at / 1000) + KEEP_SECONDS },
    state: REVIEW_HAND,
    owner,
    at,
    leaseMs: REVIEW_LEASE_MS,
  });
  switch (claim.kind) {
    case 'claimed':
    case 'takenOver': // the run that opened it is gone before it said it handed the work on: hand it (again)
      return { kind: 'claimed' };
    case 'done':
      return { kind: 'handed' };
    case 'vanished':
    case 'busy':
      return { kind: 'busy' };
  }
}

/** The review's DMs are on the queue: no run hands them again. */
export async function markReviewHanded(db: Db, agreementId: string, key: string, owner: string): Promise<boolean> {
  return markClaimed(db, { pk: reviewPk(agreementId), sk: key }, owner, { hand: 'handed' });
}

/**
 * A review as stored: with whether its DMs were handed to the worker, and whether the agreed fix's
 * DMs were (false only between an agreement and its hand-off, or when that hand-off failed).
 */
export type StoredReview = Review & { handed: boolean; agreedHanded: boolean };

/** The agreed fix's DMs are on the queue: no run hands them again. */
export async function markAgreedHanded(db: Db, agreementId: string, key: string): Promise<void> {
  await db.doc.send(
    new UpdateCommand({
      TableName: db.table,
      Key: { pk: reviewPk(agreementId), sk: key },
      UpdateExpression: 'REMOVE agreedHand',
      ConditionExpression: 'attribute_exists(pk)',
    }),
  );
}

/** Every review of an agreement, one Query (a handful: at most a few a month). */
export async function reviewsOf(db: Db, agreementId: string): Promise<StoredReview[]> {
  const items = await queryAll(db, {
    TableName: db.table,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': reviewPk(agreementId) },
    ConsistentRead: true,
  });
  return items.map((i) => ({ ...toReview(i), handed: i.hand === 'handed', agreedHanded: i.agreedHand === undefined }));
}

export async function getReview(db: Db, agreementId: string, key: string): Promise<Review | undefined> {
  const out = await db.doc.send(
    new GetCommand({ TableName: db.table, Key: { pk: reviewPk(agreementId), sk: key }, ConsistentRead: true }),
  );
  return out.Item ? toReview(out.Item) : undefined;
}

export type AgreeOutcome =
  | { kind: 'agreed'; review: Review }
  /** Someone agreed first: theirs stands. */
  | { kind: 'already'; agreed: AgreedFix }
  | { kind: 'missing' };

/**
 * Records the agreed fix, once: the first agreement wins, and its follow-up pointer is written with
 * it. A later submit is answered with the agreement that stands.
 */
export async function agreeReview(db: Db, agreementId: string, key: string, agreed: AgreedFix): Promise<AgreeOutcome> {
  try {
    await transact(db, [
      {
        Update: {
          TableName: db.table,
          Key: { pk: reviewPk(agreementId), sk: key },
          // `agreedHand` stays until the agreed-fix DMs are on the queue (markAgreedHanded).
          UpdateExpression: 'SET agreed = :agreed, agreedHand = :pending',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(agreed)',
          ExpressionAttributeValues: { ':agreed': agreed, ':pending': 'pending' },
        },
      },
      {
        Put: {
          TableName: db.table,
          Item: {
            pk: REVIEW_DUE_PK,
            sk: reviewDueSk(agreed.followUpAt, agreementId, key),
            agreementId,
            key,
            dueAt: agreed.followUpAt,
          },
        },
      },
    ]);
  } catch (err) {
    if (!(err instanceof WriteConflictError)) throw err;
    const now = await getReview(db, agreementId, key);
    if (!now) return { kind: 'missing' };
    if (now.agreed) return { kind: 'already', agreed: now.agreed };
    throw err; // a write at the same instant: the person submits again
  }
  const review = await getReview(db, agreementId, key);
  return review ? { kind: 'agreed', review } : { kind: 'missing' };
}

export interface DueFollowUp {
  sk: string;
  agreementId: string;
  key: string;
  dueAt: number;
  leaseUntil?: number;
}

/** Follow-ups due at `at`, oldest first, at most `max` (one Query of the sparse partition). */
export async function dueFollowUps(db: Db, at: number, max = 50): Promise<DueFollowUp[]> {
  const items = await queryAll(
    db,
    {
      TableName: db.table,
      KeyConditionExpression: 'pk = :pk AND sk <= :until',
      ExpressionAttributeValues: { ':pk': REVIEW_DUE_PK, ':until': `${new Date(at).toISOString()}~` },
      ConsistentRead: true,
    },
    max,
  );
  return items.map((i) => ({
    sk: String(i.sk),
    agreementId: String(i.agreementId),
    key: String(i.key),
    dueAt: Number(i.dueAt),
    ...(i.leaseUntil !== undefined ? { leaseUntil: Number(i.leaseUntil) } : {}),
  }));
}

/** Claims a due follow-up for one run at `at`: false while another run's lease is live. */
export async function claimFollowUp(db: Db, sk: string, at: number): Promise<boolean> {
  return ifConditionHolds(() =>
    db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: { pk: REVIEW_DUE_PK, sk },
        UpdateExpression: 'SET leaseUntil = :lease',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(leaseUntil) OR leaseUntil <= :at)',
        ExpressionAttributeValues: { ':lease': at + REVIEW_LEASE_MS, ':at': at },
      }),
    ),
  );
}

/**
 * Records the follow-up once and removes its pointer; answers the follow-up that stands (this one,
 * or the one an earlier delivery of the same work recorded).
 */
export async function recordFollowUp(
  db: Db,
  agreementId: string,
  key: string,
  followUp: ReviewFollowUp,
): Promise<ReviewFollowUp | undefined> {
  const recorded = await ifConditionHolds(() =>
    db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: { pk: reviewPk(agreementId), sk: key },
        UpdateExpression: 'SET followUp = :f',
        ConditionExpression: 'attribute_exists(agreed) AND attribute_not_exists(followUp)',
        ExpressionAttributeValues: { ':f': followUp },
      }),
    ),
  );
  const review = await getReview(db, agreementId, key);
  const agreed = review?.agreed;
  if (agreed)
    await db.doc.send(
      new DeleteCommand({
        TableName: db.table,
        Key: { pk: REVIEW_DUE_PK, sk: reviewDueSk(agreed.followUpAt, agreementId, key) },
      }),
    );
  return recorded ? followUp : review?.followUp;
}
