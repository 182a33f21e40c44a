/**
 * The scheduled jobs: the breach scan every minute and the weekly digest, both started by
 * EventBridge Scheduler. Failures end in one jobs dead-letter queue (checklist G6): events the
 * Scheduler could not deliver, and invocations that failed inside Lambda's asynchronous retries.
 */
import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { KeptFunction } from './kept-function';
import { SCAN_EVERY_MINUTES } from '../../functions/jobs/schedule';

export const SCAN_TIMEOUT = Duration.seconds(60);
export const DIGEST_TIMEOUT = Duration.seconds(300);
export const SCAN_RATE = `rate(${SCAN_EVERY_MINUTES} minute${SCAN_EVERY_MINUTES === 1 ? '' : 's'})`;

export interface JobsProps {
  readonly environment: Record<string, string>;
  readonly digestCron: string;
  readonly digestTimezone: string;
}

export class Jobs extends Construct {
  readonly scan: KeptFunction;
  readonly digest: KeptFunction;
  readonly deadLetterQueue: sqs.Queue;
  /** The roles EventBridge Scheduler assumes to invoke each job (one per schedule). */
  readonly schedulerRoles: { readonly scan: iam.Role; readonly digest: iam.Role };

  constructor(scope: Construct, id: string, props: JobsProps) {
    super(scope, id);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    this.scan = new KeptFunction(this, 'Scan', {
      entry: 'functions/scan/handler.ts',
      description: 'Kept breach scan: finds agreements past due and announces each breach once',
      timeout: SCAN_TIMEOUT,
      environment: props.environment,
    });
    // Scheduler invokes Lambda asynchronously. A failed scan is not retried: the next run starts
    // within a minute and catches up, because it looks for everything due, not the last minute
    // (checklist G2). Runs may overlap when one is slow; breach writes are conditional (G1).
    this.scan.fn.configureAsyncInvoke({
      retryAttempts: 0,
      maxEventAge: Duration.minutes(2),
      onFailure: new SqsDestination(this.deadLetterQueue),
    });

    this.digest = new KeptFunction(this, 'Digest', {
      entry: 'functions/digest/handler.ts',
      description: 'Kept weekly digest: one message per channel per week, updated in place on re-runs',
      timeout: DIGEST_TIMEOUT,
      environment: props.environment,
    });
    // Lambda's two retries are safe: the digest updates the week's stored message instead of
    // posting again (checklist G3). After that the event is kept in the dead-letter queue.
    this.digest.fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.deadLetterQueue),
    });

    this.schedulerRoles = {
      scan: this.schedulerRole('ScanSchedulerRole'),
      digest: this.schedulerRole('DigestSchedulerRole'),
    };

    new scheduler.Schedule(this, 'ScanSchedule', {
      description: 'Kept: breach scan every minute',
      schedule: scheduler.ScheduleExpression.expression(SCAN_RATE),
      target: new LambdaInvoke(this.scan.fn, {
        role: this.schedulerRoles.scan,
        input: scheduledInput('scan'),
        deadLetterQueue: this.deadLetterQueue,
        // A scan older than a minute is superseded by the next one; give up quickly.
        retryAttempts: 3,
        maxEventAge: Duration.minutes(1),
      }),
    });

    new scheduler.Schedule(this, 'DigestSchedule', {
      description: `Kept: weekly digest, ${props.digestCron} in ${props.digestTimezone}`,
      // Evaluated in the configured zone, so 09:00 stays 09:00 across daylight-saving changes.
      schedule: scheduler.ScheduleExpression.expression(props.digestCron, TimeZone.of(props.digestTimezone)),
      target: new LambdaInvoke(this.digest.fn, {
        role: this.schedulerRoles.digest,
        input: scheduledInput('digest'),
        deadLetterQueue: this.deadLetterQueue,
        // A digest is still worth sending a few hours late; keep trying through a short outage.
        retryAttempts: 10,
        maxEventAge: Duration.hours(6),
      }),
    });
  }

  /**
   * A role only EventBridge Scheduler, for schedules of this account's default group, can assume.
   * LambdaInvoke adds lambda:InvokeFunction on the one job and sqs:SendMessage on the DLQ.
   */
  private schedulerRole(id: string): iam.Role {
    const stack = Stack.of(this);
    return new iam.Role(this, id, {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': stack.formatArn({ service: 'scheduler', resource: 'schedule-group', resourceName: 'default' }),
          },
        },
      }),
    });
  }
}

/**
 * What a schedule hands a job (functions/jobs/schedule.ts `ScheduledEvent`): the instant the
 * schedule fired, so a retried run judges the same moment as the first attempt.
 */
function scheduledInput(job: 'scan' | 'digest'): scheduler.ScheduleTargetInput {
  return scheduler.ScheduleTargetInput.fromObject({ source: 'kept.schedule', job, scheduledTime: scheduler.ContextAttribute.scheduledTime });
}
