/**
 * The scheduled jobs: the breach scan every minute and the weekly digest every 15 minutes (each
 * digest channel has its own weekday, time and zone, read from the table), both started by
 * EventBridge Scheduler. Failures end in one jobs dead-letter queue (checklist G6): events the
 * Scheduler could not deliver, and invocations that failed inside Lambda's asynchronous retries.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DIGEST_EVERY_MINUTES, DIGEST_RATE, SCAN_EVERY_MINUTES } from '../../functions/jobs/schedule';
import { KeptFunction, type KeptFunctionProps } from './kept-function';
import { holidaysBundleCommand } from './slack-api';

export const SCAN_TIMEOUT = Duration.seconds(60);
export const DIGEST_TIMEOUT = Duration.seconds(300);
export const SCAN_RATE = `rate(${SCAN_EVERY_MINUTES} minute${SCAN_EVERY_MINUTES === 1 ? '' : 's'})`;

/**
 * date-holidays ships beside index.js, as in the Slack function and the worker (slack-api.ts): a
 * run loads its tables only when a calendar has a country, and index.js stays small to parse.
 */
const HOLIDAYS_BESIDE: Pick<KeptFunctionProps, 'externalModules' | 'commandHooks'> = {
  externalModules: ['date-holidays'],
  commandHooks: {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir, outputDir) => [holidaysBundleCommand(outputDir)],
  },
};

export interface JobsProps {
  readonly environment: Record<string, string>;
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
      ...HOLIDAYS_BESIDE,
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
      description: "Kept weekly digest: one message per channel and ISO week, at each channel's own time",
      timeout: DIGEST_TIMEOUT,
      environment: props.environment,
      ...HOLIDAYS_BESIDE,
    });
    // Lambda's two retries are safe: each channel's digest is claimed once per ISO week and a
    // claim whose post outcome is unknown is checked in the channel first (checklist G3). A
    // failed run is also caught up by the next one, 15 minutes later.
    this.digest.fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.minutes(15),
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
      description: `Kept: weekly digest, checked every ${DIGEST_EVERY_MINUTES} minutes; each channel at its own weekday, time and zone`,
      // Channels keep their own time zones (the import file), so the job itself runs in UTC and
      // works out each channel's local weekday and time (functions/jobs/digest.ts).
      schedule: scheduler.ScheduleExpression.expression(DIGEST_RATE),
      target: new LambdaInvoke(this.digest.fn, {
        role: this.schedulerRoles.digest,
        input: scheduledInput('digest'),
        deadLetterQueue: this.deadLetterQueue,
        // Superseded by the next run 15 minutes later, which catches up whatever this one missed.
        retryAttempts: 3,
        maxEventAge: Duration.minutes(15),
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
            'aws:SourceArn': stack.formatArn({
              service: 'scheduler',
              resource: 'schedule-group',
              resourceName: 'default',
            }),
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
  return scheduler.ScheduleTargetInput.fromObject({
    source: 'kept.schedule',
    job,
    scheduledTime: scheduler.ContextAttribute.scheduledTime,
  });
}
