/**
 * The worker's side of a joint review's follow-up (`review.followup`, handed on by jobs/reviews.ts).
 */
import { DateTime } from 'luxon';
import { findDepartment } from '../domain/directory';
import { CAUSE_READS_MAX, followUpOutcome, type LaterBreach, type Review } from '../domain/review';
import { calendarOf } from '../services/calendars';
import type { Db } from '../store/client';
import { readDirectory } from '../store/directory';
import { readLedger } from '../store/ledger';
import { getRequest } from '../store/requests';
import { getReview, recordFollowUp } from '../store/reviews';

/**
 * The worker's side of `review.followup`: counts the breaches of the agreement due between the
 * agreement of the fix and the follow-up (of the same cause; for a tier review, any), records the
 * outcome once, and answers the review as it stands (undefined: nothing to follow up).
 */
export async function followUpReview(
  db: Db,
  item: { agreement: string; key: string },
  at: number,
): Promise<Review | undefined> {
  const review = await getReview(db, item.agreement, item.key);
  const agreed = review?.agreed;
  if (!review || !agreed) return undefined;
  if (review.followUp) {
    await recordFollowUp(db, review.agreementId, review.key, review.followUp); // removes a pointer left behind
    return review;
  }
  const dir = await readDirectory(db);
  const provider = findDepartment(dir, review.provider);
  const zone = provider ? calendarOf(provider).zone : 'UTC';
  const months: string[] = [];
  for (
    let m = DateTime.fromMillis(agreed.at, { zone }).startOf('month');
    m.toMillis() <= agreed.followUpAt;
    m = m.plus({ months: 1 })
  )
    months.push(m.toFormat('yyyy-MM'));
  const entries = (await Promise.all(months.map((m) => readLedger(db, review.agreementId, m))))
    .flat()
    .filter((e) => e.type === 'penalty')
    .filter((e) => {
      const due = Date.parse(e.at);
      return due > agreed.at && due <= agreed.followUpAt;
    });
  const later: LaterBreach[] = [];
  if (review.trigger.kind === 'tier') for (const e of entries) later.push({ dueAt: Date.parse(e.at) });
  else {
    const seen = new Set<string>();
    for (const e of entries.slice(-CAUSE_READS_MAX)) {
      if (seen.has(e.request)) continue;
      seen.add(e.request);
      const request = await getRequest(db, e.request);
      later.push({ dueAt: Date.parse(e.at), ...(request?.cause ? { category: request.cause.category } : {}) });
    }
  }
  const followUp = await recordFollowUp(
    db,
    review.agreementId,
    review.key,
    followUpOutcome({ trigger: review.trigger, agreed }, later, at),
  );
  return followUp ? { ...review, followUp } : review;
}
