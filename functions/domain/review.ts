/**
 * Joint reviews (docs/reviews.md): when an agreement crosses a penalty tier in a month, or the same
 * cause is written down for three breached requests within 30 days, both sides' heads are asked to
 * agree one fix, an owner and a date; 14 days after that date Kept looks whether the cause came back.
 * Pure rules: which trigger opens a review (and its key, so each opens once), the form's checks,
 * the follow-up instant and its outcome.
 */
import { DateTime } from 'luxon';
import type { Penalty } from './agreement';
import type { Calendar } from './calendar';
import { CAUSE_CATEGORIES, CAUSE_LABEL, type CauseCategory } from './request';
import type { TargetKind } from './target-clock';
import { nextWorkingTime } from './working-time';

/** The agreed fix's length, in characters. */
export const REVIEW_FIX_MAX = 500;
/** Breached requests with the same cause that open a review ... */
export const CAUSE_REPEAT = 3;
/** ... when they fall within this many days of the provider's calendar (first to last, both counted). */
export const CAUSE_WINDOW_DAYS = 30;
/** Breached requests read per agreement and run, to look for a repeated cause or count it at a follow-up. */
export const CAUSE_READS_MAX = 30;
/** The follow-up comes on the first working instant this many days after the agreed date. */
export const FOLLOW_UP_DAYS = 14;

export type ReviewTrigger =
  /** The month's `fromBreach`-th breach crossed a penalty tier. */
  | { kind: 'tier'; month: string; fromBreach: number; multiplier: number }
  /** The same cause on CAUSE_REPEAT breached requests within CAUSE_WINDOW_DAYS. */
  | { kind: 'cause'; category: CauseCategory };

/** One breach a review is about, as the heads read it. */
export interface ReviewBreach {
  request: string;
  title: string;
  kind: TargetKind;
  /** The missed due instant. */
  dueAt: number;
  customer: string;
  cause?: { category: CauseCategory; text?: string };
}

export interface AgreedFix {
  fix: string;
  /** The Slack user who owns the fix. */
  owner: string;
  /** The day it is done by, `YYYY-MM-DD` on the provider's calendar. */
  date: string;
  by: string;
  at: number;
  /** When Kept looks whether the cause came back. */
  followUpAt: number;
}

export type FollowUpOutcome = 'held' | 'came_back';

export interface ReviewFollowUp {
  outcome: FollowUpOutcome;
  /** Breaches counted against the fix (the same cause; any breach for a tier review). */
  count: number;
  at: number;
}

export interface Review {
  agreementId: string;
  /** The trigger's key: one review per key, ever. */
  key: string;
  trigger: ReviewTrigger;
  provider: string;
  /** The customer departments whose heads are asked (of an agreement for every department: those breached). */
  customers: string[];
  /** The month's breach count when a tier was crossed. */
  monthBreaches?: number;
  openedAt: number;
  breaches: ReviewBreach[];
  agreed?: AgreedFix;
  followUp?: ReviewFollowUp;
}

export const tierKey = (month: string, fromBreach: number): string => `tier|${month}|${fromBreach}`;
export const causeKey = (category: CauseCategory, firstRequest: string): string => `cause|${category}|${firstRequest}`;

/**
 * The tier review a month with `breaches` so far calls for: the highest tier crossed, unless a
 * review of that tier or a higher one of the month exists. Breaches that jump two tiers between
 * runs open one review (the higher tier), not two.
 */
export function tierToOpen(
  penalty: Pick<Penalty, 'tiers'>,
  month: string,
  breaches: number,
  existing: readonly Pick<Review, 'trigger'>[],
): Extract<ReviewTrigger, { kind: 'tier' }> | undefined {
  const crossed = penalty.tiers.filter((t) => t.fromBreach <= breaches).sort((a, b) => b.fromBreach - a.fromBreach)[0];
  if (!crossed) return undefined;
  const done = existing.some(
    (r) => r.trigger.kind === 'tier' && r.trigger.month === month && r.trigger.fromBreach >= crossed.fromBreach,
  );
  return done ? undefined : { kind: 'tier', month, fromBreach: crossed.fromBreach, multiplier: crossed.multiplier };
}

/** A breached request with the cause written down for it. */
export interface CausedBreach {
  request: string;
  category: CauseCategory;
  /** Its (first) missed due instant. */
  dueAt: number;
}

/** Local calendar days from `a` to `b` in `zone`, both days counted (the same day is 1). */
export function daysSpanned(a: number, b: number, zone: string): number {
  const first = DateTime.fromMillis(Math.min(a, b), { zone }).startOf('day');
  const last = DateTime.fromMillis(Math.max(a, b), { zone }).startOf('day');
  return Math.round(last.diff(first, 'days').days) + 1;
}

/**
 * The cause review `caused` calls for, with the requests that make it; undefined when none.
 * A category waits while a review of it is open or agreed and not yet followed up, and a new run
 * counts only breaches after the last one an earlier review of that category was about, so one run
 * of three opens one review and a later, separate run may open another. Its key names the run's
 * first request: every run (and every concurrent opener) finds the same key for the same run.
 */
export function causeToOpen(
  caused: readonly CausedBreach[],
  zone: string,
  existing: readonly Pick<Review, 'trigger' | 'breaches' | 'followUp'>[],
): { trigger: Extract<ReviewTrigger, { kind: 'cause' }>; key: string; requests: string[] } | undefined {
  for (const category of CAUSE_CATEGORIES) {
    const mine = existing.filter((r) => r.trigger.kind === 'cause' && r.trigger.category === category);
    if (mine.some((r) => !r.followUp)) continue;
    const after = Math.max(Number.NEGATIVE_INFINITY, ...mine.flatMap((r) => r.breaches.map((b) => b.dueAt)));
    const covered = new Set(mine.flatMap((r) => r.breaches.map((b) => b.request)));
    const run = [...new Map(caused.filter((c) => c.category === category).map((c) => [c.request, c])).values()]
      .filter((c) => c.dueAt > after && !covered.has(c.request))
      .sort((a, b) => a.dueAt - b.dueAt || a.request.localeCompare(b.request));
    for (let i = 0; i + CAUSE_REPEAT - 1 < run.length; i++) {
      const first = run[i]!;
      const last = run[i + CAUSE_REPEAT - 1]!;
      if (daysSpanned(first.dueAt, last.dueAt, zone) <= CAUSE_WINDOW_DAYS) {
        const requests = run.slice(i, i + CAUSE_REPEAT).map((c) => c.request);
        return { trigger: { kind: 'cause', category }, key: causeKey(category, first.request), requests };
      }
    }
  }
  return undefined;
}

/** The first working instant of the provider FOLLOW_UP_DAYS days after the agreed day. */
export function followUpAt(calendar: Calendar, date: string): number {
  const start = DateTime.fromISO(date, { zone: calendar.zone }).startOf('day').plus({ days: FOLLOW_UP_DAYS });
  return nextWorkingTime(calendar, start.toMillis());
}

/** A breach the follow-up may count: its due instant and, once written down, its cause. */
export interface LaterBreach {
  dueAt: number;
  category?: CauseCategory;
}

/**
 * Did the cause come back? The breaches due after the fix was agreed and up to the follow-up, of
 * the same cause (a tier review: any breach), counted once each.
 */
export function followUpOutcome(
  review: Pick<Review, 'trigger'> & { agreed: Pick<AgreedFix, 'at' | 'followUpAt'> },
  later: readonly LaterBreach[],
  at: number,
): ReviewFollowUp {
  const trigger = review.trigger;
  const count = later.filter(
    (b) =>
      b.dueAt > review.agreed.at &&
      b.dueAt <= review.agreed.followUpAt &&
      (trigger.kind === 'tier' || b.category === trigger.category),
  ).length;
  return { outcome: count === 0 ? 'held' : 'came_back', count, at };
}

export interface FixInput {
  fix: string;
  owner: string;
  date: string;
}

/** The form's checks, per field; `today` is the provider's local day. Empty when all is well. */
export function checkFix(input: FixInput, today: string): Partial<Record<keyof FixInput, string>> {
  const errors: Partial<Record<keyof FixInput, string>> = {};
  const fix = input.fix.trim();
  if (!fix) errors.fix = 'Write down the fix you agree on: one thing that stops this cause coming back.';
  else if ([...fix].length > REVIEW_FIX_MAX)
    errors.fix = `Keep the fix to ${REVIEW_FIX_MAX} characters; the details can live in a linked doc.`;
  if (!/^[UW][A-Z0-9]{2,20}$/.test(input.owner)) errors.owner = 'Choose the person who owns the fix.';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.date) || !DateTime.fromISO(input.date).isValid)
    errors.date = 'Choose the day the fix will be in place.';
  else if (input.date < today) errors.date = `That day has passed; choose ${today} or later.`;
  return errors;
}

/** What the trigger was, in a few words: "crossed the ×2 tier (3rd breach of December 2026)". */
export function triggerText(trigger: ReviewTrigger, { penalties = true }: { penalties?: boolean } = {}): string {
  if (trigger.kind === 'cause')
    return `the cause "${CAUSE_LABEL[trigger.category]}" came up ${CAUSE_REPEAT} times within ${CAUSE_WINDOW_DAYS} days`;
  const month = DateTime.fromFormat(trigger.month, 'yyyy-MM').toFormat('LLLL yyyy');
  // Penalties are for heads and admins (docs/privacy.md): others read the count of misses only.
  return penalties
    ? `breach ${trigger.fromBreach} of ${month} moved the penalty to ×${trigger.multiplier}`
    : `${month} reached ${trigger.fromBreach} breaches`;
}

/** One line per review for reports and the digest: where it stands. */
export function reviewLine(review: Review, options: { penalties?: boolean } = {}): string {
  const what = triggerText(review.trigger, options);
  if (review.followUp)
    return review.followUp.outcome === 'held'
      ? `${what}; fix agreed, and it held: no breach came back by the follow-up`
      : `${what}; fix agreed, but ${review.followUp.count === 1 ? '1 breach' : `${review.followUp.count} breaches`} came back by the follow-up`;
  if (review.agreed) return `${what}; fix agreed, done by ${review.agreed.date}, follow-up pending`;
  return `${what}; no fix agreed yet`;
}

/** The reviews a week's digest speaks of: opened, agreed or followed up in [from, to). */
export function reviewsInWindow(reviews: readonly Review[], from: number, to: number): Review[] {
  const inside = (t: number | undefined) => t !== undefined && t >= from && t < to;
  return reviews.filter((r) => inside(r.openedAt) || inside(r.agreed?.at) || inside(r.followUp?.at));
}
