/**
 * Weekly report subscriptions, run with each digest run (every 15 minutes): each subscription whose
 * report is due this week (functions/domain/report-schedule.ts: Monday at its department's opening,
 * caught up later in the week) is claimed once for that ISO week with a conditional put
 * (store/subscriptions.ts), then handed to the worker as `report.weekly`, which posts it once
 * (functions/slack/weekly-report.ts). A claim whose item could not be queued is given back, and one
 * left by a run that died in between runs out after its lease: the next run hands it over, so no
 * week's report is lost, and the worker's delivery key keeps a second hand-over from posting twice.
 */
import { randomUUID } from 'node:crypto';
import { findDepartment } from '../domain/directory';
import { weeklyReportDue } from '../domain/report-schedule';
import { logger } from '../log';
import { plural } from '../slack/views/format';
import { readDirectory } from '../store/directory';
import {
  claimWeeklyReport,
  markWeeklyReportQueued,
  releaseWeeklyReport,
  subscriptionsOf,
} from '../store/subscriptions';
import type { JobDeps } from './scan';

export interface WeeklyReportsResult {
  /** Reports handed to the worker in this run. */
  queued: number;
  /** Reports that could not be handed over; the next run tries again. */
  failed: number;
}

export async function runWeeklyReports(deps: JobDeps, at: Date): Promise<WeeklyReportsResult> {
  const result: WeeklyReportsResult = { queued: 0, failed: 0 };
  if (!deps.outbox) return result; // nobody to post them: nothing is claimed
  const subs = await subscriptionsOf(deps.db);
  if (subs.length === 0) return result;
  const dir = await readDirectory(deps.db);
  const owner = randomUUID();
  const now = at.getTime();
  for (const sub of subs) {
    const department = findDepartment(dir, sub.department);
    const due = department ? weeklyReportDue(department.calendar, now, sub.at) : null;
    if (!due) continue;
    try {
      if (!(await claimWeeklyReport(deps.db, sub, due.week, owner, now))) continue;
    } catch (err) {
      result.failed++;
      logger.error('weekly report not claimed; the next run tries again', { error: (err as Error).message });
      continue;
    }
    try {
      await deps.outbox.send({
        type: 'report.weekly',
        department: sub.department,
        target: sub.target,
        week: due.week,
        from: due.from,
        to: due.to,
        label: due.label,
      });
    } catch (err) {
      result.failed++;
      logger.error('weekly report not handed to the worker; the next run tries again', {
        department: sub.department,
        week: due.week,
        error: (err as Error).message,
      });
      await releaseWeeklyReport(deps.db, sub, due.week, owner).catch(() => undefined); // else its lease runs out
      continue;
    }
    result.queued++;
    // Not marked: the claim's lease runs out and a later run hands it over again; the worker posts once.
    await markWeeklyReportQueued(deps.db, sub, due.week, owner, now).catch((err: Error) =>
      logger.warn('weekly report handed over but not marked', { error: err.message }),
    );
  }
  if (result.failed > 0) deps.metrics?.count('WeeklyReportFailed', result.failed);
  return result;
}

export function describeWeeklyReports(r: WeeklyReportsResult): string {
  const failed = r.failed > 0 ? ` (${r.failed} not, tried again next run)` : '';
  return r.queued > 0 || r.failed > 0
    ? ` Weekly reports: ${plural(r.queued, 'report', 'reports')} handed to the worker${failed}.`
    : '';
}

/** The digest's run also hands over the weekly reports due; a failure here never fails the digest. */
export async function weeklyReportsLine(deps: JobDeps, at: Date): Promise<string> {
  try {
    return describeWeeklyReports(await runWeeklyReports(deps, at));
  } catch (err) {
    logger.error('weekly reports run failed; the next run goes on', { error: (err as Error).message });
    deps.metrics?.count('WeeklyReportFailed');
    return '';
  }
}
