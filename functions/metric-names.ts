/**
 * Kept's own CloudWatch metrics, named once for the code that counts them (functions/metrics.ts)
 * and the alarms that watch them (lib/constructs/alarms.ts). This file imports nothing: the CDK app
 * loads it. What each one means and what to do when its alarm fires: docs/operations.md.
 */

/** The CloudWatch namespace of every Kept metric. */
export const METRICS_NAMESPACE = 'Kept';

/** The `service` dimension: which function counted it. */
export type MetricService = 'slack' | 'scan' | 'digest' | 'worker';

export const METRIC_NAMES = [
  /** One per scan run that finished (the heartbeat: none for a while means the scan is not running). */
  'ScanRunSucceeded',
  /** A request the scan could not check; it stays due and the next run tries again. */
  'ScanRequestFailed',
  /** A digest channel that failed this run; the next run tries it again. */
  'DigestChannelFailed',
  /** A digest run that failed as a whole (Lambda retries it, then the jobs dead-letter queue). */
  'DigestRunFailed',
  /** Work the Slack function could not hand to the worker queue after saving a change. */
  'OutboxSendFailed',
  /** A worker item that failed; SQS tries it again, 5 receives in all, then the dead-letter queue. */
  'WorkItemFailed',
  /** A user group whose members could not be read from Slack: Kept's copy stays as it was. */
  'UsergroupReadStale',
  /** A retention run (KEPT_RETENTION_MONTHS) that failed; the next digest run goes on where it stopped. */
  'RetentionRunFailed',
  /** A weekly report subscription's report not handed to the worker; the next digest run tries again. */
  'WeeklyReportFailed',
  /** A monthly statements run that failed; the next digest run hands on what is still due. */
  'StatementRunFailed',
  /** A joint reviews run that failed; the next digest run opens and follows up what is still due. */
  'ReviewRunFailed',
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];
