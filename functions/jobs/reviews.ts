/**
 * Joint reviews (docs/reviews.md), run with each digest run (every 15 minutes), like the statements:
 *
 * - Opening: for each active agreement, the month's ledger total (one read) says whether a penalty
 *   tier was crossed; the provider's day counters (one Query per provider) say whether a cause was
 *   written down three times lately, and only then (and not while that cause's review is still
 *   open) are the last 60 days' breached requests read
 *   (at most CAUSE_READS_MAX). A review is opened once per trigger key (store/reviews.ts) and handed
 *   to the worker (`review.open`), which DMs both sides' heads once each.
 * - Follow-ups: the due ones come from one Query of a sparse partition; each is claimed and handed to
 *   the worker (`review.followup`), which counts the breaches since the fix, records the outcome
 *   once and DMs both sides' heads.
 *
 * A run that dies half-way leaves a lease to run out; the next run hands the work on again.
 */
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { EVERY_DEPARTMENT } from '../domain/agreement';
import type { Department } from '../domain/department';
import { findDepartment } from '../domain/directory';
import type { CauseCategory } from '../domain/request';
import {
  CAUSE_READS_MAX,
  CAUSE_REPEAT,
  CAUSE_WINDOW_DAYS,
  type CausedBreach,
  causeToOpen,
  type Review,
  type ReviewBreach,
  tierKey,
  tierToOpen,
} from '../domain/review';
import { monthOf } from '../domain/weeks';
import { calendarOf } from '../services/calendars';
import { plural } from '../slack/views/format';
import type { Db } from '../store/client';
import { readDirectory } from '../store/directory';
import { type LedgerEntry, readLedger, readTotal } from '../store/ledger';
import { getRequest } from '../store/requests';
import {
  claimFollowUp,
  dueFollowUps,
  markAgreedHanded,
  markReviewHanded,
  openReview,
  reviewsOf,
  type StoredReview,
} from '../store/reviews';
import { readDays } from '../store/stats';
import type { JobDeps } from './scan';

/** Breaches a review lists (the month's, for a tier). */
const REVIEW_BREACHES_MAX = 20;

export interface ReviewsResult {
  opened: number;
  followUps: number;
  /** Agreed fixes whose DMs the form could not hand on, handed on by this run. */
  agreedHanded?: number;
}

/** How long an agreed fix's own hand-off has before a run hands its DMs on instead. */
export const AGREED_HAND_GRACE_MS = 5 * 60_000;

const monthsBack = (at: number, zone: string, n: number): string[] =>
  Array.from({ length: n }, (_, i) => DateTime.fromMillis(at, { zone }).minus({ months: i }).toFormat('yyyy-MM'));

/** The months' penalty entries, in the months' order (one ledger read a month, together). */
async function penaltiesOf(db: Db, agreementId: string, months: readonly string[]): Promise<LedgerEntry[]> {
  const read = await Promise.all(months.map((month) => readLedger(db, agreementId, month)));
  return read.flat().filter((e) => e.type === 'penalty');
}

/**
 * The breaches a review lists, from their requests (titles, customers, causes): each request read
 * once, however many of its targets were missed, and all at once (at most REVIEW_BREACHES_MAX).
 */
async function reviewBreaches(db: Db, entries: readonly LedgerEntry[]): Promise<ReviewBreach[]> {
  const shown = entries.slice(-REVIEW_BREACHES_MAX);
  const ids = [...new Set(shown.map((e) => e.request))];
  const requests = new Map(await Promise.all(ids.map(async (id) => [id, await getRequest(db, id)] as const)));
  return shown.map((e) => {
    const request = requests.get(e.request);
    return {
      request: e.request,
      title: request?.title ?? e.request,
      kind: e.kind === 'response' ? 'response' : 'resolution',
      dueAt: Date.parse(e.at),
      customer: request?.customer ?? '',
      ...(request?.cause ? { cause: request.cause } : {}),
    };
  });
}

/** Opens what is due and hands due follow-ups on. */
export async function runReviews(deps: JobDeps, now: Date): Promise<ReviewsResult> {
  const result: ReviewsResult = { opened: 0, followUps: 0 };
  if (!deps.outbox) return result;
  const at = now.getTime();
  const owner = randomUUID();
  const dir = await readDirectory(deps.db);
  const causeCounts = new Map<string, Promise<Map<string, number>>>();
  /** `acause|<agreement>|<category>` summed over the provider's last two months of filed days. */
  const countsOf = (provider: Department, zone: string) => {
    let found = causeCounts.get(provider.id);
    if (!found) {
      const to = DateTime.fromMillis(at, { zone });
      found = readDays(
        deps.db,
        provider.id,
        to.minus({ days: 2 * CAUSE_WINDOW_DAYS }).toISODate()!,
        to.toISODate()!,
      ).then(({ days }) => {
        const sums = new Map<string, number>();
        for (const d of days)
          for (const [k, v] of Object.entries(d.counters))
            if (k.startsWith('acause|')) sums.set(k, (sums.get(k) ?? 0) + v);
        return sums;
      });
      causeCounts.set(provider.id, found);
    }
    return found;
  };

  for (const record of dir.agreements) {
    const terms = record.active;
    if (!terms) continue;
    const provider = findDepartment(dir, terms.provider);
    if (!provider) continue;
    const calendar = calendarOf(provider);
    const zone = calendar.zone;
    let existing: StoredReview[] | undefined;
    const reviews = async () => {
      existing ??= await reviewsOf(deps.db, record.id);
      return existing;
    };
    const customersOf = (breaches: readonly ReviewBreach[]) =>
      terms.customer === EVERY_DEPARTMENT
        ? [...new Set(breaches.map((b) => b.customer).filter(Boolean))]
        : [terms.customer];
    const open = async (review: Review) => {
      const claim = await openReview(deps.db, review, owner, at);
      if (claim.kind !== 'claimed') return;
      await deps.outbox!.send({ type: 'review.open', agreement: review.agreementId, key: review.key });
      await markReviewHanded(deps.db, review.agreementId, review.key, owner);
      result.opened++;
      existing = undefined;
    };

    // A penalty tier crossed this month.
    const month = monthOf(at, zone);
    const lowest = Math.min(...terms.penalty.tiers.map((t) => t.fromBreach));
    if (Number.isFinite(lowest)) {
      const total = await readTotal(deps.db, record.id, month);
      const trigger =
        total.breaches >= lowest ? tierToOpen(terms.penalty, month, total.breaches, await reviews()) : undefined;
      if (trigger) {
        const breaches = await reviewBreaches(deps.db, await penaltiesOf(deps.db, record.id, [month]));
        await open({
          agreementId: record.id,
          key: tierKey(month, trigger.fromBreach),
          trigger,
          provider: provider.id,
          customers: customersOf(breaches),
          monthBreaches: total.breaches,
          openedAt: at,
          breaches,
        });
      }
    }

    // A review a run opened and died before handing on: once its lease ran out, handed on again,
    // whether or not its trigger still holds (a tier review claimed in a month's last minutes).
    for (const { handed, agreedHanded, ...review } of await reviews()) {
      if (!handed) await open(review);
      // An agreed fix whose DMs the form's hand-off did not get onto the queue (the worker's
      // delivery keys keep a head from hearing twice if it did after all).
      else if (!agreedHanded && review.agreed && at - review.agreed.at >= AGREED_HAND_GRACE_MS) {
        await deps.outbox!.send({ type: 'review.agreed', agreement: review.agreementId, key: review.key });
        await markAgreedHanded(deps.db, review.agreementId, review.key);
        result.agreedHanded = (result.agreedHanded ?? 0) + 1;
      }
    }

    // The same cause written down three times within 30 days.
    const counts = await countsOf(provider, zone);
    const often = [...counts]
      .filter(([k, n]) => k.startsWith(`acause|${record.id}|`) && n >= CAUSE_REPEAT)
      .map(([k]) => k.slice(`acause|${record.id}|`.length));
    if (often.length === 0) continue;
    // A cause whose review is open, or agreed and not followed up, waits: nothing to read for it.
    const waiting = new Set(
      (await reviews()).flatMap((r) => (r.trigger.kind === 'cause' && !r.followUp ? [r.trigger.category] : [])),
    );
    if (often.every((category) => waiting.has(category as CauseCategory))) continue;
    const since = at - 2 * CAUSE_WINDOW_DAYS * 24 * 3600_000;
    const entries = (await penaltiesOf(deps.db, record.id, monthsBack(at, zone, 3).reverse())).filter(
      (e) => Date.parse(e.at) >= since,
    );
    const firstDue = new Map<string, LedgerEntry>();
    for (const e of entries) if (!firstDue.has(e.request)) firstDue.set(e.request, e);
    const recent = [...firstDue.values()].slice(-CAUSE_READS_MAX);
    const read = await reviewBreaches(deps.db, recent);
    const caused: CausedBreach[] = read
      .filter((b) => b.cause)
      .map((b) => ({ request: b.request, category: b.cause!.category, dueAt: b.dueAt }));
    const found = causeToOpen(caused, zone, await reviews());
    if (!found) continue;
    const breaches = read.filter((b) => found.requests.includes(b.request));
    await open({
      agreementId: record.id,
      key: found.key,
      trigger: found.trigger,
      provider: provider.id,
      customers: customersOf(breaches),
      openedAt: at,
      breaches,
    });
  }

  // Follow-ups that are due.
  for (const due of await dueFollowUps(deps.db, at)) {
    if (!(await claimFollowUp(deps.db, due.sk, at))) continue;
    await deps.outbox.send({ type: 'review.followup', agreement: due.agreementId, key: due.key });
    result.followUps++;
  }
  return result;
}

export function describeReviews(r: ReviewsResult): string {
  const parts = [
    r.opened > 0 ? `${plural(r.opened, 'joint review', 'joint reviews')} opened` : '',
    r.followUps > 0 ? `${plural(r.followUps, 'follow-up', 'follow-ups')} handed to the worker` : '',
    r.agreedHanded ? `${plural(r.agreedHanded, 'agreed fix', 'agreed fixes')} handed to the worker again` : '',
  ].filter(Boolean);
  return parts.length > 0 ? ` Reviews: ${parts.join(', ')}.` : '';
}
