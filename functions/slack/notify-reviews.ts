/**
 * The worker's side of joint reviews (`review.open`, `review.agreed`, and the follow-up's DMs): each
 * goes by DM to the provider's heads and the customer side's heads, once per review, stage and head
 * (a delivery key), so an item handed on twice, or delivered again by SQS, tells nobody twice.
 */
import type { WebClient } from '@slack/web-api';
import { type Directory, findAgreement, findDepartment } from '../domain/directory';
import type { Review } from '../domain/review';
import { calendarOf } from '../services/calendars';
import type { Db } from '../store/client';
import { once, WORKER_LEASE_MS } from '../store/deliveries';
import { readDirectory } from '../store/directory';
import { getReview } from '../store/reviews';
import { postDm } from './dm';
import type { SlackMessage } from './views/blocks';
import { type ReviewNames, reviewAgreedDm, reviewFollowUpDm, reviewOpenedDm } from './views/reviews';

export interface ReviewNotifyDeps {
  db: Db;
  slack: WebClient;
  now?: () => Date;
}

export type ReviewStage = 'open' | 'agreed' | 'followup';

/** What a head's review DM of one stage is remembered under. */
export const reviewDmKey = (review: Pick<Review, 'agreementId' | 'key'>, stage: ReviewStage, head: string) =>
  `review:${review.agreementId}:${review.key}:${stage}:${head}`;

/** Everyone who heads a side of the review: the provider and its customers. */
export function reviewHeads(dir: Directory, review: Pick<Review, 'provider' | 'customers'>): string[] {
  const heads = new Set<string>();
  for (const id of [review.provider, ...review.customers])
    for (const head of findDepartment(dir, id)?.heads ?? []) heads.add(head);
  return [...heads];
}

export function reviewNames(dir: Directory, review: Pick<Review, 'agreementId' | 'provider'>): ReviewNames {
  const provider = findDepartment(dir, review.provider)?.name ?? review.provider;
  const service =
    findAgreement(dir, review.agreementId)?.active?.service ?? findAgreement(dir, review.agreementId)?.pending?.service;
  return { provider, agreement: service ? `${provider} · ${service}` : review.agreementId };
}

async function tellHeads(
  deps: ReviewNotifyDeps,
  dir: Directory,
  review: Review,
  stage: ReviewStage,
  message: SlackMessage,
): Promise<void> {
  for (const head of reviewHeads(dir, review))
    await once(
      deps.db,
      reviewDmKey(review, stage, head),
      { leaseMs: WORKER_LEASE_MS, ...(deps.now ? { now: deps.now } : {}) },
      () => postDm(deps.slack, head, message, review.agreementId),
    );
}

/** A review opened or agreed: its DMs, once per head. */
export async function notifyReview(
  deps: ReviewNotifyDeps,
  item: { agreement: string; key: string },
  stage: 'open' | 'agreed',
): Promise<void> {
  const review = await getReview(deps.db, item.agreement, item.key);
  if (!review) return;
  const dir = await readDirectory(deps.db);
  const names = reviewNames(dir, review);
  const provider = findDepartment(dir, review.provider);
  const zone = provider ? calendarOf(provider).zone : 'UTC';
  if (stage === 'open')
    await tellHeads(deps, dir, review, stage, reviewOpenedDm({ ...review, agreed: undefined }, names, zone));
  else if (review.agreed) await tellHeads(deps, dir, review, stage, reviewAgreedDm(review, names));
}

/** The follow-up recorded: held or came back, once per head. */
export async function notifyFollowUp(deps: ReviewNotifyDeps, review: Review): Promise<void> {
  if (!review.followUp) return;
  const dir = await readDirectory(deps.db);
  await tellHeads(deps, dir, review, 'followup', reviewFollowUpDm(review, reviewNames(dir, review)));
}
