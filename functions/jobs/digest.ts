/**
 * The weekly digest, run by the schedule and by `kept digest [--now ISO]`.
 * The foundation has no digest channels yet, so it posts nothing; the digest issue fills it in.
 */
import type { JobDeps } from './scan';

export interface DigestResult {
  now: string;
  posted: number;
}

export async function runDigest(_deps: JobDeps, now: Date): Promise<DigestResult> {
  return { now: now.toISOString(), posted: 0 };
}

export function describeDigest(r: DigestResult): string {
  return r.posted === 0
    ? `Digest at ${r.now}: no digest channel is configured yet, nothing posted.`
    : `Digest at ${r.now}: posted to ${r.posted} channel${r.posted === 1 ? '' : 's'}.`;
}
