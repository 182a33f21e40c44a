/**
 * The scan, run every minute by the schedule and by `kept scan [--now ISO]`. It reads only the
 * requests whose check has come, from the sparse, sharded "next check at" index (never a table
 * Scan), so its reads grow with what is due, not with the table. For each: records breaches and
 * at-risk warnings (functions/jobs/breaches.ts), and hands the request to the worker when Slack has
 * something to hear (a new breach or warning, or a change whose job was lost). A run that was
 * missed is caught up by the next: checks stay in the index until handled, and breaches are
 * recorded at their true due instant.
 */
import { randomUUID } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import type { TargetKind } from '../domain/target-clock';
import { logger } from '../log';
import type { Metrics } from '../metrics';
import { plural } from '../slack/views/format';
import { ANNOUNCE_GRACE_MS, type DueCheck, dueChecks, postponeCheck, settleCheck } from '../store/checks';
import type { Db } from '../store/client';
import { readDirectory } from '../store/directory';
import { getRequestRecord } from '../store/requests';
import { BREACH_BATCH_MAX } from '../work/item';
import type { Outbox } from '../work/outbox';
import { checkRequest, LedgerTotals } from './breaches';

export interface ScanResult {
  now: string;
  checked: number;
  breaches: number;
  warnings: number;
  /** Escalation ladder steps sent. */
  escalations: number;
  /** Daily reminders of breached targets still open. */
  reminders: number;
  /** Resolved requests closed at the end of their 7-day reopen window. */
  closed: number;
  /** Waiting rules applied to requests nobody answered (reminders, resumes, closes). */
  followUps: number;
  /** Requests handed to the worker because Slack had not heard of their last change. */
  resent: number;
}

export interface JobDeps {
  db: Db;
  /** Where work for the worker goes; without one the scan records but tells nobody. */
  outbox?: Outbox;
  /** Slack, for the jobs that post themselves (the digest; built with its client options). */
  slack?: WebClient;
  /** Where failures are counted for the alarms (the Lambda's EMF metrics); without one, nowhere. */
  metrics?: Metrics;
  /** KEPT_RETENTION_MONTHS: the digest run also removes the text of requests that ended that long ago. */
  retentionMonths?: number;
}

/** A request handed over again is looked at again after this long if Slack still has not heard. */
export const RESEND_AFTER_MS = 5 * 60_000;

/**
 * Agreements worked on at the same time. The requests of one agreement are checked one after the
 * other, oldest check first: their breaches in a month are numbered in turn on one ledger total, so
 * running them side by side would only make their transactions collide and retry (and number them
 * out of due order).
 */
export const SCAN_CONCURRENCY = 4;
/** A run stops taking new requests after this long; what is left stays due for the next run (the Lambda times out at 60 s). */
export const SCAN_BUDGET_MS = 40_000;

/**
 * One run. Each request that fails is counted (ScanRequestFailed); a run that finishes, whatever
 * its requests did, counts ScanRunSucceeded: the heartbeat whose absence raises the scan-lag alarm.
 */
export async function runScan(deps: JobDeps, now: Date, budgetMs = SCAN_BUDGET_MS): Promise<ScanResult> {
  const result = await scanDue(deps, now, budgetMs);
  deps.metrics?.count('ScanRunSucceeded');
  return result;
}

async function scanDue(deps: JobDeps, now: Date, budgetMs: number): Promise<ScanResult> {
  const started = Date.now();
  const due = await dueChecks(deps.db, now);
  const result: ScanResult = {
    now: now.toISOString(),
    checked: 0,
    breaches: 0,
    warnings: 0,
    escalations: 0,
    reminders: 0,
    closed: 0,
    followUps: 0,
    resent: 0,
  };
  if (due.length === 0) return result;
  const dir = await readDirectory(deps.db);
  const queue = byAgreement(due);
  let left = due.length;
  const missed: { id: string; kind: TargetKind }[] = [];
  // Each agreement's requests are checked by one worker, one after another: its totals are its own.
  const totals = new LedgerTotals();
  const worker = async () => {
    for (let group = queue.shift(); group; group = queue.shift()) {
      for (const check of group) {
        if (Date.now() - started > budgetMs) return; // the rest is caught up by the next run
        left--;
        result.checked++;
        try {
          const found = await checkRequest(deps.db, dir, check.id, now, totals);
          result.breaches += found.breaches;
          result.warnings += found.warnings;
          result.escalations += found.escalations;
          result.reminders += found.reminders;
          result.closed += found.closed;
          result.followUps += found.followUps;
          for (const kind of found.missed) missed.push({ id: check.id, kind });
          if (
            found.breaches + found.warnings + found.escalations + found.reminders + found.closed + found.followUps >
            0
          )
            await deps.outbox?.send({ type: 'request.changed', id: check.id });
          else if (await reannounceOverdue(deps, check, now)) result.resent++;
        } catch (err) {
          // One request failing never stops the others; its check stays due, so the next run tries again.
          logger.error('scan of a request failed', { id: check.id, error: (err as Error).message });
          deps.metrics?.count('ScanRequestFailed');
        }
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(SCAN_CONCURRENCY, queue.length) }, worker));
  } finally {
    await sendBreaches(deps, now, missed);
  }
  if (left > 0) logger.warn('scan stopped at its time budget; the next run goes on', { left });
  return result;
}

/**
 * The heads hear of a run's breaches together: one item for the run (in parts of BREACH_BATCH_MAX),
 * its key unique to the run, so a redelivered item DMs nobody twice and two overlapping runs do not
 * swallow each other's. Sent however the run ended; should the run die before this, the worker DMs
 * each head of each breach on its own once the grace has passed (notify-requests.ts), so nobody is
 * left untold.
 */
async function sendBreaches(deps: JobDeps, now: Date, missed: { id: string; kind: TargetKind }[]): Promise<void> {
  if (!deps.outbox || missed.length === 0) return;
  const run = `scan:${now.toISOString()}:${randomUUID()}`;
  for (let part = 0; part * BREACH_BATCH_MAX < missed.length; part++)
    await deps.outbox.send({
      type: 'breaches.found',
      key: `${run}:${part}`,
      breaches: missed.slice(part * BREACH_BATCH_MAX, (part + 1) * BREACH_BATCH_MAX),
    });
}

/** Due checks grouped by agreement, each group oldest check first, the group with the oldest check first. */
function byAgreement(due: DueCheck[]): DueCheck[][] {
  const groups = new Map<string, DueCheck[]>();
  for (const check of [...due].sort((a, b) => a.checkAt.localeCompare(b.checkAt))) {
    const group = groups.get(check.agreementId);
    if (group) group.push(check);
    else groups.set(check.agreementId, [check]);
  }
  return [...groups.values()];
}

/** A change Slack has not heard of within the grace: hand it over again; otherwise move the check on. */
async function reannounceOverdue(deps: JobDeps, check: DueCheck, now: Date): Promise<boolean> {
  const record = await getRequestRecord(deps.db, check.id);
  if (!record) return false;
  const unheard = record.events.some((e) => !e.announcedAt && e.at + ANNOUNCE_GRACE_MS <= now.getTime());
  if (!unheard) {
    const waiting = record.events.some((e) => !e.announcedAt);
    if (!waiting)
      await settleCheck(deps.db, record.request); // nothing for Slack: on to the next deadline
    else await postponeCheck(deps.db, check, new Date(now.getTime() + ANNOUNCE_GRACE_MS));
    return false;
  }
  if (!deps.outbox) return false;
  await deps.outbox.send({ type: 'request.changed', id: check.id });
  await postponeCheck(deps.db, check, new Date(now.getTime() + RESEND_AFTER_MS));
  return true;
}

export function describeScan(r: ScanResult): string {
  const closed =
    r.closed > 0 ? `, ${plural(r.closed, 'resolved request', 'resolved requests')} closed after 7 days` : '';
  const steps = r.escalations > 0 ? `, ${plural(r.escalations, 'escalation step', 'escalation steps')} sent` : '';
  const reminders = r.reminders > 0 ? `, ${plural(r.reminders, 'overdue reminder', 'overdue reminders')} sent` : '';
  const waits =
    r.followUps > 0 ? `, ${plural(r.followUps, 'waiting rule', 'waiting rules')} applied to unanswered requests` : '';
  const again = r.resent > 0 ? `; ${plural(r.resent, 'request', 'requests')} sent to Slack again` : '';
  return `Scan at ${r.now}: ${plural(r.checked, 'request', 'requests')} checked, ${plural(r.breaches, 'breach', 'breaches')} recorded, ${plural(r.warnings, 'at-risk warning', 'at-risk warnings')} sent${steps}${reminders}${waits}${closed}${again}.`;
}
