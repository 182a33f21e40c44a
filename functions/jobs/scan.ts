/**
 * The breach scan, run every minute by the schedule and by `kept scan [--now ISO]`.
 * The foundation has no requests yet, so it checks nothing; the breaches issue fills it in.
 */
import type { Db } from '../store/client';

export interface ScanResult {
  now: string;
  checked: number;
  breaches: number;
}

export interface JobDeps {
  db: Db;
}

export async function runScan(_deps: JobDeps, now: Date): Promise<ScanResult> {
  return { now: now.toISOString(), checked: 0, breaches: 0 };
}

export function describeScan(r: ScanResult): string {
  return `Scan at ${r.now}: ${r.checked} request${r.checked === 1 ? '' : 's'} checked, ${r.breaches} breach${r.breaches === 1 ? '' : 'es'} recorded.`;
}
