/**
 * The retention job, run with each digest run when KEPT_RETENTION_MONTHS is set: the text of each
 * request closed or cancelled at least that many months ago is removed the way `kept erase` does it
 * for everyone (domain/erase.ts), so counts, breaches and the ledger stay exact. The digest only
 * reads the markers and hands each due request to the worker (`retention.erase`), which already
 * writes requests: the digest's role writes nothing but its own items and the cursor. At most
 * RETENTION_BATCH requests per run (the digest's 15-minute schedule catches up the rest); a marker
 * stays until the worker has done its request, so nothing is lost.
 */
import { DateTime } from 'luxon';
import { plural } from '../slack/views/format';
import { markersOf, monthOfUtc, moveCursor, readCursor } from '../store/retention';
import type { JobDeps } from './scan';

export const RETENTION_BATCH = 100;

export interface RetentionResult {
  /** Requests whose text went in this run. */
  erased: number;
  /** Requests that ended before this instant are due. */
  cutoff: string;
}

const nextMonth = (month: string): string =>
  DateTime.fromISO(`${month}-01`, { zone: 'UTC' }).plus({ months: 1 }).toFormat('yyyy-MM');

export async function runRetention(deps: JobDeps, now: Date, months: number): Promise<RetentionResult> {
  const cutoff = DateTime.fromJSDate(now, { zone: 'UTC' }).minus({ months }).toMillis();
  const last = monthOfUtc(cutoff);
  let erased = 0;
  if (!deps.outbox) return { erased, cutoff: new Date(cutoff).toISOString() }; // nobody to do the work
  for (let month = await readCursor(deps.db); month <= last && erased < RETENTION_BATCH; month = nextMonth(month)) {
    const markers = await markersOf(deps.db, month, RETENTION_BATCH - erased + 1);
    let left = markers.length > RETENTION_BATCH - erased;
    for (const m of markers.slice(0, RETENTION_BATCH - erased)) {
      if (m.endedAt > cutoff) {
        left = true; // the cutoff's own month: not yet
        continue;
      }
      // The worker removes the text, drops the marker and draws the card again; a marker sent twice
      // (the worker has not got to it before the next run) finds nothing left the second time.
      await deps.outbox.send({ type: 'retention.erase', id: m.id, month: m.month });
      erased++;
    }
    // A month with no marker left before the cutoff's never fills again: the next run starts after it.
    if (markers.length === 0 && month < last) await moveCursor(deps.db, nextMonth(month));
    if (left) break;
  }
  return { erased, cutoff: new Date(cutoff).toISOString() };
}

export function describeRetention(r: RetentionResult): string {
  return r.erased > 0
    ? ` Retention: the text of ${plural(r.erased, 'request', 'requests')} that ended before ${r.cutoff.slice(0, 10)} handed to the worker for removal.`
    : '';
}
