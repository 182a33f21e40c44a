/** Runs one scheduled job for an event from EventBridge Scheduler (or the local scheduler). */
import { logger } from '../log';
import * as z from '../zod';
import { describeDigest, runDigest } from './digest';
import { describeRetention, runRetention } from './retention';
import { describeReviews, runReviews } from './reviews';
import { describeScan, type JobDeps, runScan } from './scan';
import { SCHEDULED_JOBS, type ScheduledEvent } from './schedule';
import { describeStatements, runStatements } from './statements';
import { refreshStaleUsergroups } from './usergroups';
import { weeklyReportsLine } from './weekly-reports';

/** The event checked before a job runs (built with zod/mini, not in schedule.ts: the CDK app loads that). */
const ScheduledEventSchema: z.ZodMiniType<ScheduledEvent> = z.object({
  job: z.enum(SCHEDULED_JOBS),
  scheduledTime: z.optional(z.iso.datetime({ offset: true })),
});

export async function runScheduled(deps: JobDeps, input: unknown, now = new Date()): Promise<string> {
  const event = ScheduledEventSchema.parse(input);
  const at = event.scheduledTime ? new Date(event.scheduledTime) : now;
  const line =
    event.job === 'scan'
      ? describeScan(await runScan(deps, at))
      : `${describeDigest(await digestRun(deps, at))}${await usergroupsLine(deps, at)}${await retentionLine(deps, at)}` +
        `${await weeklyReportsLine(deps, at)}${await statementsLine(deps, at)}${await reviewsLine(deps, at)}`;
  logger.info(line, { job: event.job });
  return line;
}

/** A digest run that fails as a whole is counted, then fails the invocation (Lambda retries it). */
async function digestRun(deps: JobDeps, at: Date): ReturnType<typeof runDigest> {
  try {
    return await runDigest(deps, at);
  } catch (err) {
    deps.metrics?.count('DigestRunFailed');
    throw err;
  }
}

/** With KEPT_RETENTION_MONTHS set, the digest's run also removes old text; a failure is counted, never fails the digest. */
async function retentionLine(deps: JobDeps, at: Date): Promise<string> {
  if (deps.retentionMonths === undefined) return '';
  try {
    return describeRetention(await runRetention(deps, at, deps.retentionMonths));
  } catch (err) {
    logger.error('retention run failed; the next run goes on', { error: (err as Error).message });
    deps.metrics?.count('RetentionRunFailed');
    return '';
  }
}

/** The digest's run also refreshes user groups read an hour ago or more; a failure here never fails the digest. */
async function usergroupsLine(deps: JobDeps, at: Date): Promise<string> {
  try {
    const handed = await refreshStaleUsergroups(deps, at);
    return handed.length > 0 ? ` User groups to read again: ${handed.join(', ')}.` : '';
  } catch (err) {
    logger.error('stale user groups not handed to the worker', { error: (err as Error).message });
    deps.metrics?.count('UsergroupReadStale');
    return '';
  }
}

/** The digest's run also hands on the monthly statements that are due; a failure is counted, never fails the digest. */
async function statementsLine(deps: JobDeps, at: Date): Promise<string> {
  try {
    return describeStatements(await runStatements(deps, at));
  } catch (err) {
    logger.error('statements run failed; the next run hands on what is still due', { error: (err as Error).message });
    deps.metrics?.count('StatementRunFailed');
    return '';
  }
}

/** The digest's run also opens joint reviews and hands due follow-ups on; a failure is counted, never fails the digest. */
async function reviewsLine(deps: JobDeps, at: Date): Promise<string> {
  try {
    return describeReviews(await runReviews(deps, at));
  } catch (err) {
    logger.error('reviews run failed; the next run goes on', { error: (err as Error).message });
    deps.metrics?.count('ReviewRunFailed');
    return '';
  }
}
