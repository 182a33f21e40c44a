/**
 * The worker's part of retention (jobs/retention.ts hands it each due request): the request's text
 * removed for everyone (domain/erase.ts: counts, breaches and the ledger stay exact), its card drawn
 * again, then its marker dropped, so a failure on the way leaves the marker for the next run.
 */
import type { Db } from '../store/client';
import { eraseRequest } from '../store/erase';
import { dropMarker } from '../store/retention';

export async function eraseForRetention(
  db: Db,
  item: { id: string; month: string },
  redraw: (id: string) => Promise<void>,
): Promise<void> {
  await eraseRequest(db, item.id, { everyone: true });
  await redraw(item.id);
  await dropMarker(db, { month: item.month, id: item.id, endedAt: 0 });
}
