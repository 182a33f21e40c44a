/**
 * Where slow work goes: the port both sides share. The Slack app and the scheduled jobs are given an
 * `Outbox` by their entry point; in AWS it is the SQS queue (KEPT_QUEUE_URL) the worker Lambda drains.
 * Running the work in this process instead (locally, in tests) is the worker side's outbox,
 * functions/jobs/in-process-outbox.ts, which only entry points outside AWS import.
 */
import { type AwsCredentials, type AwsJsonClient, awsJsonClient, credentialsFromEnv } from '../aws-call';
import type { Config } from '../config';
import type { WorkItem } from './item';
import { MAX_DELAY_SECONDS } from './worker-settings';

export interface SendOptions {
  /**
   * Hide the item this many seconds before the worker may take it (SQS `DelaySeconds`): a call Slack
   * rate-limited goes back with its Retry-After. Whole seconds from 0 to 900 (more is cut to 900).
   */
  delaySeconds?: number;
}

export interface Outbox {
  send(item: WorkItem, options?: SendOptions): Promise<void>;
  /**
   * Resolves when no work sent from this process is still running or waiting out its delay (always
   * at once for SQS).
   */
  idle(): Promise<void>;
}

/** `delaySeconds` as SQS takes it: a whole number of seconds from 0 to 900. */
export function delayOf(options: SendOptions = {}): number {
  const seconds = options.delaySeconds ?? 0;
  if (!Number.isFinite(seconds) || seconds <= 0) return 0;
  return Math.min(MAX_DELAY_SECONDS, Math.ceil(seconds));
}

/**
 * The SQS client of a function that answers Slack: bounded, so a queue that hangs costs at most
 * about 1.7 s of the person's 3 seconds (two tries of 0.8 s) instead of waiting for ever. A send
 * that fails is not lost for requests: the scan hands any change Slack has not heard of to the
 * worker again. SQS's JSON protocol, signed by functions/aws-call.ts (the AWS SDK's client would
 * cost the cold start about 100 ms to load); by default it talks to the queue URL's own host.
 */
export function queueClient(
  queueUrl: string,
  options: { endpoint?: string; region?: string; credentials?: AwsCredentials } = {},
): AwsJsonClient {
  const host = new URL(queueUrl);
  return awsJsonClient({
    service: 'sqs',
    region: options.region ?? process.env.AWS_REGION ?? /^sqs\.([a-z0-9-]+)\./.exec(host.hostname)?.[1] ?? 'us-east-1',
    endpoint: options.endpoint ?? process.env.AWS_ENDPOINT_URL_SQS ?? host.origin,
    targetPrefix: 'AmazonSQS',
    jsonVersion: '1.0',
    budget: { connectionTimeout: 300, requestTimeout: 800, maxAttempts: 2 },
    credentials: () => {
      const credentials = options.credentials ?? credentialsFromEnv();
      if (!credentials) throw new Error('No AWS credentials in the environment: the queue is used in Lambda only.');
      return credentials;
    },
  });
}

/**
 * Hands work to the queue. The client is built on the first send (issue #22): most of what the Slack
 * function answers (`/sla help`, lists, forms opening) hands nothing over.
 */
export function sqsOutbox(queueUrl: string, client?: AwsJsonClient): Outbox {
  let sqs = client;
  return {
    send: async (item, options) => {
      const delay = delayOf(options);
      sqs ??= queueClient(queueUrl);
      await sqs.call('SendMessage', {
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify(item),
        ...(delay > 0 ? { DelaySeconds: delay } : {}),
      });
    },
    idle: async () => {},
  };
}

/**
 * The queue of a Lambda that hands work to the worker (the stack always sets KEPT_QUEUE_URL on it).
 * Without one the function refuses to start rather than run the worker's code in the wrong place.
 */
export function queueOutbox(config: Pick<Config, 'KEPT_QUEUE_URL'>): Outbox {
  if (!config.KEPT_QUEUE_URL)
    throw new Error('KEPT_QUEUE_URL is not set: this function hands its work to the worker queue');
  return sqsOutbox(config.KEPT_QUEUE_URL);
}
