/**
 * When the scheduled jobs run. The CDK stack (EventBridge Scheduler) and the local runner
 * (croner) both read these, so local and cloud schedules cannot drift.
 */
import * as z from 'zod';

export const SCAN_EVERY_MINUTES = 1;

/**
 * The digest job runs this often; each run posts to the channels whose own weekday and time (in
 * their own time zone, from the import file) have come this ISO week and that have not had this
 * week's digest yet (functions/jobs/digest.ts, docs/decisions.md). A digest is at most this late.
 */
export const DIGEST_EVERY_MINUTES = 15;

/** Standard 5-field cron for the local scheduler (croner). */
export const DIGEST_CRON = `*/${DIGEST_EVERY_MINUTES} * * * *`;

/** EventBridge Scheduler's rate expression for the digest job. */
export const DIGEST_RATE = `rate(${DIGEST_EVERY_MINUTES} minutes)`;

/** What a schedule (EventBridge Scheduler in AWS, croner locally) hands to a job. */
export const ScheduledEvent = z.object({
  job: z.enum(['scan', 'digest']),
  /** Scheduler's `<aws.scheduler.scheduled-time>`; a retried run keeps its original instant. */
  scheduledTime: z.iso.datetime({ offset: true }).optional(),
});
export type ScheduledEvent = z.infer<typeof ScheduledEvent>;
