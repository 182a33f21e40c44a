/**
 * When the scheduled jobs run. The CDK stack (EventBridge Scheduler) and the local runner
 * (croner) both read these, so local and cloud schedules cannot drift.
 */
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

/** The jobs a schedule can name. */
export const SCHEDULED_JOBS = ['scan', 'digest'] as const;

/**
 * What a schedule (EventBridge Scheduler in AWS, croner locally) hands to a job; jobs/scheduled.ts
 * checks it. A plain type: this file is loaded by the CDK app and imports nothing.
 */
export interface ScheduledEvent {
  job: (typeof SCHEDULED_JOBS)[number];
  /** Scheduler's `<aws.scheduler.scheduled-time>` (ISO 8601 with an offset); a retried run keeps its original instant. */
  scheduledTime?: string | undefined;
}
