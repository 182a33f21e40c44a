/**
 * The worker: an SQS queue of slow jobs (Slack calls that do not fit in the 3-second ack, fan-out
 * from the scan and digest), a dead-letter queue, and the function that drains it.
 */
import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { KeptFunction } from './kept-function';

export const WORKER_TIMEOUT = Duration.seconds(60);
/** After this many failed receives a message moves to the dead-letter queue (checklist G6). */
export const WORKER_MAX_RECEIVE_COUNT = 5;
export const WORKER_BATCH_SIZE = 10;
/** At most this many workers at once: keeps bursts (a digest fan-out) inside Slack's rate limits. */
export const WORKER_MAX_CONCURRENCY = 5;

export interface WorkerProps {
  readonly environment: Record<string, string>;
}

export class Worker extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly function: KeptFunction;

  constructor(scope: Construct, id: string, props: WorkerProps) {
    super(scope, id);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The maximum, so a failed job survives a long weekend before someone redrives it.
      retentionPeriod: Duration.days(14),
    });

    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS guidance for Lambda event sources: at least 6x the function timeout, so a message is
      // not handed to a second worker while the first (and its retries with backoff) still runs.
      visibilityTimeout: Duration.seconds(6 * WORKER_TIMEOUT.toSeconds()),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: WORKER_MAX_RECEIVE_COUNT },
    });

    this.function = new KeptFunction(this, 'Worker', {
      entry: 'functions/worker/handler.ts',
      description: 'Kept worker: slow Slack work handed off by the other functions',
      timeout: WORKER_TIMEOUT,
      environment: props.environment,
    });

    // reportBatchItemFailures: the handler returns the failed message IDs, so one poison message is
    // retried (and dead-lettered) alone instead of the whole batch of ten being redelivered.
    this.function.fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: WORKER_BATCH_SIZE,
        reportBatchItemFailures: true,
        maxConcurrency: WORKER_MAX_CONCURRENCY,
      }),
    );
  }
}
