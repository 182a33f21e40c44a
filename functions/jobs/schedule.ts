/**
 * When the scheduled jobs run. The CDK stack (EventBridge Scheduler) and the local runner
 * (croner) both read these, so local and cloud schedules cannot drift.
 */
import { z } from 'zod';

export const SCAN_EVERY_MINUTES = 1;

/** Default weekly digest time; the digest issue lets each channel choose its own. */
export const DEFAULT_DIGEST = { weekday: 'mon', time: '09:00', timezone: 'America/New_York' } as const;

const CRON_DAYS = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } as const;

/** Standard 5-field cron for the local scheduler. */
export function digestCron(d: { weekday: keyof typeof CRON_DAYS; time: string } = DEFAULT_DIGEST): string {
  const [h, m] = d.time.split(':').map(Number);
  return `${m} ${h} * * ${CRON_DAYS[d.weekday]}`;
}

/** EventBridge Scheduler's 6-field cron (`cron(min hour dom month dow year)`). */
export function digestScheduleExpression(d: { weekday: keyof typeof CRON_DAYS; time: string } = DEFAULT_DIGEST): string {
  const [h, m] = d.time.split(':').map(Number);
  return `cron(${m} ${h} ? * ${d.weekday.toUpperCase()} *)`;
}

/** What a schedule (EventBridge Scheduler in AWS, croner locally) hands to a job. */
export const ScheduledEvent = z.object({
  job: z.enum(['scan', 'digest']),
  /** Scheduler's `<aws.scheduler.scheduled-time>`; a retried run keeps its original instant. */
  scheduledTime: z.iso.datetime({ offset: true }).optional(),
});
export type ScheduledEvent = z.infer<typeof ScheduledEvent>;
