/**
 * The scan, run every minute by the schedule and by `kept scan [--now ISO]`. Today it is the
 * safety net of the requests' Slack side: a request whose last change Slack has not heard of
 * within a grace period (the worker's job was lost, e.g. the queue refused it right after the
 * write) is handed to the worker again. Breach checks arrive with the breaches issue and use the
 * same sharded "next check at" index.
 */
import type { Outbox } from './outbox';
import { logger } from '../log';
import type { Db } from '../store/client';
import { dueChecks, postponeCheck } from '../store/requests';

export interface ScanResult {
  now: string;
  checked: number;
  breaches: number;
  /** Requests handed to the worker again because Slack had not heard of their last change. */
  resent: number;
}

export interface JobDeps {
  db: Db;
  /** Where work for the worker goes; without one the scan only counts. */
  outbox?: Outbox;
}

/** A request handed over again is looked at again after this long if Slack still has not heard. */
export const RESEND_AFTER_MS = 5 * 60_000;

export async function runScan(deps: JobDeps, now: Date): Promise<ScanResult> {
  const due = await dueChecks(deps.db, now);
  let resent = 0;
  for (const check of due) {
    if (!deps.outbox) continue;
    try {
      await deps.outbox.send({ type: 'request.changed', id: check.id });
      await postponeCheck(deps.db, check, new Date(now.getTime() + RESEND_AFTER_MS));
      resent++;
    } catch (err) {
      logger.warn('request not handed to the worker again', { id: check.id, error: (err as Error).message });
    }
  }
  return { now: now.toISOString(), checked: due.length, breaches: 0, resent };
}

export function describeScan(r: ScanResult): string {
  const again = r.resent > 0 ? `; ${r.resent} sent to Slack again` : '';
  return `Scan at ${r.now}: ${r.checked} request${r.checked === 1 ? '' : 's'} checked, ${r.breaches} breach${r.breaches === 1 ? '' : 'es'} recorded${again}.`;
}
